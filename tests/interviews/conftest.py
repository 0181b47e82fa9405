"""Users per role, the seed bank and a `make_interview` helper for the interviews app's tests.

No `__init__.py` here on purpose: as a package this directory would be imported as `interviews`,
the Django app's own name. Helpers are fixtures that return functions, so no test imports a
`conftest` module by name.
"""

import pytest
from django.contrib.auth.models import Group, User

from accounts import roles
from interviews import services
from interviews.models import Candidate
from questionbank.models import Bank, Level


def _make_user(username: str, *role_names: str) -> User:
    """A user in the given roles (none is allowed: a plain account); bank editors are staff."""
    user = User.objects.create_user(
        username,
        f"{username}@example.com",
        "password",
        is_staff=roles.BANK_EDITORS in role_names,
    )
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


@pytest.fixture
def make_user(db):
    return _make_user


@pytest.fixture
def interviewer(db) -> User:
    return _make_user("ines", roles.INTERVIEWERS)


@pytest.fixture
def other_interviewer(db) -> User:
    return _make_user("otto", roles.INTERVIEWERS)


@pytest.fixture
def manager(db) -> User:
    return _make_user("maya", roles.HIRING_MANAGERS)


@pytest.fixture
def editor(db) -> User:
    """A bank editor who is not an interviewer."""
    return _make_user("eddie", roles.BANK_EDITORS)


@pytest.fixture
def bank(seed_bank) -> Bank:
    """The seed bank (see `seed_bank` in tests/conftest.py)."""
    return seed_bank


@pytest.fixture
def make_interview(bank, interviewer):
    """Plan an interview through the real service; the seed is fixed so plans are repeatable."""

    def make(
        candidate: Candidate | str = "Ada Lovelace",
        *,
        interviewers=None,
        target_level: int = Level.SENIOR,
        planned_minutes: int = 45,
        seed: int = 1,
        **kwargs,
    ):
        if isinstance(candidate, str):
            candidate = Candidate.objects.create(name=candidate)
        interviewers = interviewers if interviewers is not None else [interviewer]
        return services.create_interview(
            candidate=candidate,
            position=kwargs.pop("position", "ML Engineer"),
            target_level=target_level,
            bank=kwargs.pop("bank", bank),
            planned_minutes=planned_minutes,
            interviewers=interviewers,
            created_by=interviewers[0] if interviewers else None,
            seed=seed,
            **kwargs,
        )

    return make


@pytest.fixture
def interview(make_interview):
    """A planned, not yet started Senior interview run by `interviewer`."""
    return make_interview()
