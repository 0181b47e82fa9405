"""The adaptive next question in the live view: suggested after each score, added only on request."""

import pytest
from django.urls import reverse

from interviews import estimate, services
from interviews.models import Candidate, Status
from questionbank.models import Question

HTMX = {"HX-Request": "true"}


@pytest.fixture
def logged_in(client, interviewer):
    client.force_login(interviewer)
    return client


def suggestion_url(interview) -> str:
    return reverse("interviews:suggestion", args=[interview.code])


def accept_url(interview) -> str:
    return reverse("interviews:suggestion_accept", args=[interview.code])


def score_first(interview, score=3):
    item = interview.items.order_by("position").first()
    item.score = score
    item.save(update_fields=["score"])
    return item


def test_it_asks_for_a_new_suggestion_after_each_score(logged_in, interview):
    item = interview.items.order_by("position").first()
    url = reverse("interviews:item_score", args=[interview.code, item.code])

    response = logged_in.post(url, {"score": "3"}, headers=HTMX)

    assert response.headers["HX-Trigger"] == '{"scored": {}}'
    page = logged_in.get(reverse("interviews:live", args=[interview.code]))
    assert 'hx-trigger="load, scored from:body"' in page.text


def test_it_suggests_the_most_informative_question_not_asked_in_the_loop(
    logged_in, interview, make_interview
):
    score_first(interview, 4)
    other = make_interview(interview.candidate, seed=5)
    asked = interview.candidate.asked_question_ids()

    response = logged_in.get(suggestion_url(interview), headers=HTMX)

    suggestion = services.suggest_next(interview=interview)
    assert suggestion is not None and suggestion.id not in asked
    assert f'name="question" value="{suggestion.id}"' in response.text
    assert other.items.filter(question_id=suggestion.id).count() == 0
    assert suggestion.reason in response.text and "bits" in suggestion.reason
    assert "data-accept-suggestion" in response.text
    # Of every level with a question left, the suggested one has the largest expected information.
    items = list(interview.items.all())
    p = estimate.posterior(
        estimate.observations(
            (i.snapshot["number"], i.snapshot["level"], i.score, i.hint_given) for i in items
        )
    )
    left = set(
        interview.bank.questions.exclude(pk__in=asked).values_list("level", flat=True).distinct()
    )
    best = max(estimate.expected_information(p, lv) for lv in left)
    assert suggestion.information >= estimate.NEAR_BEST * best - 1e-6


def test_it_only_suggests_what_fits_the_time_left(logged_in, interview):
    score_first(interview)
    interview.planned_minutes = 0
    interview.save(update_fields=["planned_minutes"])

    response = logged_in.get(suggestion_url(interview), headers=HTMX)

    assert services.suggest_next(interview=interview) is None
    assert "No question fits" in response.text


def test_it_never_suggests_a_retired_or_leaked_question(interview):
    score_first(interview, 3)
    first = services.suggest_next(interview=interview)
    Question.objects.get(pk=first.id).set_status("retired")

    second = services.suggest_next(interview=interview)
    assert second is not None and second.id != first.id
    Question.objects.get(pk=second.id).set_status("leaked")
    third = services.suggest_next(interview=interview)
    assert third is not None and third.id not in {first.id, second.id}

    asked = interview.candidate.asked_question_ids()
    for question in interview.bank.questions.exclude(pk__in=asked):
        question.set_status("retired")
    assert services.suggest_next(interview=interview) is None


def test_it_never_changes_the_plan_by_itself(logged_in, interview):
    before = list(interview.items.values_list("question_id", flat=True))

    logged_in.get(suggestion_url(interview), headers=HTMX)
    logged_in.get(suggestion_url(interview))

    assert list(interview.items.values_list("question_id", flat=True)) == before


def test_it_inserts_the_accepted_question_after_the_current_one(logged_in, interview):
    interview.start()
    items = list(interview.items.order_by("position"))
    interview.move_to(items[1])
    suggestion = services.suggest_next(interview=interview)

    response = logged_in.post(accept_url(interview), {"question": suggestion.id})

    assert response.status_code == 302
    order = list(interview.items.order_by("position").values_list("question_id", flat=True))
    assert order[2] == suggestion.id
    assert len(order) == len(items) + 1
    assert order[:2] == [i.question_id for i in items[:2]]


@pytest.mark.parametrize("bad", ["", "abc", "999999"])
def test_it_refuses_a_question_outside_the_bank(logged_in, interview, bad):
    before = interview.items.count()

    response = logged_in.post(accept_url(interview), {"question": bad})

    assert response.status_code == 400
    assert interview.items.count() == before


def test_it_refuses_a_question_the_candidate_already_had(logged_in, interview, make_interview):
    other = make_interview(interview.candidate, seed=9)
    taken = other.items.first().question_id
    before = interview.items.count()

    response = logged_in.post(accept_url(interview), {"question": taken})

    assert response.status_code == 400
    assert "already has this question" in response.text
    assert interview.items.count() == before


def test_it_refuses_a_question_retired_since_it_was_suggested(logged_in, interview):
    suggestion = services.suggest_next(interview=interview)
    Question.objects.get(pk=suggestion.id).set_status("retired")
    before = interview.items.count()

    response = logged_in.post(accept_url(interview), {"question": suggestion.id})

    assert response.status_code == 400
    assert "no longer in use" in response.text
    assert interview.items.count() == before


def test_it_shows_the_suggestion_in_the_full_page_without_javascript(logged_in, interview):
    score_first(interview)

    response = logged_in.get(suggestion_url(interview))

    assert response.status_code == 200
    assert "data-accept-suggestion" in response.text
    assert "<h1>" in response.text


def test_it_suggests_nothing_on_a_submitted_scorecard(client, manager, interview):
    interview.status = Status.SUBMITTED
    interview.save(update_fields=["status"])
    client.force_login(manager)

    response = client.get(suggestion_url(interview), headers=HTMX)

    assert response.status_code == 200
    assert "data-accept-suggestion" not in response.text


def test_it_reads_only_this_interviews_scores(interview, make_interview):
    """Independent scoring: another panelist's scores never steer this room's suggestion."""
    score_first(interview, 4)
    other = make_interview(Candidate.objects.get(pk=interview.candidate_id), seed=3)

    other.items.update(score=1)
    with_low = services.suggest_next(interview=interview)
    other.items.update(score=4)
    with_high = services.suggest_next(interview=interview)

    assert with_low is not None and with_low == with_high
    assert "Senior" in with_low.reason or "now" in with_low.reason


def test_it_varies_the_suggestion_on_htmx(logged_in, interview):
    response = logged_in.get(suggestion_url(interview), headers=HTMX)

    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert "<h1>" not in response.text
