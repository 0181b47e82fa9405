"""Does the level estimate say the truth, and does the adaptive next question save questions?

    .venv/bin/python bench/estimate.py [--candidates 2000] [--fit]

No database, no server: the seed bank's questions are read from fixtures/banks/ with
questionbank.parser and the reviewed mapping (level and criteria of each question), then simulated
candidates answer them. The generating process is deliberately NOT the estimator's model:

- each candidate has a true level (Junior-Principal, equally often) and a continuous ability drawn
  uniformly inside that level's band (level ± 0.5), so many sit near a boundary;
- each question's difficulty is its level plus a fixed jitter, N(0, 0.3), drawn once per run;
- each interview has a rater severity, N(0, 0.25), and every score has rater noise, N(0, 0.6)
  (normal, where the estimator assumes logistic);
- the score cuts the latent performance ability - difficulty - severity + noise at -1.3, -0.4, 0.9
  (the estimator's thresholds are -1.5, -0.5, 1.0);
- a struggling candidate (performance below -0.4) gets a hint 30 % of the time, which lifts the
  performance by 0.5; 5 % of questions are marked Not assessed.

Each interview targets the candidate's level half the time, one level below or above otherwise.
Every candidate and every answer has its own random stream, so all policies meet the same
candidates, and a question two policies both ask gets the same answer (a paired comparison).

The estimator's two parameters are fitted on a training set (seed 1), then everything is measured
on separate sets (`--seed`, 2 by default; part 2 uses seed + 1000): the discrimination by maximum
likelihood of the training scores given the true level, then the tempering exponent by the best
mean log-probability of the true level after a 45-minute plan (`--module` evaluates the module's
own values instead).

1. Accuracy of the most likely level after the planner's 45-minute plan, the Brier score (the sum
   over the four levels of (p - outcome)², 0 perfect, 0.75 for a uniform guess) and a reliability
   table: the stated probability of the most likely level, in bands, against how often it was the
   true one. calibration80 is how often the most likely level was right when stated at 75-85 %.
2. Questions needed to reach 80 % on the true level (up to 15 questions; a candidate who never
   reaches it counts as 16), for three policies:
   - fixed: the app's planner (`interviews.planner.build_plan`, the seed bank's real minutes and
     prompts) for the interview's target, 45 minutes, then further 45-minute plans of questions not
     asked yet;
   - adaptive: the live view's suggestion (`interviews.estimate.next_question`) over the whole
     bank, every unasked question an option, preferring uncovered target criteria;
   - oracle: a bound, not a policy: it knows the candidate's ability, the rater's severity, the
     true level and every question's true difficulty, and asks what raises the expected
     log-probability of the true level most; oracle-lv knows the same but reads each question's
     difficulty as its level, as every real policy must (the jitter is unknown).
   Also, with the stopping rule an interviewer can actually use (stop when any level reaches
   80 %): questions asked and accuracy at the stop; and the accuracy after n questions, with the
   questions the adaptive order needs to match the fixed order's accuracy after its plan.
   adaptive_saving = 1 - adaptive / fixed questions to reach 80 % on the true level.

Goals (issue 13): adaptive_saving ≥ 0.25 at the same accuracy; calibration80 within 0.75-0.85.
The last line is `RESULT accuracy=A brier=B calibration80=C adaptive_saving=S`.
"""

import argparse
import itertools
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import norm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviews import estimate, planner  # noqa: E402
from questionbank.parser import parse_bank  # noqa: E402
from questionbank.timing import estimate_minutes  # noqa: E402

BANK = ROOT / "fixtures" / "banks" / "day6-transformers-llms.md"
MAPPING = ROOT / "fixtures" / "banks" / "day6-transformers-llms.mapping.json"
LEVEL_OF = {"Junior": 1, "Mid": 2, "Senior": 3, "Principal": 4}
CUTS = (-1.3, -0.4, 0.9)
MAX_QUESTIONS = 15


@dataclass(frozen=True)
class Question:
    id: int
    key: str
    level: int
    minutes: int
    section: int
    criteria: frozenset[str]
    prompt: str = ""


