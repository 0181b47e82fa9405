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

Measured on an evaluation set (seed 2), with the discrimination fitted on a separate training set
(seed 1) by the best mean log-probability of the true level after a 45-minute plan:

1. Accuracy of the most likely level after the planner's 45-minute plan, the Brier score (the sum
   over the four levels of (p - outcome)², 0 perfect, 0.75 for a uniform guess) and a reliability
   table: every stated probability, binned, against how often that level was the true one.
   calibration80 is how often the most likely level was right when stated at 75-85 %.
2. Questions needed to reach 80 % on the true level (up to 15 questions; a candidate who never
   reaches it counts as 16): fixed, the planner's 45-minute plan followed by further 45-minute
   plans of questions not asked yet, against the adaptive next question (maximum expected information). Also, with the
   stopping rule an interviewer can actually use (stop when any level reaches 80 %): questions asked
   and accuracy at the stop, for both. adaptive_saving = 1 - adaptive / fixed questions needed.

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviews import estimate, planner  # noqa: E402
from questionbank.parser import estimate_minutes, parse_bank  # noqa: E402

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
                minutes=estimate_minutes(pq.prompt, pq.answer),
                section=pq.section_number,
                criteria=frozenset(entry["criteria"]),
            )
        )
    by_level = {lv: [] for lv in estimate.LEVELS}
    for group in parsed.rubric:
        if group.level in LEVEL_OF:
            by_level[LEVEL_OF[group.level]] += [c.key for c in group.criteria]
    return questions, by_level


class World:
    """One simulated run: the question jitter is drawn once; candidates are drawn one by one."""

    def __init__(self, questions, seed: int, random_targets: bool = False):
        self.random_targets = random_targets
        self.rng = np.random.default_rng(seed)
        self.questions = questions
        self.difficulty = {q.id: q.level + self.rng.normal(0, 0.3) for q in questions}

    def candidate(self) -> tuple[int, float, float, int]:
        level = int(self.rng.integers(1, 5))
        ability = level - 0.5 + self.rng.random()
        severity = self.rng.normal(0, 0.25)
        target = int(np.clip(level + self.rng.choice([-1, 0, 0, 1]), 1, 4))
        if self.random_targets:  # a sensitivity check: the target says nothing about the person
            target = int(self.rng.integers(1, 5))
        return level, ability, severity, target

    def answer(self, q: Question, ability: float, severity: float) -> tuple[int, bool]:
        """(score, hint); score 0 is Not assessed."""
        if self.rng.random() < 0.05:
            return 0, False
        performance = ability - self.difficulty[q.id] - severity + self.rng.normal(0, 0.6)
        hint = performance < CUTS[1] and self.rng.random() < 0.3
        if hint:
            performance += 0.5
        return 1 + int(np.searchsorted(CUTS, performance)), hint


