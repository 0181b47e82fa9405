"""Notes never silently lost, in Chromium: a conflict between two tabs, and retries after failures."""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Route, expect

from interviews.models import Interview, PlannedQuestion
from questionbank.models import Level

from .conftest import login

NOTES_URL = re.compile(r"/items/[0-9a-f-]+/notes/$")
TAB_A = "Tab A: explained paged attention clearly."
TAB_B = "Tab B: unsure about speculative decoding."


@pytest.fixture
def running(make_interview, small_bank) -> Interview:
    interview = make_interview(
        "Alan Turing", bank=small_bank, target_level=Level.JUNIOR, planned_minutes=10
    )
    interview.start()
    return interview


def open_live(page: Page, live_server, interview: Interview) -> PlannedQuestion:
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/interviews/{interview.code}/")
    item = interview.items.get()
    expect(page.locator(f"#notes-{item.code}")).to_be_editable()
    return item


def notes_saved(page: Page, status: int = 200):
    return page.expect_response(
        lambda r: NOTES_URL.search(r.url) and r.request.method == "POST" and r.status == status
    )


def test_it_shows_both_texts_when_another_tab_saved_first_and_combines_them(
    page: Page, live_server, interviewer, running
):
    login(page, live_server, interviewer.username, "password")
    item = open_live(page, live_server, running)
    tab_b = page.context.new_page()
    open_live(tab_b, live_server, running)

    with notes_saved(page):
        page.locator(f"#notes-{item.code}").fill(TAB_A)
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == (TAB_A, 1)

    notes_b = tab_b.locator(f"#notes-{item.code}")
    with notes_saved(tab_b, status=409):
        notes_b.fill(TAB_B)
    status = tab_b.locator("#save-status")
    expect(status).to_have_attribute("data-state", "conflict")
    expect(status).to_have_text(re.compile(r"^Not saved"))
    panel = tab_b.locator(f"#conflict-{item.code}")
    expect(panel.get_by_role("heading", name=re.compile("changed in another tab"))).to_be_visible()
    expect(panel.locator("[data-theirs]")).to_have_text(TAB_A)
    expect(panel.locator("[data-mine]")).to_have_text(TAB_B)
    expect(notes_b).to_have_value(TAB_B)
    item.refresh_from_db()
    assert item.notes == TAB_A

    panel.get_by_role("button", name="Combine both, then save").click()
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_have_text(re.compile(r"^Saved at "))
    expect(panel).to_be_empty()
    expect(notes_b).to_have_value(f"{TAB_B}\n\n{TAB_A}")
    item.refresh_from_db()
    assert item.notes == f"{TAB_B}\n\n{TAB_A}"


def test_it_keeps_the_text_and_retries_until_the_server_saves_it(
    page: Page, live_server, interviewer, running
):
    login(page, live_server, interviewer.username, "password")
    item = open_live(page, live_server, running)
    attempts = []

    def fail(route: Route) -> None:
        # The first attempt finds no network at all; the next ones a server that cannot answer.
        attempts.append(route.request.post_data)
        if len(attempts) == 1:
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=503, content_type="text/plain", body="Service unavailable")

    page.route(NOTES_URL, fail)
    notes = page.locator(f"#notes-{item.code}")
    notes.fill(TAB_A)
    status = page.locator("#save-status")
    expect(status).to_have_text(re.compile(r"^Save failed \(no connection\)\. Retrying in 1 s"))
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_have_text(
        re.compile(r"^Save failed \(the server answered 503\)\. Retrying in 2 s"), timeout=3000
    )
    expect(notes).to_have_value(TAB_A)
    item.refresh_from_db()
    assert item.notes == ""
    assert [parse_qs(body)["notes"] for body in attempts] == [[TAB_A], [TAB_A]]

    page.unroute(NOTES_URL, fail)
    expect(status).to_have_attribute("data-state", "saved", timeout=4000)
    expect(status).to_have_text(re.compile(r"^Saved at "))
    expect(notes).to_have_value(TAB_A)
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == (TAB_A, 1)


def test_it_takes_the_other_tabs_text_and_keeps_the_panel_closed(
    page: Page, live_server, interviewer, running
):
    login(page, live_server, interviewer.username, "password")
    item = open_live(page, live_server, running)
    tab_b = page.context.new_page()
    open_live(tab_b, live_server, running)
    with notes_saved(page):
        page.locator(f"#notes-{item.code}").fill(TAB_A)
    notes_b = tab_b.locator(f"#notes-{item.code}")
    with notes_saved(tab_b, status=409):
        notes_b.fill(TAB_B)
    panel = tab_b.locator(f"#conflict-{item.code}")

    # Leaving the notes for the button resends tab B's stale text, whose 409 comes back after
    # the click; the panel must still end closed, with tab A's text in place.
    with notes_saved(tab_b):
        panel.get_by_role("button", name="Use theirs").click()
    expect(notes_b).to_have_value(TAB_A)
    expect(panel).to_be_empty()
    expect(tab_b.locator("#save-status")).to_have_attribute("data-state", "saved")
    item.refresh_from_db()
    assert item.notes == TAB_A


def test_it_sends_nothing_on_leaving_notes_that_are_saved(
    page: Page, live_server, interviewer, running
):
    login(page, live_server, interviewer.username, "password")
    item = open_live(page, live_server, running)
    notes = page.locator(f"#notes-{item.code}")
    with notes_saved(page):
        notes.fill(TAB_A)  # saved by the debounced autosave, about a second later
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")

    sent = []
    page.on("request", lambda r: sent.append(r.url) if NOTES_URL.search(r.url) else None)
    notes.blur()
    page.wait_for_timeout(1500)  # longer than the debounce: a save would have gone by now

    assert sent == []
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == (TAB_A, 1)


def test_it_saves_unsent_notes_at_once_on_leaving_the_box(
    page: Page, live_server, interviewer, running
):
    login(page, live_server, interviewer.username, "password")
    item = open_live(page, live_server, running)
    notes = page.locator(f"#notes-{item.code}")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if NOTES_URL.search(r.url) else None)

    notes.fill(TAB_A)
    with notes_saved(page):
        notes.blur()
    assert len(sent) == 1  # the blur's own save, sent before the debounce ran out
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
    item.refresh_from_db()
    assert item.notes == TAB_A
