"""The live view and its autosave endpoints: htmx and plain-form branches, bad input, conflicts."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews import services
from interviews.models import Status

HTMX = {"HX-Request": "true"}


def item_url(name: str, item) -> str:
    return reverse(f"interviews:{name}", args=[item.interview.code, item.code])


def items_of(interview):
    return list(interview.items.order_by("position"))


@pytest.fixture
def item(interview):
    return items_of(interview)[0]


@pytest.fixture
def logged_in(client, interviewer):
    client.force_login(interviewer)
    return client


# The page -----------------------------------------------------------------------------------------


def test_it_shows_the_current_question_with_its_answer_key_points_and_scale(logged_in, item):
    body = logged_in.get(item.interview.get_absolute_url()).content.decode()
    assert item.snapshot["prompt_html"] in body
    assert item.snapshot["answer_html"] in body
    assert item.snapshot["key_points"]
    for point in item.snapshot["key_points"]:
        assert point in body
    for label in ("Not assessed", "No evidence", "Partial", "Solid", "Exceptional"):
        assert label in body
    assert "Could not answer, or the answer was wrong." in body
    assert 'name="version"' in body and 'value="0"' in body


def test_it_shows_the_question_made_current_by_goto(logged_in, interview):
    third = items_of(interview)[2]
    response = logged_in.post(
        reverse("interviews:goto", args=[interview.code]), {"item": third.code}
    )
    assert response.status_code == 302
    assert response.url == interview.get_absolute_url()
    interview.refresh_from_db()
    assert interview.current == third
    body = logged_in.get(interview.get_absolute_url()).content.decode()
    label = f'{third.pinned.label} <span class="question-title">{third.pinned.title}</span>'
    assert f'<h2 id="question-heading">{label}</h2>' in body
    assert third.pinned.label.startswith("S") and " · Q" in third.pinned.label


@pytest.mark.parametrize("code", [uuid.uuid4(), "not-a-uuid", ""])
def test_it_answers_404_to_goto_an_unknown_question(logged_in, interview, code):
    response = logged_in.post(reverse("interviews:goto", args=[interview.code]), {"item": code})
    assert response.status_code == 404


def test_it_starts_and_ends_the_interview(logged_in, interview):
    start = logged_in.post(reverse("interviews:start", args=[interview.code]))
    assert start.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Status.IN_PROGRESS

    end = logged_in.post(reverse("interviews:end", args=[interview.code]))
    assert end.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED and interview.ended_at


def test_it_keeps_the_scorecard_editable_after_the_interview_ended(logged_in, interview, item):
    interview.start()
    interview.end()
    response = logged_in.post(item_url("item_score", item), {"score": "2"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.score == 2


def overtime_warning(body: str) -> str:
    return re.search(r'<p id="overtime"[^>]*>', body)[0]


def test_it_warns_when_the_interview_runs_over(logged_in, interview):
    interview.start()
    assert "hidden" in overtime_warning(
        logged_in.get(interview.get_absolute_url()).content.decode()
    )

    interview.started_at -= timedelta(minutes=interview.planned_minutes + 1)
    interview.save()
    body = logged_in.get(interview.get_absolute_url()).content.decode()
    assert "hidden" not in overtime_warning(body)


def test_it_keeps_the_live_views_query_count_as_the_plan_grows(
    logged_in, make_interview, bank, django_assert_num_queries
):
    small = make_interview("Small", planned_minutes=12)
    big = make_interview("Big", planned_minutes=12)
    missing = 15 - big.items.count()
    for question in bank.questions.exclude(pk__in=big.items.values("question"))[:missing]:
        services.add_question(interview=big, question=question)
    for interview in (small, big):
        interview.start()
        for scored in items_of(interview)[:2]:
            scored.score = 3
            scored.save()
    assert small.items.count() == 3 and big.items.count() == 15

    with CaptureQueriesContext(connection) as small_queries:
        assert logged_in.get(small.get_absolute_url()).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        assert logged_in.get(big.get_absolute_url()).status_code == 200


# Scores, key points, hints ------------------------------------------------------------------------


def test_it_saves_a_score_with_htmx_and_answers_out_of_band_fragments(logged_in, item):
    response = logged_in.post(item_url("item_score", item), {"score": "3"}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body and "Saved at" in body
    assert f'id="entry-{item.code}"' in body and "Solid" in body
    assert "1 of" in body and "questions scored" in body
    assert "<html" not in body
    item.refresh_from_db()
    assert item.score == 3


def test_it_saves_a_score_from_a_plain_form_and_redirects(logged_in, item):
    response = logged_in.post(item_url("item_score", item), {"score": "4"})
    assert response.status_code == 302
    assert response.url == item.interview.get_absolute_url()
    item.refresh_from_db()
    assert item.score == 4


def test_it_records_not_assessed_as_a_decision(logged_in, item):
    logged_in.post(item_url("item_score", item), {"score": "0"}, headers=HTMX)
    item.refresh_from_db()
    assert item.score == 0 and item.is_scored


@pytest.mark.parametrize("score", ["7", "x", "-1", ""])
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_it_refuses_a_score_outside_the_scale(logged_in, item, score, headers):
    item.score = 2
    item.save()
    response = logged_in.post(item_url("item_score", item), {"score": score}, headers=headers)
    assert response.status_code == 400
    assert b"Choose a score" in response.content or b"required" in response.content
    item.refresh_from_db()
    assert item.score == 2


def test_it_ticks_and_unticks_a_key_point_with_htmx(logged_in, item):
    url = item_url("item_points", item)
    response = logged_in.post(url, {"index": "1", "points": ["1"]}, headers=HTMX)
    assert response.status_code == 200 and b'hx-swap-oob="true"' in response.content
    item.refresh_from_db()
    assert item.covered_points == [1]

    logged_in.post(url, {"index": "1"}, headers=HTMX)
    item.refresh_from_db()
    assert item.covered_points == []


def test_it_saves_all_ticked_key_points_from_a_plain_form(logged_in, item):
    response = logged_in.post(item_url("item_points", item), {"points": ["0", "1"]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.covered_points == [0, 1]


@pytest.mark.parametrize(
    "data", [{"index": "99", "points": ["99"]}, {"index": "-1"}, {"points": ["99"]}, {"index": "x"}]
)
def test_it_refuses_a_key_point_the_question_does_not_have(logged_in, item, data):
    response = logged_in.post(item_url("item_points", item), data, headers=HTMX)
    assert response.status_code == 400
    assert b"no such key point" in response.content
    item.refresh_from_db()
    assert item.covered_points == []


def test_it_flags_a_hint_and_clears_it(logged_in, item):
    response = logged_in.post(item_url("item_hint", item), {"hint_given": "on"}, headers=HTMX)
    assert response.status_code == 200 and b"Saved at" in response.content
    item.refresh_from_db()
    assert item.hint_given

    response = logged_in.post(item_url("item_hint", item), {})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.hint_given


# Notes and conflicts ------------------------------------------------------------------------------


@pytest.fixture(params=["upcoming", "running"])
def notes_item(request, interview):
    """The notes tests hold before the interview starts and while it runs, which autosave saves
    in one statement (PlannedQuestionQuerySet.save_running_notes)."""
    if request.param == "running":
        interview.start()
    return items_of(interview)[0]


def test_it_saves_notes_with_htmx_and_hands_back_the_new_version(logged_in, notes_item):
    response = logged_in.post(
        item_url("item_notes", notes_item),
        {"notes": "Knows *attention*.", "version": "0"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notes-version-{notes_item.code}" value="1" hx-swap-oob="true"' in body
    notes_item.refresh_from_db()
    assert (notes_item.notes, notes_item.notes_version) == ("Knows *attention*.", 1)


def test_it_saves_notes_from_a_plain_form_and_redirects(logged_in, notes_item):
    response = logged_in.post(
        item_url("item_notes", notes_item), {"notes": "Solid.", "version": "0"}
    )
    assert response.status_code == 302
    notes_item.refresh_from_db()
    assert notes_item.notes == "Solid."


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_it_refuses_a_save_based_on_a_stale_version_and_shows_both_texts(
    logged_in, notes_item, headers
):
    url = item_url("item_notes", notes_item)
    first = logged_in.post(url, {"notes": "Text from tab one", "version": "0"}, headers=headers)
    assert first.status_code in (200, 302)

    second = logged_in.post(url, {"notes": "Text from tab two", "version": "0"}, headers=headers)
    assert second.status_code == 409
    body = second.content.decode()
    assert "Text from tab one" in body and "Text from tab two" in body
    notes_item.refresh_from_db()
    assert (notes_item.notes, notes_item.notes_version) == ("Text from tab one", 1)


def test_it_escapes_both_texts_in_a_conflict(logged_in, notes_item):
    notes_item.save_notes("<script>alert(1)</script>", 0)
    response = logged_in.post(
        item_url("item_notes", notes_item),
        {"notes": "<img src=x onerror=alert(2)>", "version": "0"},
    )
    assert response.status_code == 409
    assert b"<script>alert(1)" not in response.content
    assert b"<img src=x" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_it_accepts_a_resend_of_the_saved_text_with_a_stale_version(logged_in, notes_item):
    url = item_url("item_notes", notes_item)
    logged_in.post(url, {"notes": "Same words", "version": "0"}, headers=HTMX)
    response = logged_in.post(url, {"notes": "Same words", "version": "0"}, headers=HTMX)
    assert response.status_code == 200
    notes_item.refresh_from_db()
    assert (notes_item.notes, notes_item.notes_version) == ("Same words", 1)


def test_it_does_not_write_notes_that_are_already_saved(logged_in, notes_item):
    url = item_url("item_notes", notes_item)
    logged_in.post(url, {"notes": "Same words", "version": "0"}, headers=HTMX)

    notes_item.refresh_from_db()
    saved_at = notes_item.updated

    response = logged_in.post(url, {"notes": "Same words", "version": "1"}, headers=HTMX)

    assert response.status_code == 200
    assert 'value="1"' in response.content.decode()
    notes_item.refresh_from_db()
    assert (notes_item.notes, notes_item.notes_version, notes_item.updated) == (
        "Same words",
        1,
        saved_at,
    )


@pytest.mark.parametrize("version", ["", "x", "-1"])
def test_it_refuses_notes_without_a_version(logged_in, notes_item, version):
    response = logged_in.post(
        item_url("item_notes", notes_item), {"notes": "Hi", "version": version}
    )
    assert response.status_code == 400
    assert b"Notes could not be read" in response.content
    notes_item.refresh_from_db()
    assert notes_item.notes == ""


# Bad targets --------------------------------------------------------------------------------------


ITEM_POSTS = [
    ("item_score", {"score": "3"}),
    ("item_points", {"points": ["0"]}),
    ("item_hint", {"hint_given": "on"}),
    ("item_notes", {"notes": "Should not be saved", "version": "0"}),
]


@pytest.mark.parametrize(("name", "data"), ITEM_POSTS)
def test_it_answers_404_for_an_unknown_question(logged_in, interview, name, data):
    url = reverse(f"interviews:{name}", args=[interview.code, uuid.uuid4()])
    assert logged_in.post(url, data).status_code == 404


@pytest.mark.parametrize(("name", "data"), ITEM_POSTS)
def test_it_answers_404_for_a_question_of_another_interview(
    logged_in, make_interview, interview, name, data
):
    elsewhere = items_of(make_interview("Grace Hopper"))[0]
    url = reverse(f"interviews:{name}", args=[interview.code, elsewhere.code])
    assert logged_in.post(url, data).status_code == 404
    elsewhere.refresh_from_db()
    assert (elsewhere.score, elsewhere.covered_points, elsewhere.hint_given) == (None, [], False)
    assert elsewhere.notes == ""


@pytest.mark.parametrize(("name", "data"), ITEM_POSTS)
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_it_refuses_edits_to_a_submitted_interview(logged_in, interview, item, name, data, headers):
    interview.status = Status.SUBMITTED
    interview.save()
    response = logged_in.post(item_url(name, item), data, headers=headers)
    assert response.status_code == 403
    assert b"submitted" in response.content
    item.refresh_from_db()
    assert (item.score, item.covered_points, item.hint_given, item.notes) == (None, [], False, "")


def test_it_refuses_to_move_around_a_submitted_interview(logged_in, interview):
    interview.status = Status.SUBMITTED
    interview.save()
    second = items_of(interview)[1]
    url = reverse("interviews:goto", args=[interview.code])
    assert logged_in.post(url, {"item": second.code}).status_code == 403
    interview.refresh_from_db()
    assert interview.current is None
