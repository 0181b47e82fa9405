"""How likely each level is, given the scored questions: a graded response model over four levels.

The model (Samejima 1969, "Estimation of latent ability using a response pattern of graded scores",
Psychometrika Monograph 17; the cumulative-logit form of Agresti, "Categorical Data Analysis", 8.2):

1. The candidate has one level θ, Junior (1) to Principal (4). Before any score every level is
   equally likely (a uniform prior): the interview's target is the position's level, not evidence
   about the person.
2. Each question has a difficulty b, its own level. The chance of a score of at least k is
   P(score ≥ k | θ) = 1 / (1 + exp(-a (θ - b - c_k))), with the same thresholds for every question,
   c = (-1.5, -0.5, +1.0) for k = 2, 3, 4, and one discrimination a for every question. So a
   candidate at the question's own level most often scores 3 (Solid); on a question one level
   above, most often 2 (Partial); one level below, most often 3 or 4.
3. A score with a hint counts half: its likelihood is raised to the power 0.5 (HINT_WEIGHT), so it
   moves the estimate half as far, in either direction, as the same score without a hint. "Not assessed" (0) and unscored questions
   are no evidence and change nothing.
4. The scores of one interview are not independent given the level: a candidate sits somewhere
   inside a level's band, and a rater is harsh or lenient for a whole interview, so every score
   shares those. Multiplying their likelihoods as if independent overstates the evidence (the
   stated 80 % would be right less often). So every log-likelihood is tempered: multiplied by
   TEMPER (< 1), which is the same as counting each score as TEMPER of an independent one (a
   "power likelihood"; Grünwald & van Ommen 2017, "Inconsistency of Bayesian inference for
   misspecified linear models, and a proposal for repairing it", Bayesian Analysis 12(4)).
5. The posterior is the prior times the product of the tempered likelihoods, normalised. P(level)
   is the posterior of that level. A panel's scorecards combine the same way: every scored
   question of every scorecard is one more factor, the prior counted once; recommendations are
   never averaged.

What follows from it, and is tested: a higher score never lowers the probability of being at or
above any level; a 2 on a question above a level is not evidence against that level in favour of
any lower level (its likelihood peaks one level below the question); repeating the same evidence
narrows the estimate; a panel estimate equals the estimate from all the panel's evidence at once.

The next question (the live view's suggestion) is the one with the largest expected information:
the entropy of the current estimate minus the entropy expected after its score, computed exactly
over the four scores, each weighted by how likely the current estimate makes it (Lindley 1956;
van der Linden & Glas, "Elements of Adaptive Testing", 2010, ch. 2).

Both parameters were fitted by `bench/estimate.py --fit` on a simulated training set whose
generating process is not this model (continuous ability, jittered difficulty, rater severity and
noise, hints, Not assessed): the discrimination by maximum likelihood of the scores given the true
level, then TEMPER by the best mean log-probability of the true level; the bench evaluates on
separate simulated sets. The analytics issue may refit them from real scores later;
MODEL_VERSION names the parameters a frozen estimate used ("grm-1": a = 1.3, untempered).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from questionbank.levels import Level

LEVELS = tuple(Level.values)
LEVEL_LABELS = dict(Level.choices)  # derived from the one definition of level names
SCORES = (1, 2, 3, 4)
THRESHOLDS = (-1.5, -0.5, 1.0)
DISCRIMINATION = 2.1
TEMPER = 0.48
HINT_WEIGHT = 0.5
SETTLED = 0.8
MODEL_VERSION = "grm-2"

_THETA = np.array(LEVELS, dtype=float)


@dataclass(frozen=True)
class Observation:
    """One scored question: its level (difficulty), the score 1-4, and whether a hint was given."""

    number: str
    level: int
    score: int
    hint: bool = False
    source: str = ""  # which scorecard, in a panel
    severity: float | None = None  # its interviewer's severity in score points, when corrected


def observations(
    rows: Iterable[tuple[str, int | None, int | None, bool]],
    source: str = "",
    *,
    severity: float | None = None,
) -> list[Observation]:
    """(number, question level, score, hint) rows to evidence: Not assessed and unscored drop out.
    `severity`: the interviewer's measured severity in score points (positive: scores run low),
    when the level estimate corrects for it (INTERVIEW_CORRECT_SEVERITY); None leaves it out."""
    return [
        Observation(
            number=n, level=int(lv), score=int(s), hint=bool(h), source=source, severity=severity
        )
        for n, lv, s, h in rows
        if s is not None and s > 0 and lv in LEVELS
    ]


def severity_in_levels(points: float, a: float = DISCRIMINATION) -> float:
    """An interviewer's severity in score points as extra difficulty in levels: a severe
    interviewer's question is read as that much harder, as the many-facet model puts rater
    severity beside question difficulty (Linacre 1989; Eckes 2015, ch. 2). Points per level is
    how fast the expected score rises with the candidate's level at the question's own level."""
    at_least = 1 / (1 + np.exp(a * np.array(THRESHOLDS)))
    return points / (a * float((at_least * (1 - at_least)).sum()))


def score_probabilities(question_level: float, a: float = DISCRIMINATION) -> np.ndarray:
    """P(score | level): a 4x4 array, rows the candidate's level 1-4, columns the score 1-4."""
    offsets = question_level + np.array(THRESHOLDS)
    at_least = 1 / (1 + np.exp(-a * (_THETA[:, None] - offsets[None, :])))
    cumulative = np.hstack([np.ones((len(LEVELS), 1)), at_least, np.zeros((len(LEVELS), 1))])
    return np.clip(cumulative[:, :-1] - cumulative[:, 1:], 1e-12, None)