def plan(
    questions, by_level, target: int, minutes: int, seed: int, asked: frozenset = frozenset()
) -> list[Question]:
    candidates = [
        planner.Candidate(
            id=q.id, level=q.level, minutes=q.minutes, criteria=q.criteria, section=q.section
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
        level, ability, severity, target = world.candidate()
        evidence = []
        for q in plan(questions, by_level, target, 45, seed * 100_000 + index):
            evidence += observe(q, *world.answer(q, ability, severity))
        cases.append((level, evidence))
    return cases


def fit_discrimination(cases) -> float:
    grid = np.round(np.arange(0.6, 3.01, 0.1), 2)
    scores = [
        np.mean([np.log(estimate.posterior(ev, a)[lv - 1]) for lv, ev in cases]) for a in grid
    ]
    return float(grid[int(np.argmax(scores))])


def evaluate_plans(cases, a: float) -> dict:
    posteriors = np.array([estimate.posterior(ev, a) for _, ev in cases])
    truth = np.array([lv for lv, _ in cases])
    onehot = np.eye(4)[truth - 1]
    top = posteriors.argmax(axis=1)
    stated = posteriors.max(axis=1)
    right = top == truth - 1
    band = (stated >= 0.75) & (stated < 0.85)
    bins = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]
    table = []
    flat_p, flat_y = posteriors.ravel(), onehot.ravel()
    for lo, hi in itertools.pairwise(bins):
        inside = (flat_p >= lo) & (flat_p < hi)
        if inside.any():
            table.append(
                (lo, min(hi, 1), int(inside.sum()), flat_p[inside].mean(), flat_y[inside].mean())
            )
    return {
        "accuracy": float(right.mean()),
        "brier": float(((posteriors - onehot) ** 2).sum(axis=1).mean()),
        "calibration80": float(right[band].mean()) if band.any() else float("nan"),
        "band_count": int(band.sum()),
        "table": table,
        "questions": float(np.mean([len(ev) for _, ev in cases])),
    }


def run_sequence(world, ability, severity, order_or_none, pool, by_level, target, a, true_level):
    """Ask questions one at a time. Returns (questions to reach 80 % on the true level,
    questions at the stop rule, right at the stop, right after each question)."""
    evidence: list[estimate.Observation] = []
    asked: set[int] = set()
    reach, stop, right_at_stop = MAX_QUESTIONS + 1, None, False
    curve: list[bool] = []
    target_keys = set(by_level[target])
    for step in range(1, MAX_QUESTIONS + 1):
        if order_or_none is not None:
            if step > len(order_or_none):
                break
            q = order_or_none[step - 1]
        else:
            covered = {k for q in pool if q.id in asked for k in q.criteria}
            options = [
                estimate.Option(
                    id=q.id, number=q.key, level=q.level, minutes=q.minutes, criteria=q.criteria
                )
                for q in pool
                if q.id not in asked
            ]
            uncovered = {k: k for k in target_keys - covered}
            choice = estimate.next_question(
                evidence, options, minutes_left=10_000, uncovered=uncovered, a=a
            )
            if choice is None:
                break
            q = next(x for x in pool if x.id == choice.id)
        asked.add(q.id)
        evidence += observe(q, *world.answer(q, ability, severity))
        p = estimate.posterior(evidence, a)
        curve.append(bool(p.argmax() == true_level - 1))
        if reach > MAX_QUESTIONS and p[true_level - 1] >= estimate.SETTLED:
            reach = step
        if stop is None and p.max() >= estimate.SETTLED:
            stop, right_at_stop = step, bool(p.argmax() == true_level - 1)
    if stop is None:
        p = estimate.posterior(evidence, a)
        stop, right_at_stop = MAX_QUESTIONS, bool(p.argmax() == true_level - 1)
    curve += [curve[-1] if curve else False] * (MAX_QUESTIONS - len(curve))
    return reach, stop, right_at_stop, curve


def evaluate_adaptive(
    questions, by_level, n: int, seed: int, a: float, random_targets: bool = False
) -> dict:
    results = {"fixed": [], "adaptive": []}
    for kind in results:
        world = World(questions, seed, random_targets)  # the same candidates and jitter for both
        for index in range(n):
            level, ability, severity, target = world.candidate()
            order = None
            if kind == "fixed":
                order = fixed_order(questions, by_level, target, seed * 100_000 + index)
            results[kind].append(
                run_sequence(world, ability, severity, order, questions, by_level, target, a, level)
            )
    fixed_reach = np.array([r[0] for r in results["fixed"]], dtype=float)
    adaptive_reach = np.array([r[0] for r in results["adaptive"]], dtype=float)
    both = (fixed_reach <= MAX_QUESTIONS) & (adaptive_reach <= MAX_QUESTIONS)
    summary = {"both": (int(both.sum()), fixed_reach[both].mean(), adaptive_reach[both].mean())}
    for kind, rows in results.items():
        reach, stop, right = (np.array([r[i] for r in rows], dtype=float) for i in range(3))
        summary[kind] = {
            "reach": reach.mean(),
            "reached": (reach <= MAX_QUESTIONS).mean(),
            "stop": stop.mean(),
            "stop_accuracy": right.mean(),
            "curve": np.array([r[3] for r in rows], dtype=float).mean(axis=0),
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--sequential", type=int, default=600, help="candidates for part 2")
    parser.add_argument("--fit", action="store_true", help="only fit and print the discrimination")
    parser.add_argument(
        "--random-targets",
        action="store_true",
        help="part 2 only: targets independent of the true level (a sensitivity check)",
    )
    args = parser.parse_args()
    random.seed(0)
    questions, by_level = load_bank()
    print(
        f"bank: {len(questions)} questions; levels",
        {lv: sum(q.level == lv for q in questions) for lv in by_level},
    )

    training = simulate_plans(questions, by_level, args.candidates, seed=1)
    a = fit_discrimination(training)
    print(
        f"discrimination fitted on the training set (seed 1): {a:g} (module default {estimate.DISCRIMINATION:g})"
    )
    if args.fit:
        return 0

    evaluation = simulate_plans(questions, by_level, args.candidates, seed=2)
    result = evaluate_plans(evaluation, a)
    print(
        f"\n1. After a 45-minute plan ({result['questions']:.1f} scored questions on average), {args.candidates} candidates:"
    )
    print(f"   accuracy {result['accuracy']:.3f}, Brier {result['brier']:.3f} (uniform guess 0.75)")
    print(
        f"   most likely level stated at 75-85 %: right {result['calibration80']:.3f} of {result['band_count']}"
    )
    print("   reliability: stated band | n | mean stated | observed")
    for lo, hi, count, mean_p, freq in result["table"]:
        print(f"     {lo:.1f}-{hi:.1f} | {count:5d} | {mean_p:.3f} | {freq:.3f}")

    seq = evaluate_adaptive(questions, by_level, args.sequential, 3, a, args.random_targets)
    print(f"\n2. Sequential, {args.sequential} candidates, up to {MAX_QUESTIONS} questions:")
    for kind in ("fixed", "adaptive"):
        s = seq[kind]
        print(
            f"   {kind:8s}: {s['reach']:.2f} questions to reach 80 % on the true level "
            f"(reached by {s['reached']:.0%}); stop at 80 % on any level: {s['stop']:.2f} questions, "
            f"accuracy {s['stop_accuracy']:.3f}"
        )
    count, fixed_both, adaptive_both = seq["both"]
    print(
        f"   the {count} candidates both reach: fixed {fixed_both:.2f}, adaptive {adaptive_both:.2f} "
        f"questions ({1 - adaptive_both / fixed_both:.0%} fewer)"
    )
    print("   accuracy of the most likely level after n questions:")
    print("     n        " + " ".join(f"{n:5d}" for n in range(1, MAX_QUESTIONS + 1)))
    for kind in ("fixed", "adaptive"):
        print(f"     {kind:8s} " + " ".join(f"{x:5.2f}" for x in seq[kind]["curve"]))
    saving = 1 - seq["adaptive"]["reach"] / seq["fixed"]["reach"]
    print(f"   adaptive needs {saving:.0%} fewer questions (goal: at least 25 %)")
    print(
        f"RESULT accuracy={result['accuracy']:.2f} brier={result['brier']:.2f} "
        f"calibration80={result['calibration80']:.2f} adaptive_saving={saving:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
