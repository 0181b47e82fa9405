"""An interviewer runs a live interview in Chromium: keyboard scoring, autosave, the candidate screen."""

import re

from playwright.sync_api import Browser, Page, expect

from interviews.models import Interview, PlannedQuestion, Status

from .conftest import assert_no_serious_axe_violations, login

CANDIDATE = "Grace Hopper"
NOTES = "Explained *RAG* with re-ranking; 1234jk typed here stays text."


def saved(page: Page, endpoint: str):
    """Wait for the autosave POST to `endpoint` (score, points, notes) that the block triggers."""
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/{endpoint}/") and r.ok
    )


def expect_saved(page: Page) -> None:
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d:\d\d$"))


def score_with_key(page: Page, key: str) -> None:
    with saved(page, "score"):
        page.keyboard.press(key)
    expect_saved(page)
    expect(page.locator(f".score input[name=score][value='{key}']")).to_be_checked()


def leave(field) -> None:
    """Move focus out of a field and wait for any save that leaving it sends (autosave on blur)."""
    field.blur()
    expect(field).not_to_have_class(re.compile(r"\bhtmx-request\b"))


def expect_current(page: Page, item: PlannedQuestion) -> None:
    """The live view shows `item`. Numbers repeat across sections, so its code decides."""
    expect(page.locator(f"#entry-{item.code}")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator(f"#notes-{item.code}")).to_be_attached()
    expect(page.locator("#question-heading")).to_have_text(item.snapshot["number"])
    page.wait_for_load_state()  # app.js is deferred: a key pressed before it runs is lost


