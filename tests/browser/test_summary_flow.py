"""From a finished interview to a decision, in Chromium: summary, submission, PDF, panel debrief."""

import io
import re

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Status

from .conftest import assert_no_serious_axe_violations, login

CANDIDATE = "Ada Lovelace"
MINE = "MINE-"  # what the interviewer wrote in their own interview starts so
MY_NOTE = "MINE-NOTE-MARKER: designed the retrieval cache end to end"
THEIR_NOTE = "THEIRS-NOTE-MARKER: knew the serving trade-offs"
MY_RATIONALE = "MINE-RATIONALE-MARKER: strong on system design and production."
THEIR_RATIONALE = "THEIRS-RATIONALE-MARKER: solid throughout."


def url(live_server, interview: Interview, name: str = "") -> str:
    return f"{live_server.url}/interviews/{interview.code}/{name}"


def finish_from_the_keyboard(page: Page, interview: Interview, note: str) -> None:
    """Start, score every planned question from the keyboard, end the interview.

    The first question gets a 4, which needs `note` before the scorecard can be submitted; the
    others get a 3.
    """
    items = list(interview.items.order_by("position"))
    page.get_by_role("button", name="Start the interview").click()
    for index, item in enumerate(items):
        expect(page.locator(f"#entry-{item.code}")).to_have_class(re.compile(r"\bcurrent\b"))
        page.wait_for_load_state()  # app.js is deferred: a key pressed before it runs is lost
        with page.expect_response(lambda r: r.url.endswith("/score/")):
            page.keyboard.press("4" if index == 0 else "3")
        expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
        if index == 0:
            evidence = page.locator(f"#evidence-{item.code}")
            expect(evidence).to_be_visible()
            notes = page.locator(f"#notes-{item.code}")
            with page.expect_response(lambda r: r.url.endswith("/notes/")):
                notes.fill(note)
            expect(evidence).to_be_hidden()
            notes.blur()
            expect(notes).not_to_have_class(re.compile(r"\bhtmx-request\b"))
        if index + 1 < len(items):
            page.keyboard.press("j")
    expect(page.locator("#progress")).to_have_text(f"{len(items)} of {len(items)} questions scored")
    page.get_by_role("button", name="End the interview").click()
    expect(page.locator(".live-who .meta")).to_contain_text("Completed")


def submit_decision(page: Page, recommendation: str, rationale: str) -> None:
    page.get_by_label(recommendation, exact=True).check()
    page.get_by_label("Rationale").fill(rationale)
    page.get_by_role("button", name="Submit the scorecard").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard submitted")


