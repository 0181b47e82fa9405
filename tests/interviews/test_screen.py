"""The candidate screen: a public, read-only page behind an unguessable, revocable token."""

import secrets

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Status

ANSWER_MARKER = "EXPECTED-ANSWER-MARKER"
POINT_MARKER = "KEY-POINT-MARKER"
NOTES_MARKER = "INTERVIEWER-NOTES-MARKER"


def items_of(interview):
    return list(interview.items.order_by("position"))


def screen_urls(token: str) -> tuple[str, str]:
    return reverse("interviews:screen", args=[token]), reverse(
        "interviews:screen_current", args=[token]
    )


@pytest.fixture
def candidate_browser() -> Client:
    """The candidate's browser: never logged in."""
    return Client()


@pytest.fixture
def running(client, interviewer, interview):
    """A started interview with a shared screen, its interviewer logged in on `client`."""
    client.force_login(interviewer)
    client.post(reverse("interviews:start", args=[interview.code]))
    client.post(reverse("interviews:screen_open", args=[interview.code]))
    interview.refresh_from_db()
    return interview


def test_it_opens_a_screen_link_with_at_least_128_bits(client, interviewer, interview):
    client.force_login(interviewer)
    response = client.post(reverse("interviews:screen_open", args=[interview.code]))
    assert response.status_code == 302
    interview.refresh_from_db()
    # 32 random bytes, URL-safe: 43 characters and 256 bits, well over 128.
    assert len(interview.screen_token) >= len(secrets.token_urlsafe(32)) == 43
    page = client.get(interview.get_absolute_url()).content.decode()
    assert f"/screen/{interview.screen_token}/" in page


def test_it_shows_only_the_current_prompt(candidate_browser, running):
    item = running.current
    item.snapshot = {
        **item.snapshot,
        "answer_html": f"<p>{ANSWER_MARKER}</p>",
        "key_points": [POINT_MARKER],
    }
    item.notes, item.score, item.hint_given = NOTES_MARKER, 4, True
    item.save()
    others = items_of(running)[1:]

    for url in screen_urls(running.screen_token):
        response = candidate_browser.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert item.snapshot["prompt_html"] in body
        assert f"Question 1 of {len(others) + 1}" in body
        assert item.snapshot["number"] not in body  # the bank's numbering means nothing to them
        for marker in (ANSWER_MARKER, POINT_MARKER, NOTES_MARKER, "Exceptional", "Hint"):
            assert marker not in body
        assert all(other.snapshot["prompt_html"] not in body for other in others)
        assert running.candidate.name not in body
        assert "no-cache" in response["Cache-Control"]


def test_it_waits_for_the_interview_to_start(client, interviewer, interview, candidate_browser):
    token = interview.open_screen()
    body = candidate_browser.get(screen_urls(token)[0]).content.decode()
    assert "Your interview will start shortly" in body
    assert items_of(interview)[0].snapshot["prompt_html"] not in body


def test_it_follows_the_interviewers_current_question(client, candidate_browser, running):
    third = items_of(running)[2]
    client.post(reverse("interviews:goto", args=[running.code]), {"item": third.code})
    body = candidate_browser.get(screen_urls(running.screen_token)[1]).content.decode()
    total = len(items_of(running))
    assert f'<h1 id="screen-heading">Question 3 of {total}</h1>' in body
    assert third.snapshot["prompt_html"] in body


def test_it_stops_working_once_revoked(client, candidate_browser, running):
    page, current = screen_urls(running.screen_token)
    client.post(reverse("interviews:screen_revoke", args=[running.code]))
    assert candidate_browser.get(page).status_code == 404
    gone = candidate_browser.get(current)
    assert gone.status_code == 410
    assert b"This screen has ended" in gone.content


def test_it_stops_working_when_a_new_link_replaces_it(client, candidate_browser, running):
    old = running.screen_token
    client.post(reverse("interviews:screen_open", args=[running.code]))
    assert candidate_browser.get(screen_urls(old)[0]).status_code == 404
    assert candidate_browser.get(screen_urls(old)[1]).status_code == 410


def test_it_stops_working_when_the_interview_ends(client, candidate_browser, running):
    page, current = screen_urls(running.screen_token)
    client.post(reverse("interviews:end", args=[running.code]))
    assert candidate_browser.get(page).status_code == 404
    assert candidate_browser.get(current).status_code == 410


def test_it_stops_working_once_the_interview_is_no_longer_running(candidate_browser, running):
    running.status = Status.SUBMITTED
    running.save()
    page, current = screen_urls(running.screen_token)
    assert candidate_browser.get(page).status_code == 404
    assert candidate_browser.get(current).status_code == 410


def test_it_refuses_to_share_the_screen_of_an_ended_interview(client, running):
    client.post(reverse("interviews:end", args=[running.code]))
    response = client.post(reverse("interviews:screen_open", args=[running.code]))
    assert response.status_code == 400
    running.refresh_from_db()
    assert running.screen_token is None


def test_it_answers_404_to_a_guessed_token(candidate_browser, running):
    page, current = screen_urls(secrets.token_urlsafe(32))
    assert candidate_browser.get(page).status_code == 404
    assert candidate_browser.get(current).status_code == 410