def load_bank() -> tuple[list[Question], dict[int, list[str]]]:
    parsed = parse_bank(BANK.read_text(), str(BANK))
    mapping = json.loads(MAPPING.read_text())["questions"]
    questions = []
    for index, pq in enumerate(parsed.questions, start=1):
        entry = mapping[pq.key]
        questions.append(
            Question(
                id=index,
                key=pq.key,
                level=LEVEL_OF[entry["level"]],
                minutes=entry.get("minutes")
                or estimate_minutes(pq.prompt, pq.answer, pq.subsection),
                section=pq.section_number,
                criteria=frozenset(entry["criteria"]),
                prompt=pq.prompt,
            )
        )
    by_level = {lv: [] for lv in estimate.LEVELS}
    for group in parsed.rubric:
        if group.level in LEVEL_OF:
            by_level[LEVEL_OF[group.level]] += [c.key for c in group.criteria]
    return questions, by_level


@dataclass(frozen=True)
class Candidate:
    index: int
    level: int
    ability: float
    severity: float
    target: int


class World:
    """One simulated run: the question jitter is drawn once per seed. Every candidate, and every
    answer a candidate gives to a question, has its own random stream keyed by (seed, candidate,
    question), so the fixed and the adaptive policy meet the same candidates, and a question both
    ask of a candidate gets the same answer from both (common random numbers: a paired comparison)."""

    def __init__(self, questions, seed: int, random_targets: bool = False):
        self.seed = seed
        self.random_targets = random_targets
        rng = np.random.default_rng([seed, 0])
        self.difficulty = {q.id: q.level + rng.normal(0, 0.3) for q in questions}

    def candidate(self, index: int) -> Candidate:
        rng = np.random.default_rng([self.seed, 1, index])
        level = int(rng.integers(1, 5))
        ability = level - 0.5 + rng.random()
        severity = rng.normal(0, 0.25)
        target = int(np.clip(level + rng.choice([-1, 0, 0, 1]), 1, 4))
        if self.random_targets:  # a sensitivity check: the target says nothing about the person
            target = int(rng.integers(1, 5))
        return Candidate(index, level, ability, severity, target)

    def answer(self, q: Question, who: Candidate) -> tuple[int, bool]:
        """(score, hint); score 0 is Not assessed."""
        rng = np.random.default_rng([self.seed, 2, who.index, q.id])
        not_assessed, noise, hint_draw = rng.random(), rng.normal(0, 0.6), rng.random()
        if not_assessed < 0.05:
            return 0, False
        performance = who.ability - self.difficulty[q.id] - who.severity + noise
        hint = performance < CUTS[1] and hint_draw < 0.3
        if hint:
            performance += 0.5
        return 1 + int(np.searchsorted(CUTS, performance)), hint


def plan(
    questions, by_level, target: int, minutes: int, seed: int, asked: frozenset = frozenset()
) -> list[Question]:
    candidates = [
        planner.PlannerQuestion(
            id=q.id,
            level=q.level,
            minutes=q.minutes,
            criteria=q.criteria,
            section=q.section,
            prompt=q.prompt,
        )
        for q in questions
    ]
    request = planner.PlanRequest(
        target_level=target,
        minutes=minutes,
        target_criteria=tuple(by_level[target]),
        already_asked=asked,
        seed=seed,
    )
    by_id = {q.id: q for q in questions}
    return [by_id[i] for i in planner.build_plan(candidates, request)]


def fixed_order(questions, by_level, target: int, seed: int) -> list[Question]:
    """What an interviewer without the suggestion asks: the planner's 45-minute plan, then, if
    more questions are needed, another 45-minute plan of questions not asked yet, and so on."""
    order: list[Question] = []
    while len(order) < MAX_QUESTIONS:
        more = plan(
            questions, by_level, target, 45, seed + len(order), frozenset(q.id for q in order)
        )
        if not more:
            break
        order += more
    return order


def observe(q: Question, score: int, hint: bool) -> list[estimate.Observation]:
    return estimate.observations([(q.key, q.level, score, hint)])


def simulate_plans(questions, by_level, n: int, seed: int):
    """Per candidate: the true level and the evidence of a 45-minute plan."""
    world = World(questions, seed)
    cases = []
    for index in range(n):
        who = world.candidate(index)
        evidence = []
        for q in plan(questions, by_level, who.target, 45, seed * 100_000 + index):
            evidence += observe(q, *world.answer(q, who))
        cases.append((who.level, evidence))
    return cases


