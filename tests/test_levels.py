"""One definition of levels and one of recommendations, used by every module that names them."""

import pytest

from interviews import choices, forms, planner, summary
from interviews import models as interview_models
from questionbank import levels, parser
from questionbank import models as bank_models


def test_it_defines_levels_once():
    assert bank_models.Level is levels.Level
    assert parser.LEVEL_NAMES == tuple(levels.Level.labels) == levels.NAMES
    assert dict(levels.Level.choices) == summary.LEVEL_LABELS
    assert [parser.level_of(f"{name} Level") for name in levels.NAMES] == list(levels.NAMES)
    assert levels.Level.from_name(" principal ") is levels.Level.PRINCIPAL
    with pytest.raises(ValueError, match="expected one of Junior, Mid, Senior, Principal"):
        levels.Level.from_name("Staff")
    assert levels.Level.label_of("3") == "Senior" and levels.Level.label_of(None, "—") == "—"


def test_it_defines_recommendations_once_and_compares_them_as_values():
    assert interview_models.Recommendation is choices.Recommendation
    assert (
        forms.DecisionForm.base_fields["recommendation"].choices == choices.Recommendation.choices
    )
    members = (summary.STRONG_HIRE, summary.HIRE, summary.NO_HIRE, summary.STRONG_NO_HIRE)
    assert all(isinstance(m, choices.Recommendation) for m in members)
    assert summary.HIRE == "hire" and summary.RECOMMENDATION_LABELS["hire"] == "Hire"


def test_it_keeps_candidate_for_people():
    assert not hasattr(planner, "Candidate")
    assert hasattr(planner, "PlannerQuestion")
    assert interview_models.Candidate._meta.verbose_name == "candidate"
