"""From a finished interview to a decision, in Chromium: summary, submission, PDF, panel debrief."""

import io
import re

from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from accounts import roles
from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Status
from questionbank.models import Level

from .conftest import assert_no_serious_axe_violations, login

CANDIDATE = "Ada Lovelace"
ALICE_NOTE = "ALICE-NOTE-MARKER: designed the retrieval cache end to end"
BOB_NOTE = "BOB-NOTE-MARKER: knew the serving trade-offs"
ALICE_RATIONALE = "ALICE-RATIONALE-MARKER: strong on system design and production."
BOB_RATIONALE = "BOB-RATIONALE-MARKER: solid throughout."


def plan(candidate: Candidate, interviewer: User, bank) -> Interview:
    """A 20-minute Senior plan: four questions, fixed seed so every run plans the same."""
    return services.create_interview(
        candidate=candidate,
        position="ML Engineer",
        target_level=Level.SENIOR,
        bank=bank,
        planned_minutes=20,
        interviewers=[interviewer],
        created_by=interviewer,
        seed=1,
    )


def second_interviewer() -> User:
    bob = User.objects.create_user("bob", "bob@example.com", "password")
    bob.groups.add(Group.objects.get(name=roles.INTERVIEWERS))
    return bob


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


def test_it_submits_a_scorecard_and_reports_it(page: Page, live_server, interviewer, seed_bank):
    page.set_default_timeout(10_000)
    interview = plan(Candidate.objects.create(name=CANDIDATE), interviewer, seed_bank)
    login(page, live_server, interviewer.username, "password")
    page.goto(url(live_server, interview))
    finish_from_the_keyboard(page, interview, ALICE_NOTE)

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

    submit_decision(page, "Strong hire", ALICE_RATIONALE)
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
    expect(own.locator(".rationale")).to_contain_text(ALICE_RATIONALE)
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
    assert "Hire" in text and ALICE_NOTE.split(":")[0] in text

    downloads.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name=f"Interview report: {CANDIDATE}")).to_be_visible()
    expect(page.locator("body")).to_contain_text(ALICE_NOTE)
    assert_no_serious_axe_violations(page)

    page.go_back()
    downloads.get_by_role("link", name="Candidate-safe report").click()
    expect(page.get_by_role("heading", name=f"Interview feedback: {CANDIDATE}")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Hire")
    expect(page.locator("body")).not_to_contain_text(ALICE_RATIONALE)
    assert_no_serious_axe_violations(page)


def test_it_hides_the_panel_until_each_interviewer_has_submitted(
    page: Page, browser: Browser, live_server, interviewer, manager, seed_bank
):
    page.set_default_timeout(10_000)
    # Alice added the candidate, so she may put Bob on their loop.
    candidate = Candidate.objects.create(name=CANDIDATE, created_by=interviewer)
    alices = plan(candidate, interviewer, seed_bank)
    items = list(alices.items.order_by("position"))
    for item in items:
        item.score = 3
    items[0].score, items[0].notes = 4, ALICE_NOTE
    PlannedQuestion.objects.bulk_update(items, ["score", "notes"])
    services.submit_scorecard(
        interview=alices, by=interviewer, recommendation="hire", rationale=ALICE_RATIONALE
    )
    bob = second_interviewer()
    bobs = plan(candidate, bob, seed_bank)
    Interview.objects.filter(pk=bobs.pk).update(created_by=interviewer)
    assert not {i.question_id for i in bobs.items.all()} & {i.question_id for i in items}
    debrief = f"{live_server.url}/candidates/{candidate.code}/debrief/"

    login(page, live_server, bob.username, "password")
    page.goto(url(live_server, bobs))
    finish_from_the_keyboard(page, bobs, BOB_NOTE)
    response = page.goto(debrief)
    assert response.status == 403
    expect(page.get_by_role("alert")).to_have_text(
        "Submit your own scorecard first: the panel's scores stay hidden until you have."
    )
    expect(page.locator("body")).not_to_contain_text("ALICE")
    # Nowhere else either: Alice's pages answer 404, Bob's own pages hold only his interview.
    for name in ("", "summary/", "report/", "report/?profile=candidate", "scorecard.json"):
        response = page.goto(url(live_server, alices, name))
        assert response.status == 404, name
        assert "ALICE" not in page.content()
    for address in (
        f"{live_server.url}/",
        url(live_server, bobs),
        url(live_server, bobs, "summary/"),
        url(live_server, bobs, "report/"),
    ):
        page.goto(address)
        assert "ALICE" not in page.content(), address

    page.goto(url(live_server, bobs, "summary/"))
    submit_decision(page, "Hire", BOB_RATIONALE)
    page.get_by_role("link", name="Panel debrief").click()
    expect(page.get_by_role("heading", name=f"Panel debrief: {CANDIDATE}")).to_be_visible()
    expect(page.locator("#recs-heading + table tbody tr")).to_have_count(2)
    expect(page.locator("body")).to_contain_text(ALICE_RATIONALE)
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
        expect(rows.filter(has_text="interviewer")).to_contain_text(ALICE_RATIONALE)
        expect(rows.filter(has_text="bob")).to_contain_text(BOB_RATIONALE)
        header = manager_page.locator(".side-by-side thead th")
        expect(header).to_have_text(["Criterion", "interviewer", "bob", "Spread"])
        assert_no_serious_axe_violations(manager_page)
    finally:
        managers.close()
