"""Question.snapshot(): an immutable copy, so editing the bank never changes a past interview."""

import dataclasses
import json

import pytest

from questionbank.models import Criterion, Level, Question, QuestionSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(seed_bank):
    return Question.objects.get(key="s5-q18")


def test_it_takes_what_an_interview_shows(question):
    snapshot = question.snapshot()

    assert (snapshot.bank, snapshot.bank_revision, snapshot.key, snapshot.number) == (
        "day6-transformers-llms",
        1,
        "s5-q18",
        "Q18",
    )
    assert snapshot.section == "Section 5: Practical Optimization & Production"
    assert snapshot.prompt_html == (
        "<p>How do you optimize LLM inference latency and cost in production?</p>"
    )
    assert snapshot.answer_html == question.answer_html
    assert snapshot.key_points[0].startswith("<strong>Caching:</strong>")
    assert len(snapshot.key_points) == 5
    assert snapshot.level == Level.SENIOR
    assert [(c.key, c.group, c.level) for c in snapshot.criteria] == [
        ("senior-system-design", "Senior Level", Level.SENIOR),
        ("senior-production", "Senior Level", Level.SENIOR),
        ("specialist-efficiency", "Specialist Areas", None),
    ]


def test_it_is_frozen(question):
    snapshot = question.snapshot()

    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.prompt_html = "<p>changed</p>"
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.criteria[0].name = "changed"
    assert isinstance(snapshot.key_points, tuple)
    assert isinstance(snapshot.criteria, tuple)


def test_it_does_not_follow_later_edits(question):
    snapshot = question.snapshot()
    stored = json.dumps(snapshot.as_dict())

    question.prompt = "Something else entirely?"
    question.answer = "- nothing"
    question.level = Level.JUNIOR
    question.save()
    question.criteria.set([Criterion.objects.get(key="junior-core-concepts")])
    Criterion.objects.filter(key="senior-production").update(name="Renamed")

    assert snapshot == QuestionSnapshot.from_dict(json.loads(stored))
    assert snapshot.prompt_html.startswith("<p>How do you optimize")
    assert snapshot.criteria[1].name == "Production"
    assert question.snapshot() != snapshot
    assert question.snapshot().key_points == ("nothing",)


def test_it_round_trips_through_a_dict(question):
    snapshot = question.snapshot()

    assert QuestionSnapshot.from_dict(snapshot.as_dict()) == snapshot
    assert QuestionSnapshot.from_dict(json.loads(json.dumps(snapshot.as_dict()))) == snapshot