def fit(cases) -> tuple[float, float]:
    """Two steps, each the standard one. The discrimination is the item model's: the value under
    which the training scores are most likely given each candidate's true level (maximum
    likelihood, hints weighted as the estimator weights them). The tempering exponent then
    calibrates the estimate: the value with the best mean log-probability of the true level (a
    proper scoring rule), since scores of one interview are not independent given the level."""
    a_grid = np.round(np.arange(0.6, 4.01, 0.1), 2)
    t_grid = np.round(np.arange(0.2, 1.001, 0.02), 2)
    truth = np.array([lv - 1 for lv, _ in cases])

    def loglik(a: float) -> np.ndarray:
        return np.array(
            [
                sum((estimate.log_likelihood(o, a, temper=1.0) for o in ev), np.zeros(4))
                for _, ev in cases
            ]
        )

    a = float(max(a_grid, key=lambda a: loglik(a)[np.arange(len(cases)), truth].sum()))
    total = loglik(a)

    def log_score(t: float) -> float:
        log_post = t * total
        log_post -= log_post.max(axis=1, keepdims=True)
        log_post -= np.log(np.exp(log_post).sum(axis=1, keepdims=True))
        return float(log_post[np.arange(len(cases)), truth].mean())

    return a, float(max(t_grid, key=log_score))


BANDS = (0.25, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.0001)


def evaluate_plans(cases, a: float, temper: float) -> dict:
    posteriors = np.array([estimate.posterior(ev, a, temper=temper) for _, ev in cases])
    truth = np.array([lv for lv, _ in cases])
    onehot = np.eye(4)[truth - 1]
    top = posteriors.argmax(axis=1)
    stated = posteriors.max(axis=1)
    right = top == truth - 1
    band = (stated >= 0.75) & (stated < 0.85)
    table = []
    for lo, hi in itertools.pairwise(BANDS):
        inside = (stated >= lo) & (stated < hi)
        if inside.any():
            table.append(
                (lo, min(hi, 1), int(inside.sum()), stated[inside].mean(), right[inside].mean())
            )
    return {
        "accuracy": float(right.mean()),
        "brier": float(((posteriors - onehot) ** 2).sum(axis=1).mean()),
        "calibration80": float(right[band].mean()) if band.any() else float("nan"),
        "band_count": int(band.sum()),
        "table": table,
        "questions": float(np.mean([len(ev) for _, ev in cases])),
    }


def adaptive_choice(pool, by_level, who, a, temper):
    """What the live view suggests: any bank question not asked yet, preferring uncovered target
    criteria, built as services.suggest_next builds its options (time is not the limit here: the
    policies are compared by the number of questions)."""

    def choose(asked: set[int], evidence) -> Question | None:
        covered = {k for q in pool if q.id in asked for k in q.criteria}
        options = [
            estimate.Option(
                id=q.id, number=q.key, level=q.level, minutes=q.minutes, criteria=q.criteria
            )
            for q in pool
            if q.id not in asked
        ]
        uncovered = {k: k for k in set(by_level[who.target]) - covered}
        choice = estimate.next_question(
            evidence, options, minutes_left=10_000, uncovered=uncovered, a=a, temper=temper
        )
        return None if choice is None else next(q for q in pool if q.id == choice.id)

    return choose


def oracle_choice(difficulty, pool, who, a, temper):
    """A bound no real policy can reach: it knows the candidate's ability, the rater's severity,
    the true level and `difficulty` (each question's true difficulty, or only its level), and asks
    the question that raises the expected log-probability of the true level most (only the
    rater's noise is unknown to it)."""
    tables = {lv: estimate.score_probabilities(lv, a) ** temper for lv in estimate.LEVELS}
    cuts = np.array(CUTS)

    def choose(asked: set[int], evidence) -> Question | None:
        log_p = np.log(estimate.posterior(evidence, a, temper=temper))
        best, value = None, -np.inf
        for q in pool:
            if q.id in asked:
                continue
            mean = who.ability - difficulty[q.id] - who.severity
            scores = np.diff(np.concatenate([[0], norm.cdf(cuts, mean, 0.6), [1]]))
            after = log_p[None, :] + np.log(tables[q.level]).T
            after -= np.logaddexp.reduce(after, axis=1, keepdims=True)
            expected = float(scores @ after[:, who.level - 1])
            if expected > value:
                best, value = q, expected
        return best

    return choose