def test_it_runs_a_senior_interview_from_the_keyboard(
    page: Page, browser: Browser, live_server, interviewer, seed_bank
):
    page.set_default_timeout(10_000)
    login(page, live_server, interviewer.username, "password")
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Start an interview").click()
    expect(page.get_by_role("heading", name="Start an interview")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_label("New candidate's name").fill(CANDIDATE)
    page.get_by_label("Position title").fill("ML Platform Engineer")
    page.get_by_label("Target level").select_option(label="Senior")
    page.get_by_label("Bank").select_option(label=seed_bank.title)
    page.get_by_role("button", name="Plan the interview").click()

    expect(page.get_by_role("heading", name=f"Plan for {CANDIDATE}")).to_be_visible()
    interview = Interview.objects.get(candidate__name=CANDIDATE)
    assert interview.target_level == 3 and interview.bank == seed_bank
    items = list(interview.items.order_by("position"))
    assert len(items) >= 4
    expect(page.locator("ol.plan > li")).to_have_count(len(items))
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Go to the interview").click()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("button", name="End the interview")).to_be_visible()
    expect_current(page, items[0])
    assert_no_serious_axe_violations(page)

    # Question 1: Solid, first key point ticked.
    score_with_key(page, "3")
    with saved(page, "points"):
        page.locator(".points input[type=checkbox]").first.check()
    expect_saved(page)
    leave(page.locator(".points input[type=checkbox]").first)
    page.keyboard.press("j")
    expect_current(page, items[1])

    # Question 2: Exceptional, which asks for a note until one is saved.
    score_with_key(page, "4")
    evidence = page.locator(f"#evidence-{items[1].code}")
    expect(evidence).to_be_visible()
    notes = page.locator(f"#notes-{items[1].code}")
    with saved(page, "notes"):
        notes.press_sequentially(NOTES)
    expect_saved(page)
    expect(evidence).to_be_hidden()
    # Typing digits and j/k into the notes must not score or move.
    with saved(page, "notes"):
        notes.press_sequentially(" 1234jk")
    expect_saved(page)
    expect_current(page, items[1])
    expect(page.locator(".score input[value='4']")).to_be_checked()
    expect(notes).to_have_value(NOTES + " 1234jk")
    leave(notes)
    page.keyboard.press("j")
    expect_current(page, items[2])

    # Question 3: Partial, then Solid with an arrow key inside the score's radio group, which
    # moves the choice rather than the question.
    score_with_key(page, "2")
    partial = page.locator(".score input[value='2']")
    partial.focus()
    with saved(page, "score"):
        page.keyboard.press("ArrowRight")
    expect_saved(page)
    expect(page.locator(".score input[value='3']")).to_be_checked()
    expect_current(page, items[2])
    leave(page.locator(".score input[value='3']"))
    answer = page.locator("#answer")
    expect(answer).not_to_have_attribute("open", "")
    page.keyboard.press(" ")
    expect(answer).to_have_attribute("open", "")
    expect(answer.locator(".answer-body")).to_be_visible()
    page.keyboard.press(" ")
    expect(answer).not_to_have_attribute("open", "")
    shortcuts = page.locator("#shortcuts")
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    expect(shortcuts.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.keyboard.press("?")
    expect(shortcuts).to_be_hidden()
    # Space on a focused key point ticks it, as on any checkbox, rather than toggling the answer.
    last_point = page.locator(".points input[type=checkbox]").last
    last_point.focus()
    with saved(page, "points"):
        page.keyboard.press(" ")
    expect_saved(page)
    expect(last_point).to_be_checked()
    expect(answer).not_to_have_attribute("open", "")

    page.reload()
    expect_current(page, items[2])
    expect(page.locator(".score input[value='3']")).to_be_checked()
    expect(page.locator(".points input[type=checkbox]").last).to_be_checked()
    entries = page.locator(".plan-entries .entry-score")
    expect(entries.nth(0)).to_have_text("Solid")
    expect(entries.nth(1)).to_have_text("Exceptional")
    expect(entries.nth(2)).to_have_text("Solid")
    expect(page.locator("#progress")).to_have_text(f"3 of {len(items)} questions scored")
    page.keyboard.press("k")
    expect_current(page, items[1])
    expect(page.locator(f"#notes-{items[1].code}")).to_have_value(NOTES + " 1234jk")
    expect(page.locator(".score input[value='4']")).to_be_checked()
    page.keyboard.press("k")
    expect_current(page, items[0])
    expect(page.locator(".points input[type=checkbox]").first).to_be_checked()
    assert [i.score for i in interview.items.order_by("position")[:3]] == [3, 4, 3]

    # The candidate screen, in a browser that never logged in. Its controls sit in the "More" menu.
    page.locator("[data-menu] > summary").click()
    page.get_by_role("button", name="Share a candidate screen").click()
    page.wait_for_load_state()
    screen_url = page.locator("#screen-url").input_value()
    assert re.search(r"/screen/[\w-]{40,}/$", screen_url)
    candidate_context = browser.new_context()
    try:
        screen = candidate_context.new_page()
        screen.goto(screen_url)
        heading = screen.locator("#screen-heading")
        expect(heading).to_have_text(items[0].snapshot["number"])
        first_prompt = page.locator(".question .prompt").inner_text()
        expect(screen.locator(".prompt")).to_have_text(first_prompt)
        expect(screen.locator("body")).not_to_contain_text(CANDIDATE)
        answer_text = page.locator("#answer .answer-body").text_content()
        assert answer_text.strip()[:40] not in screen.locator("body").inner_text()
        expect(screen.locator("#answer, .answer-body, .score, textarea")).to_have_count(0)
        assert_no_serious_axe_violations(screen)

        page.keyboard.press("j")
        expect_current(page, items[1])
        second_prompt = page.locator(".question .prompt").inner_text()
        expect(screen.locator(".prompt")).to_have_text(second_prompt, timeout=2500)
        expect(heading).to_have_text(items[1].snapshot["number"])
        expect(screen.locator("body")).not_to_contain_text("1234jk")

        expect(page.locator(".screen-on")).to_be_visible()
        page.locator("[data-menu] > summary").click()
        page.get_by_role("button", name="Revoke link").click()
        page.locator("[data-menu] > summary").click()
        expect(page.get_by_role("button", name="Share a candidate screen")).to_be_visible()
        expect(page.locator(".screen-on")).to_have_count(0)
        expect(heading).to_have_text("This screen has ended", timeout=2500)
        expect(screen.locator(".prompt")).to_have_count(0)
    finally:
        candidate_context.close()

    interview.refresh_from_db()
    assert interview.status == Status.IN_PROGRESS and interview.screen_token is None
