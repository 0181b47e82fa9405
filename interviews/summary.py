"""The rubric-based hiring summary. A pure function: pinned questions, scores and rubric in, summary out.

Every rule that decides a status or a recommendation is written here once, with its thresholds
taken from `Rules`, and explains itself in words: the page shows those words next to the result,
so a hiring manager can check the reasoning instead of trusting a number.

Rules version 2 reads each score against the question's own level (issue 13). A criterion's mean
is taken over the questions at or below the criterion's level. A question above it (a stretch) is
read as its score plus one per level of difference (capped at 4), because a candidate at the
criterion's level is expected to score about that much lower there: a 2 on a question one level up
reads as a 3. Stretch evidence joins the mean only when it does not lower it, so a stretch
question alone never turns a criterion from Meets to Partial; a criterion with only stretch
evidence takes the mean of its read scores. The level estimate with its probabilities comes from
the graded response model in interviews/estimate.py, frozen with the summary.
"""

import math
from dataclasses import asdict, dataclass
from statistics import mean

from interviews import estimate as level_model
from interviews.choices import Recommendation
from questionbank.levels import Level

# Derived from the one definition of each, for the modules that read labels by value.
LEVEL_LABELS = dict(Level.choices)

STRONG, MEETS, PARTIAL, NOT_MET, NOT_ASSESSED = (
    "strong",
    "meets",
    "partial",
    "not_met",
    "not_assessed",
)
STATUS_LABELS = {
    STRONG: "Strong",
    MEETS: "Meets",
    PARTIAL: "Partial",
    NOT_MET: "Not met",
    NOT_ASSESSED: "Not assessed",
}
LEVEL_MET, LEVEL_NOT_ENOUGH, LEVEL_NOT_MET = "met", "not_enough_evidence", "not_met"
LEVEL_STATUS_LABELS = {
    LEVEL_MET: "Met",
    LEVEL_NOT_ENOUGH: "Not enough evidence",
    LEVEL_NOT_MET: "Not met",
}
STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE = (
    Recommendation.STRONG_HIRE,
    Recommendation.HIRE,
    Recommendation.NO_HIRE,
    Recommendation.STRONG_NO_HIRE,
)
RECOMMENDATION_LABELS = dict(Recommendation.choices)


@dataclass(frozen=True)
class Rules:
    """Thresholds, in one place. Change them in settings.INTERVIEW_SUMMARY_RULES (see README)."""

    version: str = "2"
    strong: float = 3.5
    meets: float = 3.0
    partial: float = 2.0
    # A level is only "met" when at least this share of its criteria were assessed.
    min_assessed: float = 0.6

    def needed(self, total: int) -> int:
        return max(1, math.ceil(total * self.min_assessed - 1e-9))


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    group: str
    level: int | None  # None for unranked groups (specialist areas)


@dataclass(frozen=True)
class Answer:
    """One pinned question with how it was scored. score None = not scored, 0 = not assessed."""

    number: str
    section: str
    criteria: tuple[str, ...]
    score: int | None
    notes: str = ""
    private: bool = False
    level: int | None = None  # the question's level; None reads every score as it is (rules 1)
    hint: bool = False


