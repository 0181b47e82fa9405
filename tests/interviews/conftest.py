"""Users per role, the seed bank and a `make_interview` helper for the interviews app's tests.

No `__init__.py` here on purpose: as a package this directory would be imported as `interviews`,
the Django app's own name. Helpers are fixtures that return functions, so no test imports a
`conftest` module by name.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from interviews import roles, services
from interviews.models import Candidate
from questionbank.models import Bank, Criterion, Level, Question, RubricLevel, Section

SEED_SLUG = "day6-transformers-llms"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


_SEED_MODELS = (Bank, Section, RubricLevel, Criterion, Question, Question.criteria.through)
_seed_rows: list[tuple[type, list[dict]]] = []


@pytest.fixture
def bank(db) -> Bank:
    """The seed bank, as `loaddata` makes it.

    Loading the fixture resolves every natural key one query at a time; the first test pays for
    that, the rest insert the same rows in one bulk query per table. Each test rolls back, so the
    same primary keys are free again.
    """
    if not _seed_rows:
        call_command("loaddata", SEED_SLUG, verbosity=0)
        _seed_rows.extend((model, list(model.objects.values())) for model in _SEED_MODELS)
    else:
        for model, rows in _seed_rows:
            model.objects.bulk_create(model(**row) for row in rows)
    return Bank.objects.get(slug=SEED_SLUG)


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
