"""The hiring manager's debrief: every submitted scorecard of a candidate's loop, side by side."""

from dataclasses import dataclass

from interviews import estimate
from interviews.models import Interview, PlannedQuestion, Recommendation, Status
from interviews.summary import LEVEL_LABELS, NOT_ASSESSED, CriterionResult, Summary

# A criterion on which two interviewers' means differ by this much is a disagreement to discuss.
DISAGREEMENT_SPREAD = 2.0
HIRE_SIDE = {Recommendation.STRONG_HIRE, Recommendation.HIRE}


@dataclass(frozen=True)
class Scorecard:
    interview: Interview
    summary: Summary

    @property
    def interviewers(self) -> str:
        return ", ".join(u.get_full_name() or u.username for u in self.interview.interviewers.all())


@dataclass(frozen=True)
class CriterionRow:
    key: str
    name: str
    group: str
    level: int | None
    results: tuple[CriterionResult | None, ...]  # one per scorecard, None when its rubric lacks it
    spread: float | None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD

    @property
    def assessed(self) -> bool:
        return any(r and r.status != NOT_ASSESSED for r in self.results)


def build(loop: list[Interview]) -> dict:
    scorecards = [
        Scorecard(interview=i, summary=Summary.from_dict(i.summary))
        for i in loop
        if i.status == Status.SUBMITTED and i.summary
    ]
    rows = _rows(scorecards)
    target = max((s.interview.target_level for s in scorecards), default=None)
    target_rows = [r for r in rows if r.level == target]
    recommendations = {s.interview.recommendation for s in scorecards}
    gaps = [r for r in target_rows if not r.assessed]
    return {
        "panel": _panel(scorecards, {target: [r.name for r in gaps]} if target else {}),
        "loop": loop,
        "pending": [i for i in loop if i.status != Status.SUBMITTED],
        "scorecards": scorecards,
        # Scorecards whose level evidence was read against their interviewer's severity.
        "corrected": [s for s in scorecards if s.summary.severity is not None],
        "rows": rows,
        "disagreements": [r for r in rows if r.disagreement],
        "split": bool(recommendations & HIRE_SIDE) and bool(recommendations - HIRE_SIDE),
        "target_label": LEVEL_LABELS.get(target, ""),
        "target_total": len(target_rows),
        "covered": [r for r in target_rows if r.assessed],
        "gaps": gaps,
    }


def _panel(scorecards: list[Scorecard], gaps: dict) -> estimate.PanelEstimate | None:
    """The combined level estimate: every scored question of every submitted scorecard is one
    more piece of evidence (the items of a submitted scorecard can no longer change)."""
    if not scorecards:
        return None
    items = PlannedQuestion.objects.filter(
        interview__in=[s.interview for s in scorecards]
    ).order_by("position")
    by_interview: dict[int, list] = {}
    for item in items.only("interview", "snapshot", "score", "hint_given"):
        by_interview.setdefault(item.interview_id, []).append(item)
    cards = []
    for card in scorecards:
        source = f"{card.interviewers} ({card.interview.position})"
        rows = (
            (i.snapshot["number"], i.snapshot.get("level"), i.score, i.hint_given)
            for i in by_interview.get(card.interview.pk, [])
        )
        severity = card.summary.severity  # frozen at submission, None when not corrected
        cards.append((source, estimate.observations(rows, source=source, severity=severity)))
    return estimate.combine(cards, gaps)


def _rows(scorecards: list[Scorecard]) -> list[CriterionRow]:
    order: dict[str, CriterionResult] = {}
    for card in scorecards:
        for c in card.summary.criteria:
            order.setdefault(c.key, c)
    rows = []
    for key, first in order.items():
        results = tuple(
            next((c for c in card.summary.criteria if c.key == key), None) for card in scorecards
        )
        means = [r.mean for r in results if r and r.mean is not None]
        spread = round(max(means) - min(means), 2) if len(means) >= 2 else None
        rows.append(
            CriterionRow(
                key=key,
                name=first.name,
                group=first.group,
                level=first.level,
                results=results,
                spread=spread,
            )
        )
    return rows
