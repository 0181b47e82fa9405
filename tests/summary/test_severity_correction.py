"""INTERVIEW_CORRECT_SEVERITY: the level estimate reads each score against its interviewer's
measured severity, frozen at submission, and the summary and the debrief say so when it is on."""

import pytest
from django.urls import reverse

from interviews import estimate, services
from interviews.models import AnalyticsSnapshot
from interviews.summary import Summary

CORRECTED = "Corrected for the interviewer&#x27;s measured severity"


def calibrated(user, severity: float) -> AnalyticsSnapshot:
    """A snapshot whose calibration measured this interviewer's severity (score points)."""
    rater = {"user": user.pk, "leniency": -severity, "low": -1, "high": 1, "scores": 90}
    return AnalyticsSnapshot.objects.create(payload={"calibration": {"raters": [rater]}})


def test_it_reads_a_severe_interviewers_scores_as_stronger_evidence():
    rows = [(f"Q{n}", 3, 2, False) for n in range(6)]
    plain = estimate.estimate(estimate.observations(rows))
    severe = estimate.estimate(estimate.observations(rows, severity=0.4))
    lenient = estimate.estimate(estimate.observations(rows, severity=-0.4))
    at_least_senior = [sum(e.probabilities[2:]) for e in (lenient, plain, severe)]
    assert at_least_senior == sorted(at_least_senior) and len(set(at_least_senior)) == 3
    assert estimate.estimate(estimate.observations(rows, severity=0.0)) == plain


def test_it_converts_score_points_to_levels_by_the_models_own_slope():
    """At the question's own level, a candidate one level higher scores this much more on
    average: one point of severity is 1 / that many levels of extra difficulty."""
    rows = [("Q1", 2, 3, False)]
    expected = [
        float(estimate.score_probabilities(2)[level - 1] @ estimate.SCORES) for level in (1, 2, 3)
    ]
    slope = (expected[2] - expected[0]) / 2
    assert estimate.severity_in_levels(slope) == pytest.approx(1.0, abs=0.05)
    assert estimate.severity_in_levels(-0.3) == -estimate.severity_in_levels(0.3)
    assert estimate.observations(rows, severity=0.25)[0].severity == 0.25


def test_it_leaves_the_estimate_alone_when_the_setting_is_off(
    client, interviewer, make_interview, score, submit, settings
):
    settings.INTERVIEW_CORRECT_SEVERITY = False
    calibrated(interviewer, 0.5)
    interview = make_interview()
    score(interview, 2)

    frozen = Summary.from_dict(submit(interview, "no_hire").summary)

    assert frozen.severity is None and frozen.severity_sentence == ""
    client.force_login(interviewer)
    page = client.get(reverse("interviews:summary", args=[interview.code]))
    assert page.status_code == 200
    assert CORRECTED not in page.text


def test_it_freezes_the_severity_measured_before_submission_and_says_so(
    client, interviewer, make_interview, score, submit, settings
):
    settings.INTERVIEW_CORRECT_SEVERITY = True
    calibrated(interviewer, 0.5)
    interview = make_interview()
    score(interview, 2)
    live = services.summary_for(interview=interview)
    settings.INTERVIEW_CORRECT_SEVERITY = False
    uncorrected = services.summary_for(interview=interview)
    settings.INTERVIEW_CORRECT_SEVERITY = True

    frozen = Summary.from_dict(submit(interview, "no_hire").summary)
    calibrated(interviewer, -0.5)  # a later calibration does not rewrite the submitted summary

    assert frozen.severity == live.severity == 0.5
    senior_or_above = [sum(s.estimate.probabilities[2:]) for s in (uncorrected, frozen)]
    assert senior_or_above[1] > senior_or_above[0]
    client.force_login(interviewer)
    page = client.get(reverse("interviews:summary", args=[interview.code]))
    assert CORRECTED in page.text and "0.50 points below the average interviewer" in page.text


def test_it_corrects_nothing_for_an_interviewer_without_a_calibration(
    interviewer, other_interviewer, make_interview, score, submit, settings
):
    settings.INTERVIEW_CORRECT_SEVERITY = True
    calibrated(other_interviewer, 0.5)
    interview = make_interview()
    score(interview, 3)

    frozen = Summary.from_dict(submit(interview).summary)

    assert frozen.severity == 0.0
    assert "none was measured" in frozen.severity_sentence


def test_it_keeps_the_severity_of_the_first_submission_on_a_resubmission(
    interviewer, make_interview, score, submit, settings
):
    """Once submitted, a scorecard is in the next snapshot: its severity must come from others."""
    settings.INTERVIEW_CORRECT_SEVERITY = True
    calibrated(interviewer, 0.3)
    interview = make_interview()
    score(interview, 3)
    submit(interview)
    calibrated(interviewer, 0.8)  # computed after the submission, so over this scorecard too
    services.reopen_scorecard(interview=interview, by=interviewer, reason="Q2 was misscored.")

    again = Summary.from_dict(submit(interview).summary)

    assert again.severity == 0.3


def test_it_combines_each_scorecard_in_the_debrief_as_corrected_and_names_it(
    client, interviewer, other_interviewer, manager, make_interview, score, submit, settings
):
    settings.INTERVIEW_CORRECT_SEVERITY = True
    calibrated(interviewer, 0.5)
    a = make_interview("Ada Lovelace", interviewers=[interviewer], seed=1)
    b = make_interview(a.candidate, interviewers=[other_interviewer], seed=2)
    for card in (a, b):
        score(card, 2)
        submit(card, "no_hire")
    settings.INTERVIEW_CORRECT_SEVERITY = False  # the frozen severities decide, not the setting now
    client.force_login(manager)

    page = client.get(reverse("interviews:debrief", args=[a.candidate.code]))

    corrected = [c.interview for c in page.context["corrected"]]
    assert corrected == [a, b] or corrected == [b, a]
    assert "interviewer (ML Engineer): Corrected" in page.text.replace("&#x27;", "'")
    assert "none was measured" in page.text  # the colleague: no calibration yet
    shares = {s.source.split(" ")[0]: s.own for s in page.context["panel"].cards}
    assert sum(shares["interviewer"].probabilities[2:]) > sum(shares["colleague"].probabilities[2:])
