"""Shared users and objects for the whole suite (browser tests included)."""

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


@pytest.fixture(autouse=True)
def empty_cache():
    """The audit log's change window lives in the cache; each test starts without one."""
    from django.core.cache import cache

    cache.clear()


def make_user(role: str, username: str = "") -> User:
    """A user in one of the three roles, with the password "password".

    Bank editors are staff, as the roles migration intends.
    """
    username = username or role.lower().replace(" ", "-")
    user = User.objects.create_user(
        username, f"{username}@example.com", "password", is_staff=role == roles.BANK_EDITORS
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db):
    return make_user(roles.BANK_EDITORS, "editor")


@pytest.fixture
def interviewer(db):
    return make_user(roles.INTERVIEWERS, "interviewer")


@pytest.fixture
def manager(db):
    return make_user(roles.HIRING_MANAGERS, "manager")


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
