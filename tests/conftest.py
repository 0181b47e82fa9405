"""Shared users and objects for the whole suite (browser tests included)."""

import io
import signal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from accounts import roles

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "banks" / "day6-transformers-llms.md"
SMALL_BANK = """\
# Small bank

## Section 1: Basics

**Q1: What does attention compute?**

**Expected Answer:**
- A weighted sum of values.

## Evaluation Rubric

### Junior Level (1-3 years)
- **Core Concepts:** Attention.
"""


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IN_LINE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def tasks_in_line(settings):
    """Background tasks run in-line, as they are queued: a PDF view answers the PDF itself.
    Tests of the queue and the worker ask for `queued_tasks`."""
    settings.TASKS = IN_LINE


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in django-tasks-db's table, as in production, until `db_worker` runs them."""
    settings.TASKS = QUEUED


@pytest.fixture
def db_worker(monkeypatch):
    """django-tasks-db's `manage.py db_worker --batch`: run what is ready, then return.

    The test runs inside one transaction, which the worker's close_old_connections would close
    (it drops any connection not in autocommit), so that call is a no-op here; and the worker's
    SIGINT/SIGTERM handlers are put back as they were, so Ctrl-C still stops pytest."""
    from django_tasks_db.management.commands import db_worker as command

    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO()
        )

    yield run
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.fixture(autouse=True)
def empty_cache():
    """The audit log's change window lives in the cache; each test starts without one."""
    from django.core.cache import cache

    cache.clear()


def make_user(username: str, *role_names: str) -> User:
    """A user in the given roles (none is allowed: a plain account), with the password "password".

    Bank editors are staff, as the roles migration intends.
    """
    user = User.objects.create_user(
        username,
        f"{username}@example.com",
        "password",
        is_staff=roles.BANK_EDITORS in role_names,
    )
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


@pytest.fixture
def interviewer(db) -> User:
    return make_user("interviewer", roles.INTERVIEWERS)


@pytest.fixture
def other_interviewer(db) -> User:
    """A second interviewer, for panels and for someone else's interviews."""
    return make_user("colleague", roles.INTERVIEWERS)


@pytest.fixture
def manager(db) -> User:
    return make_user("manager", roles.HIRING_MANAGERS)


@pytest.fixture
def editor(db) -> User:
    """A bank editor who is not an interviewer."""
    return make_user("editor", roles.BANK_EDITORS)


@pytest.fixture
def bank(seed_bank):
    """The seed bank (see `seed_bank`)."""
    return seed_bank


@pytest.fixture
def make_interview(request, db):
    """Plan an interview through the real service; the seed is fixed so plans are repeatable.

    `candidate` is a Candidate or the name of a new one. The interview is run by `interviewers`
    (by default the `interviewer` fixture) and set up by the first of them unless `created_by`
    says who; it asks from the seed bank unless `bank` names another. The seed bank and the
    default interviewer are only created when a call needs them.
    """
    from interviews import services
    from interviews.models import Candidate
    from questionbank.models import Level

    unset = object()

    def make(
        candidate="Ada Lovelace",
        *,
        interviewers=None,
        created_by=unset,
        bank=None,
        position: str = "ML Engineer",
        target_level: int = Level.SENIOR,
        planned_minutes: int = 45,
        seed: int = 1,
        **kwargs,
    ):
        if isinstance(candidate, str):
            candidate = Candidate.objects.create(name=candidate)
        if interviewers is None:
            interviewers = [request.getfixturevalue("interviewer")]
        if created_by is unset:
            created_by = interviewers[0] if interviewers else None
        return services.create_interview(
            candidate=candidate,
            position=position,
            target_level=target_level,
            bank=bank or request.getfixturevalue("seed_bank"),
            planned_minutes=planned_minutes,
            interviewers=interviewers,
            created_by=created_by,
            seed=seed,
            **kwargs,
        )

    return make


_seed_rows: list[tuple[type, list[dict]]] = []


@pytest.fixture
def seed_bank(db):
    """The committed seed fixture: the bank as `make run` loads it, with the reviewed mapping.

    Loading the fixture resolves every natural key one query at a time; the first test pays for
    that, the rest insert the same rows in one bulk query per table. Each test rolls back, so the
    same primary keys are free again.
    """
    from questionbank.models import Bank, Criterion, Question, RubricLevel, Section

    if not _seed_rows:
        call_command("loaddata", "day6-transformers-llms", verbosity=0)
        models = (Bank, Section, RubricLevel, Criterion, Question, Question.criteria.through)
        _seed_rows.extend((model, list(model.objects.values())) for model in models)
    else:
        for model, rows in _seed_rows:
            model.objects.bulk_create(model(**row) for row in rows)
    return Bank.objects.get(slug="day6-transformers-llms")


@pytest.fixture
def small_bank(db):
    """A one-question bank, for tests that need some bank but not the seed's 45 questions."""
    from questionbank.models import Bank
    from questionbank.parser import parse_bank
    from questionbank.services import import_bank

    import_bank(parse_bank(SMALL_BANK, source="small.md"), slug="small", source_file="small.md")
    return Bank.objects.get(slug="small")


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
