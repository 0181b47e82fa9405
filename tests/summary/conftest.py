"""Users per role, the seed bank and interview helpers for the summary, decision, report and debrief tests.

Helpers are fixtures that return functions, so no test imports a conftest module by name.
"""

import pytest
from django.contrib.auth.models import Group, User

from interviews import roles, services
from interviews.models import Candidate, Interview, PlannedQuestion
from questionbank.models import Bank, Level


def _make_user(username: str, role: str = roles.INTERVIEWERS) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "password")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def make_user(db):
    return _make_user


@pytest.fixture
def interviewer(db) -> User:
    return _make_user("alice")


@pytest.fixture
def other_interviewer(db) -> User:
    return _make_user("bob")


@pytest.fixture
def manager(db) -> User:
    return _make_user("maya", roles.HIRING_MANAGERS)


@pytest.fixture
def bank(seed_bank) -> Bank:
    """The seed bank (see `seed_bank` in tests/conftest.py)."""
    return seed_bank


@pytest.fixture
def make_interview(bank, interviewer):
    """Plan a Senior interview through the real service; the seed is fixed so plans repeat."""

    def make(
        candidate: Candidate | str = "Ada Lovelace",
        *,
        interviewers=None,
        target_level: int = Level.SENIOR,
        seed: int = 1,
    ) -> Interview:
        if isinstance(candidate, str):
            candidate = Candidate.objects.create(name=candidate)
        interviewers = interviewers or [interviewer]
        return services.create_interview(
            candidate=candidate,
            position="ML Engineer",
            target_level=target_level,
            bank=bank,
            planned_minutes=45,
            interviewers=interviewers,
            created_by=interviewers[0],
            seed=seed,
        )

    return make


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