def log_likelihood(
    obs: Observation, a: float = DISCRIMINATION, *, temper: float = TEMPER
) -> np.ndarray:
    """The weighted log-likelihood of one observation, one value per level."""
    weight = temper * (HINT_WEIGHT if obs.hint else 1.0)
    difficulty = obs.level + severity_in_levels(obs.severity or 0.0, a)
    return weight * np.log(score_probabilities(difficulty, a)[:, obs.score - 1])


def posterior(
    evidence: Sequence[Observation],
    a: float = DISCRIMINATION,
    prior: np.ndarray | None = None,
    *,
    temper: float = TEMPER,
) -> np.ndarray:
    log_p = np.log(prior) if prior is not None else np.zeros(len(LEVELS))
    for obs in evidence:
        log_p = log_p + log_likelihood(obs, a, temper=temper)
    log_p -= log_p.max()
    p = np.exp(log_p)
    return p / p.sum()


def entropy(p: np.ndarray) -> float:
    """In bits."""
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


def expected_information(
    p: np.ndarray, question_level: int, a: float = DISCRIMINATION, *, temper: float = TEMPER
) -> float:
    """Expected fall in entropy (bits) from scoring one more question at this level, without hint:
    the current entropy minus the entropy after each of the four scores, weighted by how likely
    the current estimate makes that score."""
    table = score_probabilities(question_level, a)
    predictive = p @ table
    after = 0.0
    for s in range(len(SCORES)):
        updated = p * table[:, s] ** temper
        after += predictive[s] * entropy(updated / updated.sum())
    return entropy(p) - after


def best_level(
    p: np.ndarray,
    levels: Iterable[int] = LEVELS,
    a: float = DISCRIMINATION,
    *,
    temper: float = TEMPER,
) -> int:
    return max(
        levels,
        key=lambda lv: (round(expected_information(p, lv, a, temper=temper), 9), -abs(lv - 2.5)),
    )


