"""With INTERVIEW_CORRECT_SEVERITY on, the summary and the debrief say what was corrected, in
Chromium, axe clean."""

from playwright.sync_api import Page, expect

from interviews.models import AnalyticsSnapshot, Candidate

from .conftest import assert_no_serious_axe_violations, login
from .test_estimate import scored_and_submitted

SHOTS = "/work/shots/analytics-severity-{}.png"


def test_it_says_on_the_summary_and_the_debrief_that_severity_was_corrected(
    page: Page, live_server, interviewer, other_interviewer, make_interview, settings
):
    settings.INTERVIEW_CORRECT_SEVERITY = True
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 720})
    rater = {"user": interviewer.pk, "leniency": -0.4, "low": -0.6, "high": -0.2, "scores": 120}
    AnalyticsSnapshot.objects.create(payload={"calibration": {"raters": [rater]}})
    candidate = Candidate.objects.create(name="Grace Hopper", created_by=interviewer)
    mine = make_interview(candidate)
    scored_and_submitted(mine, interviewer, [2, 3, 2], "no_hire")
    theirs = make_interview(
        candidate, interviewers=[other_interviewer], created_by=interviewer, seed=2
    )
    scored_and_submitted(theirs, other_interviewer, [3], "hire")

    login(page, live_server, interviewer.username, "password")
    page.goto(f"{live_server.url}/interviews/{mine.code}/summary/")
    note = page.locator(".severity-note")
    expect(note).to_contain_text("0.40 points below the average interviewer")
    note.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("summary"))
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Panel debrief").click()
    notes = page.locator(".severity-note")
    expect(notes.locator("li")).to_have_count(2)  # the colleague's says no severity was measured
    expect(notes).to_contain_text("0.40 points below the average interviewer")
    notes.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("debrief"))
    assert_no_serious_axe_violations(page)
