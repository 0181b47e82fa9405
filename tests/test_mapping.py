"""Level and criteria suggestions from the bank's own rubric: pure functions, no database."""

import pytest

from questionbank.mapping import stated_level, suggest
from questionbank.parser import parse_bank


@pytest.fixture
def seed(seed_text):
    return parse_bank(seed_text)


def suggest_all(bank) -> dict:
    titles = {s.number: s.title for s in bank.sections}
    return {q.key: suggest(q, titles[q.section_number], bank.rubric) for q in bank.questions}


def test_it_uses_the_levels_the_seed_states(seed):
    suggestions = suggest_all(seed)
    assert {suggestions[f"s1-q{n}"].level for n in (1, 2, 3)} == {"Junior"}
    assert {suggestions[f"s1-q{n}"].level for n in (4, 5, 6, 7)} == {"Mid"}
    assert all(suggestions[f"s1-q{n}"].stated for n in range(1, 8))
    assert not suggestions["s3-q13"].stated


def test_it_suggests_a_level_and_at_least_one_known_criterion_for_every_question(seed):
    criteria = {c.key for c in seed.criteria}
    suggestions = suggest_all(seed)
    assert len(suggestions) == len(seed.questions) == 45
    for key, suggestion in suggestions.items():
        assert suggestion.level in {"Junior", "Mid", "Senior", "Principal"}, key
        assert suggestion.criteria, key
        assert set(suggestion.criteria) <= criteria, key


def test_it_leads_with_a_criterion_at_the_suggested_level(seed):
    level_of = {c.key: lv.level for lv in seed.rubric for c in lv.criteria}
    suggestions = suggest_all(seed)
    assert len(suggestions) == 45
    for key, suggestion in suggestions.items():
        assert level_of[suggestion.criteria[0]] == suggestion.level, key


def test_it_suggests_the_same_thing_every_time(seed, seed_text):
    assert suggest_all(seed) == suggest_all(parse_bank(seed_text))


def test_it_matches_a_subsection_range_to_the_rubric(seed):
    assert stated_level("Basic Concepts (1-3 years experience)", seed.rubric) == "Junior"
    assert stated_level("Senior stuff (5-8 years)", seed.rubric) == "Senior"
    assert stated_level("Scenario-Based Questions", seed.rubric) == ""
    assert stated_level("Odd range (2-4 years)", seed.rubric) == ""


def test_it_falls_back_to_mid_without_a_ranked_rubric():
    bank = parse_bank("# T\n\n## Section 1: A\n\n**Q1: What?**\n")
    suggestion = suggest(bank.questions[0], "A", bank.rubric)
    assert (suggestion.level, suggestion.criteria) == ("Mid", ())
