"""Submitting a scorecard (the evidence rule, the decision), freezing it, and reopening it."""

import re

import pytest
from django.urls import reverse

from interviews.models import Interview, Reopening, Status
from interviews.summary import HIRE


@pytest.fixture
def interview(make_interview, score):
    interview = make_interview("Ada Lovelace")
    score(interview, 3)
    return interview


def post(client, name: str, interview: Interview, data: dict):
    return client.post(reverse(f"interviews:{name}", args=[interview.code]), data)


def decide(client, interview, recommendation="hire", rationale="Solid across Senior criteria."):
    return post(
        client, "submit", interview, {"recommendation": recommendation, "rationale": rationale}
    )


def assert_untouched(interview: Interview):
    interview.refresh_from_db()
    assert interview.status != Status.SUBMITTED
    assert (interview.summary, interview.recommendation, interview.submitted_at) == (None, "", None)


def test_it_refuses_an_extreme_score_without_a_note_naming_the_question(
    client, interviewer, interview, score
):
    items = score(interview, [4] + [3] * 9)
    client.force_login(interviewer)

    response = decide(client, interview)

    assert response.status_code == 400
    label = items[0].pinned.label
    assert re.fullmatch(r"S\d+ · Q\d+", label)
    assert f"add notes to {label}." in response.context["submit_errors"][0]
    assert "A score of 1 or 4 needs a note" in response.text
    assert_untouched(interview)


def test_it_accepts_an_extreme_score_with_a_note(client, interviewer, interview, score):
    score(interview, [1] + [3] * 9, notes={0: "Could not explain attention masking."})
    client.force_login(interviewer)

    response = decide(client, interview, "no_hire")

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Status.SUBMITTED


def test_it_refuses_unscored_questions(client, interviewer, interview, score):
    items = score(interview, [None, 0] + [3] * 8)
    client.force_login(interviewer)

    response = decide(client, interview)

    assert response.status_code == 400
    [problem] = response.context["submit_errors"]
    assert problem.startswith(f"Score {items[0].pinned.label}, or mark them Not assessed")
    assert_untouched(interview)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"recommendation": "hire", "rationale": "  "}, "rationale", id="no-rationale"),
        pytest.param({"rationale": "Good."}, "recommendation", id="no-recommendation"),
        pytest.param(
            {"recommendation": "maybe", "rationale": "Good."}, "recommendation", id="no-such-value"
        ),
    ],
)
def test_it_requires_a_recommendation_and_a_rationale(client, interviewer, interview, data, field):
    client.force_login(interviewer)

    response = post(client, "submit", interview, data)

    assert response.status_code == 400
    assert field in response.context["decision"].errors
    assert_untouched(interview)


def test_it_freezes_the_scorecard_on_submit(client, interviewer, interview):
    client.force_login(interviewer)

    response = decide(client, interview, "hire", "  Clear on production trade-offs.  ")

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Status.SUBMITTED
    assert (interview.recommendation, interview.rationale) == (
        "hire",
        "Clear on production trade-offs.",
    )
    assert interview.submitted_by == interviewer
    assert interview.submitted_at is not None
    assert interview.ended_at is not None
    assert interview.summary["recommendation"] == HIRE
    assert interview.summary["rules"]["version"] == "2"


def test_it_answers_403_to_score_changes_after_submit(client, interviewer, interview, submit):
    submit(interview)
    item = interview.items.order_by("position").first()
    client.force_login(interviewer)
    url = reverse("interviews:item_score", args=[interview.code, item.code])

    response = client.post(url, {"score": "1"})
    again = decide(client, interview)

    assert response.status_code == 403
    assert again.status_code == 403
    item.refresh_from_db()
    assert item.score == 3


def test_it_records_a_reopening_by_its_interviewer(client, interviewer, interview, submit):
    submit(interview, "strong_hire")
    frozen = interview.summary
    client.force_login(interviewer)

    response = post(client, "reopen", interview, {"reason": "Mis-scored Q7 after review."})

    assert response.status_code == 302
    reopening = Reopening.objects.get(interview=interview)
    assert (reopening.by, reopening.reason) == (interviewer, "Mis-scored Q7 after review.")
    assert reopening.at is not None
    assert reopening.previous_summary == frozen
    assert reopening.previous_recommendation == "strong_hire"
    interview.refresh_from_db()
    assert (interview.status, interview.summary, interview.submitted_at) == (
        Status.COMPLETED,
        None,
        None,
    )
    page = client.get(reverse("interviews:summary", args=[interview.code]))
    assert 'by interviewer: <span class="typed">Mis-scored Q7 after review.</span>' in page.text


def test_it_requires_a_reason_to_reopen(client, interviewer, interview, submit):
    submit(interview)
    client.force_login(interviewer)

    response = post(client, "reopen", interview, {"reason": ""})

    assert response.status_code == 400
    assert not Reopening.objects.exists()
    interview.refresh_from_db()
    assert interview.status == Status.SUBMITTED


def test_it_hides_submit_from_a_hiring_manager(client, manager, interview):
    client.force_login(manager)

    response = decide(client, interview)

    assert response.status_code == 404
    assert_untouched(interview)


def test_it_hides_reopen_from_a_hiring_manager(client, manager, interview, submit):
    submit(interview)
    client.force_login(manager)

    response = post(client, "reopen", interview, {"reason": "I disagree."})

    assert response.status_code == 404
    assert not Reopening.objects.exists()


def test_it_shows_both_recommendations_when_they_differ(client, manager, interview, submit):
    submit(interview, "strong_no_hire", "Weak on the live design exercise.")
    client.force_login(manager)

    response = client.get(reverse("interviews:summary", args=[interview.code]))

    assert response.context["summary"].recommendation == HIRE
    assert '<p class="rec-value">Hire</p>' in response.text
    assert '<p class="rec-value">Strong no hire</p>' in response.text
    assert "Weak on the live design exercise." in response.text
    assert "differs from the computed one. Both are kept." in response.text


def test_it_says_nothing_differs_when_they_agree(client, manager, interview, submit):
    submit(interview, "hire")
    client.force_login(manager)

    response = client.get(reverse("interviews:summary", args=[interview.code]))

    assert response.status_code == 200
    assert "differs from the computed one" not in response.text


def test_it_resubmits_after_a_reopening_and_keeps_the_history(
    client, interviewer, interview, submit, score
):
    submit(interview, "hire")
    client.force_login(interviewer)
    post(client, "reopen", interview, {"reason": "Q2 deserved a 1."})
    score(interview, [3, 1] + [3] * 8, notes={1: "Could not explain it after all."})

    response = decide(client, interview, "no_hire", "A gap on the basics.")

    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.status, interview.recommendation) == (Status.SUBMITTED, "no_hire")
    reopening = Reopening.objects.get(interview=interview)
    assert reopening.previous_recommendation == "hire"
    assert reopening.previous_summary != interview.summary
