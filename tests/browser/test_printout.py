"""A PDF the task worker makes, in Chromium: the page that waits, then the download by itself.

Set SHOTS=/some/dir to keep screenshots of the waiting page (1280x720) for review.
"""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from interviews import services
from interviews.models import PlannedQuestion

from .conftest import assert_no_serious_axe_violations, login


def test_it_waits_for_the_worker_then_downloads_the_pdf(
    page: Page, live_server, interviewer, make_interview, queued_tasks, db_worker
):
    page.set_viewport_size({"width": 1280, "height": 720})
    interview = make_interview("Ada Lovelace", planned_minutes=20)
    PlannedQuestion.objects.filter(interview=interview).update(score=3, notes="Fine.")
    services.submit_scorecard(
        interview=interview, by=interviewer, recommendation="hire", rationale="Clear."
    )
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/report/")

    page.get_by_role("link", name="Download PDF").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Making the PDF")
    expect(page.get_by_role("heading", name="PDF of Ada Lovelace's report")).to_be_visible()
    assert_no_serious_axe_violations(page)
    if shots := os.environ.get("SHOTS"):
        page.screenshot(path=str(Path(shots) / "printout-waiting.png"))
    with page.expect_download(timeout=15_000) as info:
        db_worker()  # the page's next poll finds the PDF made, and opens it
    assert info.value.suggested_filename.endswith("_report-internal.pdf")
    assert info.value.path().read_bytes().startswith(b"%PDF")
    expect(status).to_contain_text("The PDF is made and downloads now")
    if shots:
        page.screenshot(path=str(Path(shots) / "printout-made.png"))
    page.get_by_role("link", name="Back to Ada Lovelace's report").click()
    expect(page.get_by_role("heading", name="Interview report: Ada Lovelace")).to_be_visible()
