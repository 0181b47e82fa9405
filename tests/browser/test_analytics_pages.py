"""The analytics pages in Chromium: each seen, screenshotted at 1280x720, and axe clean."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts import roles
from tests.conftest import make_user

from .conftest import assert_no_serious_axe_violations, login

SHOTS = Path("/work/shots")
PAGES = [
    ("manager", "/analytics/calibration/", "Interviewer calibration", "analytics-calibration"),
    ("manager", "/analytics/agreement/", "Rater agreement", "analytics-agreement"),
    ("interviewer", "/analytics/me/", "My calibration", "analytics-mine"),
    ("editor", "/analytics/questions/", "Question analytics", "analytics-questions"),
]


@pytest.fixture
def history(settings):
    settings.DEBUG = True
    call_command("loaddata", "day6-transformers-llms", verbosity=0)
    for role, name in (
        (roles.INTERVIEWERS, "interviewer"),
        (roles.HIRING_MANAGERS, "manager"),
        (roles.BANK_EDITORS, "editor"),
    ):
        make_user(name, role)
    call_command("seed_analytics_demo", "--candidates", "40", verbosity=0)


@pytest.mark.parametrize(("who", "path", "heading", "shot"), PAGES)
def test_it_shows_each_analytics_page_accessibly(
    page: Page, live_server, history, who, path, heading, shot
):
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, live_server, who, "password")
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_text("Synthetic data.")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    assert_no_serious_axe_violations(page)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{shot}.png"))
        page.screenshot(path=str(SHOTS / f"{shot}-full.png"), full_page=True)


def test_it_lets_an_editor_retire_a_question_from_the_page(page: Page, live_server, history):
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, live_server, "editor", "password")
    page.goto(f"{live_server.url}/analytics/questions/?flagged=1")
    row = page.locator("tbody tr").first
    row.get_by_role("button", name="Retire").click()
    expect(page.get_by_text("Retired.")).to_be_visible()
    expect(
        page.locator("tbody tr").first.get_by_role("button", name="Put back in use")
    ).to_be_visible()
