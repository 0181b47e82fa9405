"""The live view at laptop sizes, and a whole interview run from the keyboard alone."""

import re

import pytest
from playwright.sync_api import Page, expect

from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Status
from questionbank.models import Question

from .conftest import assert_no_serious_axe_violations, login

LAYOUT_PARTS = (
    ".score fieldset",
    ".points fieldset",
    "textarea[data-notes]",
    "form.hint",
    "#total-timer",
    "#progress",
)


def longest_key_points(bank) -> Question:
    return max(bank.questions.all(), key=lambda q: sum(len(p) for p in q.key_points))


@pytest.fixture
def plan(make_interview, interviewer):
    """Plan an interview of a candidate the interviewer added, as the new-interview page does."""

    def plan(**kwargs) -> Interview:
        candidate = Candidate.objects.create(name="Layout Candidate", created_by=interviewer)
        return make_interview(candidate, **kwargs)

    return plan


def item_for(interview: Interview, question: Question) -> PlannedQuestion:
    """The planned item asking `question`, added to the plan if the planner left it out."""
    item = interview.items.filter(question=question).first()
    return item or services.add_question(interview=interview, question=question)


def fully_visible(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.left >= 0 && box.height > 0
              && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
        }""",
        selector,
    )


@pytest.mark.parametrize("width, height", [(1280, 720), (1024, 768)])
def test_it_shows_a_whole_question_without_scrolling(
    page: Page, live_server, interviewer, seed_bank, plan, width, height
):
    question = longest_key_points(seed_bank)
    assert len(question.key_points) >= 3, "the check needs a question with several key points"
    interview = plan(target_level=question.level)
    item = item_for(interview, question)
    interview.start()
    interview.move_to(item)

    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/")
    expect(page.locator(f"#entry-{item.code}")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator(".points input[type=checkbox]")).to_have_count(len(question.key_points))

    for selector in (*LAYOUT_PARTS, "nav.question-nav button"):
        assert fully_visible(page, selector), f"{selector} is not fully visible at {width}×{height}"
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight"), (
        f"the page scrolls at {width}×{height}"
    )
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.score-option')]
            .filter((card) => card.scrollWidth > card.clientWidth + 1).length"""
    )
    assert overflowing == 0, "a score card's text leaves its border"
    assert_no_serious_axe_violations(page)


def test_it_sets_not_assessed_apart_from_the_scale(page: Page, live_server, interviewer, plan):
    interview = plan()
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/")
    scale = page.locator(".score-options input[name=score]")
    expect(scale).to_have_count(4)
    values = [scale.nth(i).get_attribute("value") for i in range(4)]
    assert values == ["1", "2", "3", "4"]
    expect(page.locator(".score-options input[value='0']")).to_have_count(0)
    expect(page.locator(".score-option.not-assessed input[value='0']")).to_have_count(1)


def test_it_runs_a_whole_interview_from_the_keyboard_alone(
    page: Page, live_server, interviewer, plan
):
    """No mouse event from login to the end of the interview: keys only."""
    interview = plan(planned_minutes=30)
    items = list(interview.items.order_by("position"))
    assert len(items) >= 3

    page.goto(f"{live_server.url}/accounts/login/?next=/interviews/{interview.code}/")
    page.keyboard.press("Tab")  # the skip link, then the username field
    focus_until(page, "input[name=username]")
    page.keyboard.type("interviewer")
    page.keyboard.press("Tab")
    page.keyboard.type("password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start the interview")).to_be_visible()
    page.wait_for_load_state()
    focus_until(page, "button", "Start the interview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="End the interview")).to_be_visible()
    page.wait_for_load_state()

    for index, item in enumerate(items):
        expect(page.locator(f"#entry-{item.code}")).to_have_class(re.compile(r"\bcurrent\b"))
        page.wait_for_load_state()  # app.js is deferred: a key pressed before it runs is lost
        with page.expect_response(lambda r: r.url.endswith("/points/")):
            page.keyboard.press("Shift+Digit1")
        expect(page.locator(".points input[type=checkbox]").first).to_be_checked()
        with page.expect_response(lambda r: r.url.endswith("/hint/")):
            page.keyboard.press("h")
        expect(page.locator("[data-hint]")).to_be_checked()
        with page.expect_response(lambda r: r.url.endswith("/score/")):
            page.keyboard.press("3")
        page.keyboard.press("i")
        notes = page.locator(f"#notes-{item.code}")
        expect(notes).to_be_focused()
        page.keyboard.type(f"typed O(n*d) for question {index}")
        with page.expect_response(lambda r: r.url.endswith("/notes/")):
            page.keyboard.press("Escape")
        expect(notes).not_to_be_focused()
        expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
        if index + 1 < len(items):
            page.keyboard.press("j")

    focus_until(page, "button", "End the interview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="End the interview")).to_have_count(0)

    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED
    for index, item in enumerate(interview.items.order_by("position")):
        assert (item.score, item.hint_given, item.covered_points) == (3, True, [0])
        assert item.notes == f"typed O(n*d) for question {index}"


def test_it_lets_the_interviewer_turn_single_keys_off(page: Page, live_server, interviewer, plan):
    interview = plan()
    interview.start()
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/")
    page.locator("[data-menu] > summary").click()
    switch = page.get_by_label("Single-key shortcuts")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.reload()
    page.wait_for_load_state()
    page.keyboard.press("3")
    page.wait_for_timeout(300)
    expect(page.locator(".score input[value='3']")).not_to_be_checked()
    page.locator("[data-menu] > summary").click()
    expect(page.get_by_label("Single-key shortcuts")).not_to_be_checked()


def focus_until(page: Page, selector: str, text: str = "", limit: int = 40) -> None:
    """Press Tab until `selector` (with `text`, if given) has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(
            """([s, text]) => document.activeElement.matches(s)
                && (!text || document.activeElement.textContent.trim() === text)""",
            [selector, text],
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} {text!r} was not reached with {limit} Tabs")
