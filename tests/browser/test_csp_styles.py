"""With the CSP enforced (style-src 'self' outside the admin), Chromium reports no violation on
the app's pages, the lockout page included, nor on the admin's (which keeps 'unsafe-inline')."""

from axes.models import AccessAttempt
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import admin_login, assert_no_serious_axe_violations, login

SHOTS = "/work/shots"


def watch_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def test_it_keeps_to_the_style_policy_on_every_page(
    page: Page, live_server, seed_bank, interviewer, editor, make_interview
):
    page.set_viewport_size({"width": 1280, "height": 720})
    interview = make_interview("Grace Hopper", planned_minutes=30)
    violations = watch_violations(page)

    login(page, live_server, interviewer.username, "password")
    for path in (
        "/",
        "/interviews/new/",
        f"/interviews/{interview.code}/",
        f"/interviews/{interview.code}/plan/",
        f"/interviews/{interview.code}/summary/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert not violations, violations

    admin_login(page, live_server, editor.username, "password")
    page.goto(
        f"{live_server.url}/admin/questionbank/question/{seed_bank.questions.first().pk}/change/"
    )
    page.wait_for_load_state("networkidle")
    assert not violations, violations


def test_it_keeps_to_the_style_policy_on_the_lockout_page(page: Page, live_server, interviewer):
    page.set_viewport_size({"width": 1280, "height": 720})
    violations = watch_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=f"{SHOTS}/auth-login.png")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill(interviewer.username)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name="Too many failed attempts").is_visible():
            break
        page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("heading", name="Too many failed attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes")
    page.screenshot(path=f"{SHOTS}/auth-locked.png")
    assert_no_serious_axe_violations(page)
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    assert not violations, violations