def run_sequence(world, who, choose, a, temper):
    """Ask up to MAX_QUESTIONS questions, each from `choose(asked, evidence)`. Returns (questions to
    reach 80 % on the true level, minutes to reach it, questions at the stop rule (80 % on any
    level), right at the stop, right after each question)."""
    evidence: list[estimate.Observation] = []
    asked: set[int] = set()
    reach, reach_minutes, stop, right_at_stop, minutes = MAX_QUESTIONS + 1, np.nan, None, False, 0
    curve: list[bool] = []
    for step in range(1, MAX_QUESTIONS + 1):
        q = choose(asked, evidence)
        if q is None:
            break
        asked.add(q.id)
        minutes += q.minutes
        evidence += observe(q, *world.answer(q, who))
        p = estimate.posterior(evidence, a, temper=temper)
        curve.append(bool(p.argmax() == who.level - 1))
        if reach > MAX_QUESTIONS and p[who.level - 1] >= estimate.SETTLED:
            reach, reach_minutes = step, minutes
        if stop is None and p.max() >= estimate.SETTLED:
            stop, right_at_stop = step, bool(p.argmax() == who.level - 1)
    if stop is None:
        p = estimate.posterior(evidence, a, temper=temper)
        stop, right_at_stop = len(asked), bool(p.argmax() == who.level - 1)
    curve += [curve[-1] if curve else False] * (MAX_QUESTIONS - len(curve))
    return reach, reach_minutes, stop, right_at_stop, curve


def in_order(order: list[Question]):
    return lambda asked, evidence: order[len(asked)] if len(asked) < len(order) else None


POLICIES = ("fixed", "adaptive", "oracle", "oracle-lv")


def evaluate_adaptive(
    questions, by_level, n: int, seed: int, a: float, temper: float, random_targets: bool = False
) -> dict:
    world = World(questions, seed, random_targets)
    results = {kind: [] for kind in POLICIES}
    levels = {q.id: float(q.level) for q in questions}
    for index in range(n):
        who = world.candidate(index)
        choosers = {
            "fixed": in_order(fixed_order(questions, by_level, who.target, seed * 100_000 + index)),
            "adaptive": adaptive_choice(questions, by_level, who, a, temper),
            "oracle": oracle_choice(world.difficulty, questions, who, a, temper),
            "oracle-lv": oracle_choice(levels, questions, who, a, temper),
        }
        for kind, choose in choosers.items():
            results[kind].append(run_sequence(world, who, choose, a, temper))
    summary = {}
    for kind, rows in results.items():
        reach, minutes, stop, right = (
            np.array([r[i] for r in rows], dtype=float) for i in range(4)
        )
        summary[kind] = {
            "reach": reach.mean(),
            "reached": (reach <= MAX_QUESTIONS).mean(),
            "minutes": np.nanmean(minutes),
            "stop": stop.mean(),
            "stop_accuracy": right.mean(),
            "curve": np.array([r[4] for r in rows], dtype=float).mean(axis=0),
        }
    fixed = np.array([r[0] for r in results["fixed"]], dtype=float)
    adaptive = np.array([r[0] for r in results["adaptive"]], dtype=float)
    both = (fixed <= MAX_QUESTIONS) & (adaptive <= MAX_QUESTIONS)
    summary["both"] = (int(both.sum()), fixed[both].mean(), adaptive[both].mean())
    return summary