@dataclass(frozen=True)
class Evidence:
    number: str
    score: int
    notes: str
    private: bool
    read_as: int | None = None  # a stretch score as read at the criterion's level (rules 2)


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name: str
    group: str
    level: int | None
    mean: float | None
    count: int
    status: str
    evidence: tuple[Evidence, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class LevelResult:
    level: int
    label: str
    status: str
    assessed: int
    total: int
    needed: int
    reason: str

    @property
    def status_label(self) -> str:
        return LEVEL_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Summary:
    target_level: int
    rules: Rules
    criteria: tuple[CriterionResult, ...]
    levels: tuple[LevelResult, ...]
    estimated_level: int | None
    estimated_reason: str
    recommendation: str
    reasons: tuple[str, ...]
    coverage_gaps: tuple[str, ...]
    strengths: tuple[CriterionResult, ...]
    concerns: tuple[CriterionResult, ...]
    scored: int = 0
    not_assessed: int = 0
    unscored: int = 0
    estimate: level_model.Estimate | None = None  # None in summaries frozen before rules 2
    # The interviewer's severity in score points the estimate corrected for; None: not corrected.
    severity: float | None = None

    @property
    def recommendation_label(self) -> str:
        return RECOMMENDATION_LABELS[self.recommendation]

    @property
    def estimated_label(self) -> str:
        return LEVEL_LABELS.get(self.estimated_level, "Not placed")

    @property
    def target_label(self) -> str:
        return LEVEL_LABELS[self.target_level]

    @property
    def severity_sentence(self) -> str:
        """What the severity correction did to the level estimate, for the reader; empty when off."""
        if self.severity is None:
            return ""
        if round(self.severity, 2) == 0:
            return (
                "Corrected for the interviewer's measured severity: none was measured (no "
                "calibration yet, or an average interviewer), so the scores are read as given."
            )
        direction = "below" if self.severity > 0 else "above"
        harder = "harder" if self.severity > 0 else "easier"
        shift = abs(level_model.severity_in_levels(self.severity))
        return (
            f"Corrected for the interviewer's measured severity: their scores run "
            f"{abs(self.severity):.2f} points {direction} the average interviewer's (interviewer "
            f"calibration before this scorecard was submitted), so each question is read as "
            f"{shift:.2f} levels {harder}."
        )

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Summary":
        def criterion(c):
            return CriterionResult(**{**c, "evidence": tuple(Evidence(**e) for e in c["evidence"])})

        return cls(
            **{
                **data,
                "rules": Rules(**data["rules"]),
                "criteria": tuple(criterion(c) for c in data["criteria"]),
                "levels": tuple(LevelResult(**lv) for lv in data["levels"]),
                "reasons": tuple(data["reasons"]),
                "coverage_gaps": tuple(data["coverage_gaps"]),
                "strengths": tuple(criterion(c) for c in data["strengths"]),
                "concerns": tuple(criterion(c) for c in data["concerns"]),
                "estimate": level_model.Estimate.from_dict(data["estimate"])
                if data.get("estimate")
                else None,
            }
        )


def criterion_status(average: float | None, rules: Rules) -> str:
    if average is None:
        return NOT_ASSESSED
    if average >= rules.strong:
        return STRONG
    if average >= rules.meets:
        return MEETS
    if average >= rules.partial:
        return PARTIAL
    return NOT_MET


def _read(answer: Answer, criterion: Criterion) -> int:
    """A score as read at the criterion's level: plus one per level the question is above it."""
    if answer.level is None or criterion.level is None or answer.level <= criterion.level:
        return answer.score
    return min(4, answer.score + answer.level - criterion.level)


def _stretch(answer: Answer, criterion: Criterion) -> bool:
    return (
        answer.level is not None and criterion.level is not None and answer.level > criterion.level
    )


def _criterion_mean(evidence: list[tuple[Evidence, bool]]) -> float | None:
    """At-or-below evidence always counts; each stretch read joins only if it does not lower the
    mean (best first, so the order of the plan never matters)."""
    base = [e.read_as or e.score for e, stretch in evidence if not stretch]
    stretches = sorted((e.read_as or e.score for e, stretch in evidence if stretch), reverse=True)
    if not base:
        return round(mean(stretches), 2) if stretches else None
    for value in stretches:
        if value >= mean(base):
            base.append(value)
    return round(mean(base), 2)


def _criterion_results(answers, rubric, rules) -> tuple[CriterionResult, ...]:
    results = []
    for criterion in rubric:
        read = [
            (
                Evidence(
                    number=a.number,
                    score=a.score,
                    notes=a.notes,
                    private=a.private,
                    read_as=_read(a, criterion) if _read(a, criterion) != a.score else None,
                ),
                _stretch(a, criterion),
            )
            for a in answers
            if criterion.key in a.criteria and a.score is not None and a.score > 0
        ]
        average = _criterion_mean(read)
        results.append(
            CriterionResult(
                key=criterion.key,
                name=criterion.name,
                group=criterion.group,
                level=criterion.level,
                mean=average,
                count=len(read),
                status=criterion_status(average, rules),
                evidence=tuple(e for e, _ in read),
            )
        )
    return tuple(results)


def _level_result(level: int, criteria: list[CriterionResult], rules: Rules) -> LevelResult:
    label = LEVEL_LABELS[level]
    assessed = [c for c in criteria if c.status != NOT_ASSESSED]
    below = [c for c in assessed if c.status in (PARTIAL, NOT_MET)]
    needed = rules.needed(len(criteria))
    if below:
        status = LEVEL_NOT_MET
        names = ", ".join(f"{c.name} ({c.status_label}, {c.mean:g})" for c in below)
        reason = f"Below Meets on {names}."
    elif len(assessed) >= needed:
        status = LEVEL_MET
        reason = (
            f"Every assessed {label} criterion is Meets or better; {len(assessed)} of "
            f"{len(criteria)} assessed (at least {needed} needed)."
        )
    else:
        status = LEVEL_NOT_ENOUGH
        reason = (
            f"Only {len(assessed)} of {len(criteria)} {label} criteria assessed "
            f"(at least {needed} needed to decide)."
        )
    return LevelResult(
        level=level,
        label=label,
        status=status,
        assessed=len(assessed),
        total=len(criteria),
        needed=needed,
        reason=reason,
    )


def _estimate(levels: dict[int, LevelResult]) -> tuple[int | None, str]:
    """The highest met level with no lower level contradicting it.

    A lower level counts when it is met, or when it lacks evidence without any assessed criterion
    below Meets: a Senior interview asks one baseline question, not a Junior interview, so thin
    evidence below is taken as implied, never as a failure. A lower level that is not met blocks.
    """
    for level in sorted(levels, reverse=True):
        if levels[level].status != LEVEL_MET:
            continue
        lower = [levels[other] for other in sorted(levels) if other < level]
        if any(lv.status == LEVEL_NOT_MET for lv in lower):
            continue
        implied = [lv.label for lv in lower if lv.status == LEVEL_NOT_ENOUGH]
        reason = f"{LEVEL_LABELS[level]} is the highest level met"
        if implied:
            verb = "is" if len(implied) == 1 else "are"
            reason += f"; {', '.join(implied)} had too little evidence and {verb} taken as implied"
        return level, reason + "."
    if any(lv.status == LEVEL_MET for lv in levels.values()):
        return None, "A level is met, but a level below it is not met."
    return None, "No level is met yet."


def _recommend(
    target: int, levels: dict[int, LevelResult], criteria, rules
) -> tuple[str, list[str]]:
    label = LEVEL_LABELS[target]
    own = levels[target]
    target_criteria = [c for c in criteria if c.level == target and c.status != NOT_ASSESSED]
    above, below = levels.get(target + 1), levels.get(target - 1)
    if own.status == LEVEL_MET:
        if above and above.status == LEVEL_MET:
            return STRONG_HIRE, [
                own.reason,
                f"Also meets the level above ({above.label}): {above.reason}",
            ]
        if target_criteria and all(c.status == STRONG for c in target_criteria):
            return STRONG_HIRE, [
                own.reason,
                f"Every assessed {label} criterion is Strong (mean at least {rules.strong:g}).",
            ]
        return HIRE, [own.reason]
    if own.status == LEVEL_NOT_MET:
        failing = [c for c in target_criteria if c.status == NOT_MET]
        if failing:
            names = ", ".join(f"{c.name} ({c.mean:g})" for c in failing)
            return STRONG_NO_HIRE, [
                own.reason,
                f"Not met (mean below {rules.partial:g}) on {names}.",
            ]
        if below and below.status == LEVEL_NOT_MET:
            return STRONG_NO_HIRE, [
                own.reason,
                f"The level below ({below.label}) is not met either.",
            ]
        return NO_HIRE, [own.reason]
    return NO_HIRE, [
        own.reason,
        f"A hire needs enough evidence at {label}; a gap in evidence is not a low score, so "
        "consider another interview covering the gaps.",
    ]


def summarise(
    answers: tuple[Answer, ...] | list[Answer],
    rubric: tuple[Criterion, ...] | list[Criterion],
    target_level: int,
    rules: Rules | None = None,
    *,
    severity: float | None = None,
) -> Summary:
    """`severity`: the interviewer's severity in score points for the level estimate to correct
    for (INTERVIEW_CORRECT_SEVERITY); None leaves the scores as given."""
    rules = rules or Rules()
    criteria = _criterion_results(answers, rubric, rules)
    ranked = sorted({c.level for c in rubric if c.level is not None})
    levels = {
        level: _level_result(level, [c for c in criteria if c.level == level], rules)
        for level in ranked
    }
    if target_level not in levels:
        raise ValueError(f"the rubric has no {LEVEL_LABELS.get(target_level, target_level)} level")
    estimated, estimated_reason = _estimate(levels)
    recommendation, reasons = _recommend(target_level, levels, criteria, rules)
    assessed = [c for c in criteria if c.status != NOT_ASSESSED]
    gaps: dict[int, list[str]] = {}
    for c in criteria:
        if c.level is not None and c.status == NOT_ASSESSED:
            gaps.setdefault(c.level, []).append(c.name)
    evidence = level_model.observations(
        ((a.number, a.level, a.score, a.hint) for a in answers if a.level is not None),
        severity=severity,
    )
    by_best = sorted(assessed, key=lambda c: (-c.mean, -c.count, c.key))
    return Summary(
        target_level=target_level,
        rules=rules,
        criteria=criteria,
        levels=tuple(levels[level] for level in ranked),
        estimated_level=estimated,
        estimated_reason=estimated_reason,
        recommendation=recommendation,
        reasons=tuple(reasons),
        coverage_gaps=tuple(
            c.name for c in criteria if c.level == target_level and c.status == NOT_ASSESSED
        ),
        strengths=tuple(c for c in by_best if c.status in (STRONG, MEETS))[:3],
        concerns=tuple(c for c in reversed(by_best) if c.status in (PARTIAL, NOT_MET))[:3],
        scored=sum(1 for a in answers if a.score is not None and a.score > 0),
        not_assessed=sum(1 for a in answers if a.score == 0),
        unscored=sum(1 for a in answers if a.score is None),
        estimate=level_model.estimate(evidence, gaps),
        severity=severity,
    )
