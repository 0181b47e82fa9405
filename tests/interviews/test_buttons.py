"""Buttons and links only for those who may use them, and a favicon that is found."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

NEW = reverse("interviews:new")


@pytest.mark.parametrize(
    ("role", "shown"), [("interviewer", True), ("manager", False), ("editor", False)]
)
def test_it_offers_start_an_interview_only_to_interviewers(client, db, request, role, shown):
    client.force_login(request.getfixturevalue(role))

    body = client.get(reverse("interviews:dashboard")).text

    assert (f'href="{NEW}"' in body) is shown
    assert ("Start an interview" in body) is shown


def test_it_links_the_debrief_from_the_summary_only_for_those_who_may_read_it(
    client, interview, interviewer, manager
):
    debrief = reverse("interviews:debrief", args=[interview.candidate.code])
    summary = reverse("interviews:summary", args=[interview.code])
    interview.candidate.created_by = interviewer
    interview.candidate.save()

    client.force_login(interviewer)
    before = client.get(summary).text
    client.force_login(manager)
    as_manager = client.get(summary).text

    assert debrief not in before  # their own scorecard is not submitted: the debrief says 403
    assert debrief in as_manager


def test_it_offers_no_plan_editing_on_a_readers_live_page(client, interview, manager):
    client.force_login(manager)

    body = client.get(reverse("interviews:live", args=[interview.code])).text

    assert "Edit the plan" not in body and "The plan" in body


def test_it_links_a_favicon_that_is_found(client, interviewer):
    client.force_login(interviewer)

    page = client.get(reverse("interviews:dashboard")).text
    ico = client.get("/favicon.ico")

    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in page
    assert (ico.status_code, ico["Location"]) == (302, "/static/favicon.svg")
    # The test server serves no static files; the file is where collectstatic will find it.
    assert Path(finders.find("favicon.svg")).read_bytes().startswith(b"<svg")


def test_it_serves_the_favicon_without_login(client, db):
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.svg"