def questions_to_match(curve: np.ndarray, accuracy: float) -> int | None:
    """The fewest questions after which a policy is at least this accurate, if within the cap."""
    reached = np.flatnonzero(curve >= accuracy - 1e-9)
    return int(reached[0]) + 1 if reached.size else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--sequential", type=int, default=600, help="candidates for part 2")
    parser.add_argument("--seed", type=int, default=2, help="evaluation seed (training is seed 1)")
    parser.add_argument(
        "--fit", action="store_true", help="only fit and print the discrimination and tempering"
    )
    parser.add_argument(
        "--module",
        action="store_true",
        help="evaluate the module's own DISCRIMINATION and TEMPER instead of this run's fit",
    )
    parser.add_argument(
        "--random-targets",
        action="store_true",
        help="part 2 only: targets independent of the true level (a sensitivity check)",
    )
    args = parser.parse_args()
    if args.seed == 1:
        parser.error("seed 1 is the training set; evaluate on another")
    random.seed(0)
    questions, by_level = load_bank()
    print(
        f"bank: {len(questions)} questions; levels",
        {lv: sum(q.level == lv for q in questions) for lv in by_level},
    )

    training = simulate_plans(questions, by_level, args.candidates, seed=1)
    a, temper = fit(training)
    print(
        f"fitted on the training set (seed 1): discrimination {a:g}, tempering {temper:g} "
        f"(module: {estimate.DISCRIMINATION:g}, {estimate.TEMPER:g})"
    )
    if args.fit:
        return 0
    if args.module:
        a, temper = estimate.DISCRIMINATION, estimate.TEMPER
    print(f"evaluating discrimination {a:g}, tempering {temper:g} on seed {args.seed}")

    evaluation = simulate_plans(questions, by_level, args.candidates, seed=args.seed)
    result = evaluate_plans(evaluation, a, temper)
    print(
        f"\n1. After a 45-minute plan ({result['questions']:.1f} scored questions on average), "
        f"{args.candidates} candidates:"
    )
    print(f"   accuracy {result['accuracy']:.3f}, Brier {result['brier']:.3f} (uniform guess 0.75)")
    print(
        f"   most likely level stated at 75-85 %: right {result['calibration80']:.3f} "
        f"of {result['band_count']}"
    )
    print("   reliability of the most likely level: stated band | n | mean stated | right")
    for lo, hi, count, mean_p, freq in result["table"]:
        print(f"     {lo:.2f}-{hi:.2f} | {count:5d} | {mean_p:.3f} | {freq:.3f}")

    seq = evaluate_adaptive(
        questions, by_level, args.sequential, args.seed + 1000, a, temper, args.random_targets
    )
    print(f"\n2. Sequential, {args.sequential} candidates, up to {MAX_QUESTIONS} questions:")
    for kind in POLICIES:
        s = seq[kind]
        print(
            f"   {kind:9s}: {s['reach']:.2f} questions to reach 80 % on the true level "
            f"(reached by {s['reached']:.0%}, in {s['minutes']:.0f} minutes when reached); "
            f"stop at 80 % on any level: {s['stop']:.2f} questions, accuracy {s['stop_accuracy']:.3f}"
        )
    count, fixed_both, adaptive_both = seq["both"]
    print(
        f"   the {count} candidates both reach: fixed {fixed_both:.2f}, adaptive {adaptive_both:.2f} "
        f"questions ({1 - adaptive_both / fixed_both:.0%} fewer)"
    )
    print("   accuracy of the most likely level after n questions:")
    print("     n         " + " ".join(f"{n:5d}" for n in range(1, MAX_QUESTIONS + 1)))
    for kind in POLICIES:
        print(f"     {kind:9s} " + " ".join(f"{x:5.2f}" for x in seq[kind]["curve"]))
    saving = 1 - seq["adaptive"]["reach"] / seq["fixed"]["reach"]
    bound = 1 - seq["oracle"]["reach"] / seq["fixed"]["reach"]
    level_bound = 1 - seq["oracle-lv"]["reach"] / seq["fixed"]["reach"]
    stop_saving = 1 - seq["adaptive"]["stop"] / seq["fixed"]["stop"]
    print(
        f"   adaptive needs {saving:.0%} fewer questions to reach 80 % on the true level "
        f"(goal: at least 25 %; the oracle {bound:.0%}, knowing only each question's level "
        f"{level_bound:.0%}); {stop_saving:.0%} fewer to stop at 80 % on any level"
    )
    planned = round(result["questions"])
    target = seq["fixed"]["curve"][planned - 1]
    match = questions_to_match(seq["adaptive"]["curve"], target)
    print(
        f"   the fixed order's accuracy after {planned} questions ({target:.2f}) is reached by the "
        f"adaptive order after {match if match else 'more than ' + str(MAX_QUESTIONS)}"
    )
    print(
        f"RESULT accuracy={result['accuracy']:.2f} brier={result['brier']:.2f} "
        f"calibration80={result['calibration80']:.2f} adaptive_saving={saving:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
