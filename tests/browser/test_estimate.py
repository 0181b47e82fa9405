"""The level estimate in Chromium: the live suggestion after a score, `n` to accept it, the summary
with its probabilities, and the panel debrief with the combined estimate. Axe on each."""

import re

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion

from .conftest import assert_no_serious_axe_violations, login

SHOTS = "/work/shots/estimate-{}.png"


def scored_and_submitted(interview: Interview, by: User, scores: list[int], recommendation: str):
    items = list(interview.items.order_by("position"))
    for index, item in enumerate(items):
        item.score = scores[index % len(scores)]
        item.notes = "Seen in the answer." if item.score in (1, 4) else ""
    PlannedQuestion.objects.bulk_update(items, ["score", "notes"])
    services.submit_scorecard(
        interview=interview, by=by, recommendation=recommendation, rationale="Read the evidence."
    )


def test_it_suggests_a_next_question_after_a_score_and_n_accepts_it(
    page: Page, live_server, interviewer, make_interview
):
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 720})
    candidate = Candidate.objects.create(name="Ada Lovelace", created_by=interviewer)
    interview = make_interview(candidate)
    planned = interview.items.count()
    login(page, live_server, interviewer.username, "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/")
    page.get_by_role("button", name="Start the interview").click()
    page.wait_for_load_state()

    with page.expect_response(lambda r: "/suggestion/" in r.url):
        page.keyboard.press("3")
    panel = page.locator("#suggestion")
    expect(panel.locator("[data-suggestion-reason]")).to_contain_text("narrow the estimate most")
    expect(panel.get_by_role("button", name="Add it after this question (n)")).to_be_visible()
    suggested = int(panel.locator("input[name=question]").get_attribute("value"))
    assert interview.items.count() == planned  # suggesting never changes the plan
    panel.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("live-suggestion"))
    assert_no_serious_axe_violations(page)

    page.keyboard.press("n")
    expect(page.locator("#progress")).to_have_text(f"1 of {planned + 1} questions scored")
    order = list(interview.items.order_by("position").values_list("question_id", flat=True))
    assert order[1] == suggested
    entries = page.locator(".plan-entries li")
    expect(entries.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))


def test_it_shows_the_estimate_on_the_summary_and_the_panels_on_the_debrief(
    page: Page, live_server, interviewer, other_interviewer, manager, make_interview
):
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 720})
    # The interviewer added the candidate and planned both interviews: the colleague is on the panel.
    candidate = Candidate.objects.create(name="Grace Hopper", created_by=interviewer)
    mine = make_interview(candidate)
    scored_and_submitted(mine, interviewer, [3, 4, 3], "hire")
    theirs = make_interview(
        candidate, interviewers=[other_interviewer], created_by=interviewer, seed=2
    )
    scored_and_submitted(theirs, other_interviewer, [2, 3, 2], "no_hire")

    login(page, live_server, interviewer.username, "password")
    page.goto(f"{live_server.url}/interviews/{mine.code}/summary/")
    section = page.locator(".level-estimate")
    expect(section.get_by_role("heading", name="How likely each level is")).to_be_visible()
    expect(section.locator(".estimate-statement")).to_contain_text("%")
    section.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("summary"))
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Panel debrief").click()
    combined = page.locator(".level-estimate")
    expect(
        combined.get_by_role("heading", name="Combined level estimate of the panel")
    ).to_be_visible()
    expect(page.locator(".panel-shares tbody tr")).to_have_count(2)
    combined.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("debrief"))
    assert_no_serious_axe_violations(page)
