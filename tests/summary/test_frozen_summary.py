"""A submitted summary reads the same later, whatever happens to the thresholds or the bank."""

import pytest
from django.urls import reverse

from interviews.summary import HIRE, STRONG_NO_HIRE
from questionbank.models import Criterion

STRICTER = {"version": "3", "strong": 3.9, "meets": 3.5, "partial": 3.0, "min_assessed": 0.6}


@pytest.fixture
def submitted(make_interview, score, submit):
    interview = make_interview("Ada Lovelace")
    score(interview, 3)
    return submit(interview, "hire")


@pytest.fixture
def unsubmitted(make_interview, score, other_interviewer):
    interview = make_interview("Grace Hopper", interviewers=[other_interviewer])
    score(interview, 3)
    return interview


def summary_page(client, interview):
    client.force_login(interview.interviewers.first())
    return client.get(reverse("interviews:summary", args=[interview.code]))


def test_it_computes_hire_for_solid_answers_under_the_default_rules(client, unsubmitted):
    response = summary_page(client, unsubmitted)

    assert response.context["summary"].recommendation == HIRE
    assert response.context["summary"].rules.version == "2"


def test_it_keeps_the_submitted_summary_when_thresholds_change(client, settings, submitted):
    settings.INTERVIEW_SUMMARY_RULES = STRICTER

    response = summary_page(client, submitted)

    summary = response.context["summary"]
    assert (summary.recommendation, summary.rules.version, summary.rules.meets) == (HIRE, "2", 3.0)
    assert '<p class="rec-value">Hire</p>' in response.text
    assert "frozen as computed then (rules version 2)" in response.text
    assert "The rules used (version 2)" in response.text


def test_it_keeps_the_submitted_report_when_thresholds_change(client, settings, submitted):
    settings.INTERVIEW_SUMMARY_RULES = STRICTER
    client.force_login(submitted.interviewers.first())

    response = client.get(reverse("interviews:report", args=[submitted.code]))

    assert '<p class="rec-value">Hire</p>' in response.text
    assert "The rules used (version 2)" in response.text


def test_it_recomputes_an_unsubmitted_summary_with_the_new_thresholds(
    client, settings, unsubmitted
):
    settings.INTERVIEW_SUMMARY_RULES = STRICTER

    response = summary_page(client, unsubmitted)

    summary = response.context["summary"]
    assert (summary.recommendation, summary.rules.version) == (STRONG_NO_HIRE, "3")
    assert '<p class="rec-value">Strong no hire</p>' in response.text
    assert "The rules used (version 3)" in response.text


def test_it_keeps_the_submitted_summary_when_the_bank_changes(client, submitted, unsubmitted):
    Criterion.objects.filter(key="senior-security").update(name="Renamed in the bank")

    frozen = summary_page(client, submitted)
    live = summary_page(client, unsubmitted)

    assert "Renamed in the bank" not in frozen.text
    assert "Security" in [c.name for c in frozen.context["summary"].criteria]
    assert "Renamed in the bank" in [c.name for c in live.context["summary"].criteria]


def rules_1_frozen(frozen: dict) -> dict:
    """A summary as rules 1 froze it: no level estimate, no stretch reading, version 1."""
    old = {key: value for key, value in frozen.items() if key != "estimate"}
    old["rules"] = {**frozen["rules"], "version": "1"}
    for key in ("criteria", "strengths", "concerns"):
        old[key] = [
            {
                **c,
                "evidence": [{k: v for k, v in e.items() if k != "read_as"} for e in c["evidence"]],
            }
            for c in frozen[key]
        ]
    return old


def test_it_renders_a_summary_frozen_under_rules_1_as_it_was(client, submitted):
    old = rules_1_frozen(submitted.summary)
    type(submitted).objects.filter(pk=submitted.pk).update(summary=old)

    response = summary_page(client, submitted)

    summary = response.context["summary"]
    assert summary.estimate is None and summary.rules.version == "1"
    assert "frozen as computed then (rules version 1)" in response.text
    assert "The rules used (version 1)" in response.text
    assert "How likely each level is" not in response.text
    assert "read against the question's own level" not in response.text
    assert "read as" not in response.text
    assert [c.status for c in summary.criteria] == [c["status"] for c in old["criteria"]]


def test_it_shows_the_level_estimate_frozen_with_a_rules_2_summary(client, submitted):
    response = summary_page(client, submitted)

    estimate = response.context["summary"].estimate
    assert estimate is not None and submitted.summary["estimate"]["model"] == estimate.model
    assert "How likely each level is" in response.text
    assert estimate.statement in response.text


def test_it_shows_a_level_estimate_frozen_under_the_untempered_model_as_it_was(client, submitted):
    """An estimate frozen by model grm-1 (a = 1.3, untempered) keeps its percentages and the words
    of that model, though the current model would compute other percentages."""
    frozen = submitted.summary
    old = {**frozen["estimate"], "model": "grm-1", "probabilities": [0.01, 0.04, 0.9, 0.05]}
    old["statement"] = "Senior 90 %, Principal 5 % — settled enough to decide (80 % or more)."
    type(submitted).objects.filter(pk=submitted.pk).update(summary={**frozen, "estimate": old})

    response = summary_page(client, submitted)

    estimate = response.context["summary"].estimate
    assert estimate.model == "grm-1" and estimate.probabilities == (0.01, 0.04, 0.9, 0.05)
    assert old["statement"] in response.text and "90 %" in response.text
    assert "at a little under half strength" not in response.text
    assert "each score multiplies in how likely that score is at each level;" in response.text


def test_it_describes_the_tempered_model_with_a_current_estimate(client, submitted):
    response = summary_page(client, submitted)

    assert response.context["summary"].estimate.model == "grm-2"
    assert "at a little under half strength" in response.text
