"""The time model: pure functions, checked on examples and on every question of the seed."""

import pytest

from questionbank.parser import parse_bank
from questionbank.timing import (
    DEFINITION,
    DESIGN,
    MIN_TIMED,
    estimate_minutes,
    kind_of,
    measured_minutes,
    planned_minutes,
)


@pytest.mark.parametrize(
    ("prompt", "subsection", "kind"),
    [
        ("Design a multi-modal RAG system.", "", DESIGN),
        ("You need to build a sentiment classifier with 500 examples.", "", DESIGN),
        ("Your RAG system retrieves irrelevant documents. How do you debug it?", "", DESIGN),
        ("How would you design an A/B testing framework?", "", DESIGN),
        ("Pick a fine-tuning method for this client.", "Scenario-Based Questions", DESIGN),
        ("What is the KV cache?", "", DEFINITION),
        ("Explain speculative decoding.", "Scenario-Based Questions", DEFINITION),
        ("Why do Transformers need positional encodings?", "", DEFINITION),
        ("Calculate the memory for a 7B model in FP16.", "", "other"),
    ],
)
def test_it_tells_design_questions_from_definitions(prompt, subsection, kind):
    assert kind_of(prompt, subsection) == kind


def test_it_gives_design_questions_at_least_ten_minutes_and_definitions_three_to_six():
    for words in (0, 50, 200, 400, 6000):
        answer = "word " * words
        assert 10 <= estimate_minutes("Design a RAG system.", answer) <= 20
        assert 3 <= estimate_minutes("What is attention?", answer) <= 6
        assert 4 <= estimate_minutes("Calculate the memory.", answer) <= 10
    assert estimate_minutes("Design a RAG system.", "short") == 10
    assert estimate_minutes("What is attention?", "short") == 3
    assert estimate_minutes("Design a RAG system.", "word " * 6000) == 20


def test_it_estimates_every_seed_question_by_its_kind(seed_text):
    questions = parse_bank(seed_text).questions
    assert len(questions) == 45
    for question in questions:
        minutes = estimate_minutes(question.prompt, question.answer, question.subsection)
        kind = kind_of(question.prompt, question.subsection)
        if kind == DESIGN:
            assert minutes >= 10, question.key
        elif kind == DEFINITION:
            assert 3 <= minutes <= 6, question.key
    kinds = [kind_of(q.prompt, q.subsection) for q in parse_bank(seed_text).questions]
    assert kinds.count(DESIGN) >= 8 and kinds.count(DEFINITION) >= 20


def test_it_uses_the_median_measured_time_once_timed_in_five_interviews():
    assert MIN_TIMED == 5
    assert measured_minutes([600, 620, 900, 1200]) is None
    assert measured_minutes([600, 620, 900, 1200, 0, 0]) is None  # skipped, not timed
    assert measured_minutes([600, 620, 900, 1200, 1500]) == 15
    assert measured_minutes([60, 60, 60, 60, 10_000]) == 1  # one long outlier does not count
    assert measured_minutes([5, 5, 5, 5, 5]) == 1
    assert planned_minutes(12, None) == 12
    assert planned_minutes(12, 17) == 17
