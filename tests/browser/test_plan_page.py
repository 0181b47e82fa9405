"""The plan page in Chromium: a search result shows "Added" once added, and a refused action
shows the server's reason instead of failing silently. Screenshots for review."""

import re

import pytest
from playwright.sync_api import Page, expect

from interviews import services
from interviews.models import Candidate, Interview

from .conftest import assert_no_serious_axe_violations, login

SHOTS = "/work/shots"


@pytest.fixture
def planned(interviewer, make_interview) -> Interview:
    candidate = Candidate.objects.create(name="Alan Turing", created_by=interviewer)
    return make_interview(candidate, planned_minutes=30)


def test_it_says_added_on_an_added_result_and_shows_a_refusal(
    page: Page, live_server, interviewer, planned
):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.set_default_timeout(10_000)
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{planned.code}/plan/")
    planned_keys = set(planned.items.values_list("question__key", flat=True))
    spare = planned.bank.questions.exclude(key__in=planned_keys).order_by("position").first()

    page.get_by_label("Search prompts and answers").fill(spare.key)
    add = page.get_by_role("button", name=f"Add {spare.label}")
    add.click()

    added = page.locator(f"#result-{spare.pk} button")
    expect(added).to_have_text("Added")
    expect(added).to_be_disabled()
    expect(page.locator("#plan-list")).to_contain_text(spare.prompt[:30])

    # Meanwhile the scorecard is submitted elsewhere: the next plan edit is refused (403).
    planned.items.update(score=3)
    services.submit_scorecard(
        interview=planned, by=interviewer, recommendation="hire", rationale="Clear."
    )
    first = planned.items.order_by("position").first()
    page.get_by_role("button", name=f"Remove {first.pinned.label}").first.click()

    alert = page.locator("#action-error")
    expect(alert).to_be_visible()
    expect(alert).to_have_text("This scorecard was submitted; it can no longer be changed.")
    expect(page.locator("#plan-list")).to_be_visible()  # nothing was swapped away
    page.locator(f"#result-{spare.pk}").scroll_into_view_if_needed()
    expect(alert).to_be_in_viewport()  # sticky: the reason stays in view wherever one scrolls
    page.screenshot(path=f"{SHOTS}/access-plan-added-and-refused.png")
    assert_no_serious_axe_violations(page)


def test_it_screenshots_the_new_interview_form_and_a_managers_dashboard(
    page: Page, live_server, interviewer, manager, planned
):
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/new/")
    expect(page.get_by_text("Only a hiring manager or the interviewer who added")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/access-new-interview.png")
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, "manager", "password")
    expect(page.get_by_role("heading", name="All interviews")).to_be_visible()
    expect(page.get_by_role("link", name="Start an interview")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/access-dashboard-manager.png")
    assert_no_serious_axe_violations(page)


def test_it_refuses_notes_typed_after_the_erasure_and_says_so(
    page: Page, live_server, interviewer, manager, planned
):
    planned.start()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.set_default_timeout(10_000)
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{planned.code}/")
    item = planned.items.order_by("position").first()
    notes = page.locator(f"#notes-{item.code}")
    expect(notes).to_be_editable()

    services.erase_candidate(candidate=planned.candidate, by=manager)
    with page.expect_response(lambda r: "/notes/" in r.url and r.status == 410):
        notes.fill("Typed after the erasure.")

    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_have_text(re.compile(r"^Not saved: This candidate's data was erased"))
    item.refresh_from_db()
    assert item.notes == ""