# The estimate of one scorecard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """What one scored question says: the level it favours most, and by how much it moved the
    estimate between the two leading levels (a log-likelihood ratio, natural log, weighted)."""

    number: str
    level: int
    score: int
    hint: bool
    favours: int
    log_ratio: float
    source: str = ""

    @property
    def favours_label(self) -> str:
        return LEVEL_LABELS[self.favours]

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def factor(self) -> float:
        return round(math.exp(abs(self.log_ratio)), 1)


@dataclass(frozen=True)
class Estimate:
    probabilities: tuple[float, ...]  # P(Junior), P(Mid), P(Senior), P(Principal)
    most_likely: int | None  # None before any evidence
    settled: bool
    statement: str
    contributions: tuple[Contribution, ...]
    runner_up: int | None = None
    model: str = MODEL_VERSION

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.most_likely, "Not placed")

    @property
    def rows(self) -> list[dict]:
        """One row per level for templates: label, percent, whether it is the most likely."""
        return [
            {
                "level": level,
                "label": LEVEL_LABELS[level],
                "percent": round(100 * p),
                "top": level == self.most_likely,
            }
            for level, p in zip(LEVELS, self.probabilities, strict=True)
        ]

    def probability(self, level: int) -> float:
        return self.probabilities[level - 1]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Estimate":
        return cls(
            **{
                **data,
                "probabilities": tuple(data["probabilities"]),
                "contributions": tuple(Contribution(**c) for c in data["contributions"]),
            }
        )


def _percent(p: float) -> str:
    return f"{round(100 * p)} %"


def statement(
    p: np.ndarray,
    count: int,
    gaps: Mapping[int, Sequence[str]] | None = None,
    a: float = DISCRIMINATION,
    *,
    temper: float = TEMPER,
) -> str:
    """How settled the estimate is, in one sentence, naming the question that would help most."""
    if count == 0:
        return "No scored question yet: every level is equally likely (25 % each)."
    order = np.argsort(-p, kind="stable")
    first, second = int(order[0]), int(order[1])
    lead = f"{LEVEL_LABELS[first + 1]} {_percent(p[first])}, {LEVEL_LABELS[second + 1]} {_percent(p[second])}"
    if p[first] >= SETTLED:
        return f"{lead} — settled enough to decide ({_percent(SETTLED)} or more on one level)."
    level = best_level(p, a=a, temper=temper)
    names = list((gaps or {}).get(level, ()))
    on = f" on {names[0]}" if names else ""
    return f"{lead} — one more {LEVEL_LABELS[level]}-level question{on} would narrow it most."


def estimate(
    evidence: Sequence[Observation],
    gaps: Mapping[int, Sequence[str]] | None = None,
    a: float = DISCRIMINATION,
    *,
    temper: float = TEMPER,
) -> Estimate:
    """The estimate from a scorecard's (or a panel's) evidence. `gaps` names, per level, criteria
    without evidence yet, so the sentence can say which question would help."""
    p = posterior(evidence, a, temper=temper)
    if not evidence:
        return Estimate(
            probabilities=tuple(round(float(x), 4) for x in p),
            most_likely=None,
            settled=False,
            statement=statement(p, 0),
            contributions=(),
        )
    order = np.argsort(-p, kind="stable")
    top, runner = int(order[0]), int(order[1])
    contributions = []
    for obs in evidence:
        ll = log_likelihood(obs, a, temper=temper)
        contributions.append(
            Contribution(
                number=obs.number,
                level=obs.level,
                score=obs.score,
                hint=obs.hint,
                favours=int(np.argmax(ll)) + 1,
                log_ratio=round(float(ll[top] - ll[runner]), 3),
                source=obs.source,
            )
        )
    return Estimate(
        probabilities=tuple(round(float(x), 4) for x in p),
        most_likely=top + 1,
        settled=bool(p[top] >= SETTLED),
        statement=statement(p, len(evidence), gaps, a, temper=temper),
        contributions=tuple(contributions),
        runner_up=runner + 1,
    )


# The panel ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardShare:
    """One scorecard in a panel: its own estimate, and how the combined estimate would move without
    it (percentage points on the combined most likely level; positive: this card supports it)."""

    source: str
    own: Estimate
    shift: float
    evidence: int


@dataclass(frozen=True)
class Disagreement:
    first: str
    first_level: int
    first_p: float
    second: str
    second_level: int
    second_p: float

    @property
    def sentence(self) -> str:
        return (
            f"{self.first} reads {LEVEL_LABELS[self.first_level]} ({_percent(self.first_p)}), "
            f"{self.second} reads {LEVEL_LABELS[self.second_level]} ({_percent(self.second_p)})."
        )


# Two scorecards disagree when each puts at least this much on a different level.
DISAGREEMENT = 0.6


@dataclass(frozen=True)
class PanelEstimate:
    combined: Estimate
    cards: tuple[CardShare, ...]
    disagreements: tuple[Disagreement, ...]


def combine(
    cards: Sequence[tuple[str, Sequence[Observation]]],
    gaps: Mapping[int, Sequence[str]] | None = None,
    a: float = DISCRIMINATION,
    *,
    temper: float = TEMPER,
) -> PanelEstimate:
    """The panel's estimate from all its scorecards' evidence (product of likelihoods, one prior)."""
    everything = [obs for _, evidence in cards for obs in evidence]
    combined = estimate(everything, gaps, a, temper=temper)
    shares = []
    for index, (source, evidence) in enumerate(cards):
        own = estimate(list(evidence), a=a, temper=temper)
        shift = 0.0
        if combined.most_likely is not None:
            others = [obs for i, (_, ev) in enumerate(cards) if i != index for obs in ev]
            without = posterior(others, a, temper=temper)[combined.most_likely - 1]
            shift = round(100 * (combined.probability(combined.most_likely) - float(without)), 1)
        shares.append(CardShare(source=source, own=own, shift=shift, evidence=len(evidence)))
    disagreements = []
    for i, first in enumerate(shares):
        for second in shares[i + 1 :]:
            lv1, lv2 = first.own.most_likely, second.own.most_likely
            if lv1 is None or lv2 is None or lv1 == lv2:
                continue
            p1, p2 = first.own.probability(lv1), second.own.probability(lv2)
            if p1 >= DISAGREEMENT and p2 >= DISAGREEMENT:
                disagreements.append(Disagreement(first.source, lv1, p1, second.source, lv2, p2))
    return PanelEstimate(combined=combined, cards=tuple(shares), disagreements=tuple(disagreements))


# The next question -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """A bank question that could be asked next."""

    id: int
    number: str
    level: int
    minutes: int
    criteria: frozenset[str]
    times_asked: int = 0


@dataclass(frozen=True)
class Suggestion:
    id: int
    number: str
    level: int
    information: float  # expected fall in entropy, bits
    covers: tuple[str, ...]  # uncovered target criteria it covers
    reason: str


# A question within this share of the best expected information still counts as "most informative",
# so that one covering a target criterion without evidence wins over a marginally better one.
NEAR_BEST = 0.8


def next_question(
    evidence: Sequence[Observation],
    options: Iterable[Option],
    *,
    minutes_left: int,
    uncovered: Mapping[str, str] | None = None,
    a: float = DISCRIMINATION,
    temper: float = TEMPER,
) -> Suggestion | None:
    """The question expected to reduce the uncertainty most, among those that fit the time left.

    `options` must already exclude every question asked of this candidate anywhere in the loop.
    `uncovered` maps the keys of target criteria without evidence to their names. Among questions
    within NEAR_BEST of the most informative, one covering more uncovered target criteria wins,
    then the least asked (exposure), then the shorter, then the lowest id (deterministic).
    """
    uncovered = uncovered or {}
    fitting = [o for o in options if 0 < o.minutes <= minutes_left and o.level in LEVELS]
    if not fitting:
        return None
    p = posterior(evidence, a, temper=temper)
    gain = {level: expected_information(p, level, a, temper=temper) for level in LEVELS}
    best = max(gain[o.level] for o in fitting)
    near = [o for o in fitting if gain[o.level] >= NEAR_BEST * best - 1e-12]
    choice = min(
        near,
        key=lambda o: (
            -len(o.criteria & uncovered.keys()),
            -round(gain[o.level], 6),
            o.times_asked,
            o.minutes,
            o.id,
        ),
    )
    covers = tuple(uncovered[k] for k in sorted(choice.criteria & uncovered.keys()))
    top = int(np.argmax(p))
    now = (
        f"{LEVEL_LABELS[top + 1]} {_percent(p[top])} now" if evidence else "no scored question yet"
    )
    reason = (
        f"A {LEVEL_LABELS[choice.level]}-level question is expected to narrow the estimate most "
        f"({gain[choice.level]:.2f} bits; {now})"
    )
    reason += f" and covers {', '.join(covers)}, not assessed yet." if covers else "."
    return Suggestion(
        id=choice.id,
        number=choice.number,
        level=choice.level,
        information=round(float(gain[choice.level]), 4),
        covers=covers,
        reason=reason,
    )
