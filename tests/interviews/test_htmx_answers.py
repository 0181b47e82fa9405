"""htmx answered completely: the dashboard's history restore, and Vary wherever htmx changes
the answer."""

import pytest
from django.urls import reverse

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def logged_in(client, interviewer):
    client.force_login(interviewer)
    return client


def test_it_answers_htmx_on_the_dashboard_with_the_results_fragment(logged_in, interview):
    response = logged_in.get(reverse("interviews:dashboard"), {"q": "Ada"}, headers=HTMX)

    assert response.text.lstrip().startswith('<div id="results">')


def test_it_answers_a_history_cache_miss_with_the_whole_dashboard(logged_in, interview):
    response = logged_in.get(reverse("interviews:dashboard"), {"q": "Ada"}, headers=RESTORE)

    assert response.text.lstrip().startswith("<!doctype html>")
    assert 'id="results"' in response.text and "Ada Lovelace" in response.text


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def test_it_varies_on_htmx_in_every_view_that_branches_on_it(logged_in, interview):
    item = interview.items.order_by("position").first()
    code, item_code = interview.code, item.code
    gets = [
        reverse("interviews:dashboard"),
        reverse("interviews:plan_search", args=[code]) + "?q=attention",
        reverse("interviews:plan_swap_options", args=[code, item_code]),
    ]
    posts = [
        (reverse("interviews:item_score", args=[code, item_code]), {"score": "3"}),
        (reverse("interviews:item_score", args=[code, item_code]), {"score": "9"}),  # refused
        (reverse("interviews:item_notes", args=[code, item_code]), {"notes": "x", "version": 0}),
        (reverse("interviews:plan_move", args=[code, item_code]), {"offset": "1"}),
    ]
    for headers in ({}, HTMX):
        for url in gets:
            assert "hx-request" in vary(logged_in.get(url, headers=headers)), url
        for url, data in posts:
            assert "hx-request" in vary(logged_in.post(url, data, headers=headers)), url
