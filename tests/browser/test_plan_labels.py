"""Questions named by section in Chromium: the plan page, the live sidebar, the candidate screen."""

import re

from playwright.sync_api import Browser, Page, expect

from questionbank.models import Level

from .conftest import assert_no_serious_axe_violations, login

SHOTS = "/work/shots"
LABEL = re.compile(r"^S\d+ · Q\d+")


def test_it_names_questions_by_section_on_every_screen(
    page: Page, browser: Browser, live_server, interviewer, make_interview
):
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 720})
    interview = make_interview("Grace Hopper", position="ML Platform Engineer")
    items = list(interview.items.order_by("position"))
    login(page, live_server, interviewer.username, "password")

    page.goto(f"{live_server.url}/interviews/{interview.code}/plan/")
    labels = page.locator("ol.plan .question-label")
    expect(labels).to_have_count(len(items))
    assert all(LABEL.match(text) for text in labels.all_inner_texts())
    expect(page.locator("#plan-total")).to_contain_text("5-minute buffer")
    expect(page.locator("#left-out")).to_have_text("Every Senior criterion is covered.")
    page.get_by_text("How the plan was made").click()
    expect(page.locator("#plan-rules li")).to_have_count(8)
    assert_no_serious_axe_violations(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=f"{SHOTS}/plan-plan-page.png")
    page.locator("#plan-rules").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/plan-plan-rules.png")

    page.get_by_role("link", name="Go to the interview").click()
    page.get_by_role("button", name="Start the interview").click()
    entries = page.locator(".plan-entries .entry-name")
    expect(entries).to_have_count(len(items))
    assert all(LABEL.match(text) for text in entries.all_inner_texts())
    assert len(set(entries.all_inner_texts())) == len(items)  # no "Q20 · Senior" twice
    expect(page.locator("#question-heading")).to_contain_text(items[0].pinned.label)
    detailed = next(i for i in items if any("point-detail" in p for p in i.pinned.key_points))
    page.locator(f"#entry-{detailed.code} button").click()
    expect(page.locator("#question-heading")).to_contain_text(detailed.pinned.label)
    expect(page.locator(".points .point-detail").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.screenshot(path=f"{SHOTS}/plan-live-sidebar.png")

    page.locator("[data-menu] > summary").click()
    page.get_by_role("button", name="Share a candidate screen").click()
    page.wait_for_load_state()
    screen_url = page.locator("#screen-url").input_value()
    candidate = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        screen = candidate.new_page()
        screen.goto(screen_url)
        number = items.index(detailed) + 1
        expect(screen.locator("#screen-heading")).to_have_text(f"Question {number} of {len(items)}")
        assert detailed.pinned.label not in screen.locator("body").inner_text()
        assert_no_serious_axe_violations(screen)
        screen.screenshot(path=f"{SHOTS}/plan-candidate-screen.png")
    finally:
        candidate.close()


def test_it_refreshes_the_levels_when_the_bank_changes(page: Page, live_server, interviewer):
    from questionbank.models import Bank, Criterion, RubricLevel

    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 720})
    for slug, ranked in (("full", (1, 2, 3, 4)), ("junior-only", (1,))):
        bank = Bank.objects.create(title=f"Bank {slug}", slug=slug)
        section = bank.sections.create(number=1, title="Basics")
        for level in ranked:
            group = RubricLevel.objects.create(
                bank=bank, key=f"l{level}", heading=Level(level).label, level=level
            )
            criterion = Criterion.objects.create(
                bank=bank, rubric_level=group, key=f"l{level}-c", name="C", description="-"
            )
            question = bank.questions.create(
                section=section, key=f"s1-q{level}", number=f"Q{level}", prompt="Why?", level=level
            )
            question.criteria.set([criterion])
    login(page, live_server, interviewer.username, "password")
    page.goto(f"{live_server.url}/interviews/new/")
    level = page.get_by_label("Target level")
    expect(level.locator("option")).to_have_count(4)
    page.get_by_label("Bank").select_option(label="Bank junior-only")
    expect(level.locator("option")).to_have_count(1)
    expect(level.locator("option")).to_have_text("Junior")
    page.get_by_label("Bank").select_option(label="Bank full")
    expect(level.locator("option")).to_have_count(4)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=f"{SHOTS}/plan-new-interview.png")
