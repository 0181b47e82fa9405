"""Scoring and submitting helpers for the summary, decision, report and debrief tests; users, the
seed bank and `make_interview` are in tests/conftest.py.

Helpers are fixtures that return functions, so no test imports a conftest module by name.
"""

import pytest

from interviews import services
from interviews.models import Interview, PlannedQuestion


@pytest.fixture
def score():
    """Score every planned question: one score for all, or a list by position (None = unscored;
    entries past the end of the plan are ignored, so a long list fits any plan).

    `notes` maps a position to its note; `shared` lists the positions whose note the interviewer
    marked for the candidate's report (notes are never shared otherwise).
    """

    def score(interview: Interview, scores=3, *, notes=None, shared=()) -> list[PlannedQuestion]:
        items = list(interview.items.order_by("position"))
        if not isinstance(scores, list):
            scores = [scores] * len(items)
        notes = notes or {}
        for index, item in enumerate(items):
            item.score = scores[index]
            item.notes = notes.get(index, "")
            item.notes_shared = index in shared
        PlannedQuestion.objects.bulk_update(items, ["score", "notes", "notes_shared"])
        return items

    return score


@pytest.fixture
def submit():
    """Submit a scored interview through the service, as its first interviewer."""

    def submit(interview: Interview, recommendation="hire", rationale="Clear and careful."):
        services.submit_scorecard(
            interview=interview,
            by=interview.interviewers.first(),
            recommendation=recommendation,
            rationale=rationale,
        )
        interview.refresh_from_db()
        return interview

    return submit