def test_it_submits_a_scorecard_and_reports_it(
    page: Page, live_server, interviewer, make_interview
):
    page.set_default_timeout(10_000)
    interview = make_interview(CANDIDATE, planned_minutes=20)
    login(page, live_server, interviewer.username, "password")
    page.goto(url(live_server, interview))
    finish_from_the_keyboard(page, interview, MY_NOTE)

    page.get_by_role("link", name="Summary and decision").click()
    expect(page.get_by_role("heading", name=f"Hiring summary: {CANDIDATE}")).to_be_visible()
    expect(page.locator(".warning-box")).to_have_count(0)
    assert_no_serious_axe_violations(page)

    # No rationale: the browser will not send the form; blank text gets past it and the server
    # refuses it, saying why, and nothing is submitted.
    page.get_by_label("Strong hire", exact=True).check()
    rationale = page.get_by_label("Rationale")
    page.get_by_role("button", name="Submit the scorecard").click()
    assert rationale.evaluate("(el) => el.validity.valueMissing")
    rationale.fill("   ")
    page.get_by_role("button", name="Submit the scorecard").click()
    expect(page.locator("#id_rationale_error")).to_have_text("This field is required.")
    expect(rationale).to_have_attribute("aria-invalid", "true")
    assert_no_serious_axe_violations(page)
    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED

    submit_decision(page, "Strong hire", MY_RATIONALE)
    interview.refresh_from_db()
    assert interview.status == Status.SUBMITTED
    frozen = services.summary_for(interview=interview)
    assert frozen.recommendation_label == "Hire"
    expect(page.locator(".banner")).to_contain_text("frozen as computed then (rules version 2)")
    computed, own = page.locator(".recommendation").all()
    expect(computed.locator(".rec-value")).to_have_text("Hire")
    expect(computed.locator(".reasons li")).to_have_text(list(frozen.reasons))
    expect(computed.locator(".reasons")).to_contain_text(
        re.compile(r"Every assessed Senior criterion is Meets or better; \d of \d assessed")
    )
    expect(own.locator(".rec-value")).to_have_text("Strong hire")
    expect(own.locator(".rationale")).to_contain_text(MY_RATIONALE)
    expect(page.locator(".differs")).to_contain_text("differs from the computed one")
    expect(page.get_by_role("button", name="Submit the scorecard")).to_have_count(0)
    assert_no_serious_axe_violations(page)

    downloads = page.get_by_role("navigation", name="Reports and exports")
    with page.expect_download() as info:
        downloads.get_by_role("link", name="PDF").first.click()
    download = info.value
    assert re.fullmatch(r"ada-lovelace_[\w.-]+\.pdf", download.suggested_filename)
    body = download.path().read_bytes()
    assert body.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert CANDIDATE in text
    assert "Hire" in text and MY_NOTE.split(":")[0] in text

    downloads.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name=f"Interview report: {CANDIDATE}")).to_be_visible()
    expect(page.locator("body")).to_contain_text(MY_NOTE)
    assert_no_serious_axe_violations(page)

    page.go_back()
    downloads.get_by_role("link", name="Candidate-safe report").click()
    expect(page.get_by_role("heading", name=f"Interview feedback: {CANDIDATE}")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Hire")
    expect(page.locator("body")).not_to_contain_text(MY_RATIONALE)
    assert_no_serious_axe_violations(page)


def test_it_hides_the_panel_until_each_interviewer_has_submitted(
    page: Page,
    browser: Browser,
    live_server,
    interviewer,
    other_interviewer,
    manager,
    make_interview,
):
    page.set_default_timeout(10_000)
    # The interviewer added the candidate, so they may put their colleague on the loop.
    candidate = Candidate.objects.create(name=CANDIDATE, created_by=interviewer)
    mine = make_interview(candidate, planned_minutes=20)
    items = list(mine.items.order_by("position"))
    for item in items:
        item.score = 3
    items[0].score, items[0].notes = 4, MY_NOTE
    PlannedQuestion.objects.bulk_update(items, ["score", "notes"])
    services.submit_scorecard(
        interview=mine, by=interviewer, recommendation="hire", rationale=MY_RATIONALE
    )
    theirs = make_interview(
        candidate, interviewers=[other_interviewer], created_by=interviewer, planned_minutes=20
    )
    assert not {i.question_id for i in theirs.items.all()} & {i.question_id for i in items}
    debrief = f"{live_server.url}/candidates/{candidate.code}/debrief/"

    login(page, live_server, other_interviewer.username, "password")
    page.goto(url(live_server, theirs))
    finish_from_the_keyboard(page, theirs, THEIR_NOTE)
    response = page.goto(debrief)
    assert response.status == 403
    expect(page.get_by_role("alert")).to_have_text(
        "Submit your own scorecard first: the panel's scores stay hidden until you have."
    )
    expect(page.locator("body")).not_to_contain_text(MINE)
    # Nowhere else either: the interviewer's pages answer 404, the colleague's own pages hold
    # only their interview.
    for name in ("", "summary/", "report/", "report/?profile=candidate", "scorecard.json"):
        response = page.goto(url(live_server, mine, name))
        assert response.status == 404, name
        assert MINE not in page.content()
    for address in (
        f"{live_server.url}/",
        url(live_server, theirs),
        url(live_server, theirs, "summary/"),
        url(live_server, theirs, "report/"),
    ):
        page.goto(address)
        assert MINE not in page.content(), address

    page.goto(url(live_server, theirs, "summary/"))
    submit_decision(page, "Hire", THEIR_RATIONALE)
    page.get_by_role("link", name="Panel debrief").click()
    expect(page.get_by_role("heading", name=f"Panel debrief: {CANDIDATE}")).to_be_visible()
    expect(page.locator("#recs-heading + table tbody tr")).to_have_count(2)
    expect(page.locator("body")).to_contain_text(MY_RATIONALE)
    assert_no_serious_axe_violations(page)

    managers = browser.new_context()
    try:
        manager_page = managers.new_page()
        manager_page.set_default_timeout(10_000)
        login(manager_page, live_server, manager.username, "password")
        manager_page.goto(debrief)
        expect(manager_page.locator(".page-head .meta")).to_have_text("2 submitted scorecards.")
        rows = manager_page.locator("#recs-heading + table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="interviewer")).to_contain_text(MY_RATIONALE)
        expect(rows.filter(has_text="colleague")).to_contain_text(THEIR_RATIONALE)
        header = manager_page.locator(".side-by-side thead th")
        expect(header).to_have_text(["Criterion", "interviewer", "colleague", "Spread"])
        assert_no_serious_axe_violations(manager_page)
    finally:
        managers.close()
