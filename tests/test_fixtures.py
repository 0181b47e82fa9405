"""The committed seed fixture: complete, reviewed, idempotent, and not stale."""

import json
import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from questionbank.models import Bank, Criterion, Mapping, Question, RubricLevel, Section
from questionbank.parser import parse_bank
from questionbank.services import import_bank_file

pytestmark = pytest.mark.django_db

FIXTURE = settings.BASE_DIR / "fixtures" / "day6-transformers-llms.json"
SEED = settings.BASE_DIR / "fixtures" / "banks" / "day6-transformers-llms.md"
SEED_MAPPING = SEED.with_suffix(".mapping.json")


def counts() -> dict:
    models = (Bank, Section, RubricLevel, Criterion, Question, Question.criteria.through)
    return {model.__name__: model.objects.count() for model in models}


def questions_of(slug: str) -> dict:
    """Each question's content, as a fresh import would write it: no ids, no timestamps."""
    return {
        q.key: {
            "section": (q.section.number, q.section.title, q.section.position),
            "number": q.number,
            "position": q.position,
            "subsection": q.subsection,
            "prompt": q.prompt,
            "prompt_html": q.prompt_html,
            "answer": q.answer,
            "answer_html": q.answer_html,
            "key_points": q.key_points,
            "minutes": q.minutes,
            "level": q.level,
            "mapping": q.mapping,
            "criteria": {c.key for c in q.criteria.all()},
        }
        for q in Question.objects.filter(bank__slug=slug)
        .select_related("section")
        .prefetch_related("criteria")
    }


def rubric_of(slug: str) -> list:
    return [
        (
            (lv.key, lv.heading, lv.level, lv.experience, lv.position),
            [(c.key, c.name, c.description, c.position) for c in lv.criteria.all()],
        )
        for lv in RubricLevel.objects.filter(bank__slug=slug).prefetch_related("criteria")
    ]


def test_it_loads_twice_without_duplicates(seed_bank):
    first = counts()

    call_command("loaddata", "day6-transformers-llms", verbosity=0)

    assert counts() == first
    assert first == {
        "Bank": 1,
        "Section": 10,
        "RubricLevel": 5,
        "Criterion": 23,
        "Question": 45,
        "Question_criteria": sum(len(q["criteria"]) for q in questions_of(seed_bank.slug).values()),
    }


def test_it_uses_natural_keys():
    objects = json.loads(FIXTURE.read_text())

    assert not [o for o in objects if "pk" in o]
    assert {o["model"] for o in objects} == {
        "questionbank.bank",
        "questionbank.section",
        "questionbank.rubriclevel",
        "questionbank.criterion",
        "questionbank.question",
    }


def test_it_maps_every_question_after_review(seed_bank):
    questions = questions_of(seed_bank.slug)

    assert len(questions) == 45
    for key, question in questions.items():
        assert question["mapping"] == Mapping.REVIEWED, key
        assert question["level"], key
        assert question["criteria"], key


def test_it_covers_every_criterion(seed_bank):
    covered = Counter(c for q in questions_of(seed_bank.slug).values() for c in q["criteria"])

    criteria = set(seed_bank.criteria.values_list("key", flat=True))
    assert len(criteria) == 23
    assert criteria <= set(covered)
    assert {c for c in criteria if covered[c] == 1} == {
        "junior-basic-rag",
        "principal-team-leadership",
    }


def test_it_matches_a_fresh_import_of_the_markdown_and_mapping(seed_bank):
    import_bank_file(SEED, slug="fresh", mapping_path=SEED_MAPPING)

    fresh = Bank.objects.get(slug="fresh")
    assert (seed_bank.title, seed_bank.description, seed_bank.source_file) == (
        fresh.title,
        fresh.description,
        fresh.source_file,
    )
    assert rubric_of(seed_bank.slug) == rubric_of("fresh")
    assert questions_of(seed_bank.slug) == questions_of("fresh")


def test_it_is_up_to_date_with_the_markdown(seed_bank):
    report = import_bank_file(SEED)

    assert report.unchanged
    assert Bank.objects.get().revision == 1


def test_it_reviews_every_question_in_the_mapping_file():
    reviewed = json.loads(SEED_MAPPING.read_text())["questions"]

    assert set(reviewed) == {q.key for q in parse_bank(SEED.read_text()).questions}
    assert all(entry["level"] and entry["criteria"] for entry in reviewed.values())


def test_it_stores_no_key_point_of_the_seed_as_a_bare_heading(seed_bank):
    """32 of 45 questions once lost their detail: "Purpose:", "Architecture:" with nothing below."""
    questions = Question.objects.filter(bank=seed_bank)
    assert questions.count() == 45
    with_detail = 0
    for question in questions:
        assert question.key_points, question.key
        for point in question.key_points:
            line = re.sub(r"<[^>]+>", "", point.split('<div class="point-detail">')[0]).strip()
            assert line and (not line.endswith(":") or "point-detail" in point), (
                f"{question.key}: {line}"
            )
            with_detail += "point-detail" in point
    assert with_detail >= 32
