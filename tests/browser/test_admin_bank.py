"""A bank editor in the admin, in Chromium: finding a question, reading its answer, importing a bank."""

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from questionbank.models import Bank

from .conftest import DJANGO_ADMIN_VIOLATIONS, admin_login, assert_no_serious_axe_violations

SEED = settings.BASE_DIR / "fixtures" / "banks" / "day6-transformers-llms.md"


def test_it_shows_an_editor_the_rendered_expected_answer(
    page: Page, live_server, editor, seed_bank
):
    admin_login(page, live_server, editor.username, "password")

    page.get_by_role("link", name="Questions").click()
    page.get_by_role("textbox", name="Search", exact=True).fill("KV Cache")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=KV\+Cache"))
    row = page.get_by_role("row").filter(has_text='What is the "KV Cache"')
    row.get_by_role("link").first.click()

    expect(page.get_by_role("heading", name="Change question")).to_be_visible()
    preview = page.locator(".answer-preview")
    expect(preview.locator("li", has=page.locator("strong", has_text="Solution:"))).to_contain_text(
        "Cache the Key and Value matrices"
    )
    expect(preview).not_to_contain_text("**")
    assert_no_serious_axe_violations(page, DJANGO_ADMIN_VIOLATIONS)

    page.goto(f"{live_server.url}/admin/questionbank/bank/{seed_bank.pk}/change/")
    expect(page.get_by_role("link", name="Export as Markdown")).to_be_visible()
    assert_no_serious_axe_violations(page, DJANGO_ADMIN_VIOLATIONS)


def test_it_imports_a_bank_after_a_dry_run(page: Page, live_server, editor):
    admin_login(page, live_server, editor.username, "password")
    page.goto(f"{live_server.url}/admin/questionbank/bank/")
    page.get_by_role("link", name="Import a Markdown bank").click()
    assert_no_serious_axe_violations(page, DJANGO_ADMIN_VIOLATIONS)

    page.get_by_label("File").set_input_files(SEED)
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Dry run: nothing has been saved yet")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("45 questions")
    warnings = page.locator(".messagelist li.warning")
    # The distribution table's four claims, and the three criteria that the importer's own
    # suggestions leave uncovered (the reviewed mapping covers them).
    expect(warnings).to_have_count(7)
    expect(warnings.filter(has_text="no question covers")).to_have_count(3)
    for number in (2, 3, 4, 5):
        expect(warnings.filter(has_text=f"Section {number}:")).to_have_count(1)
    assert_no_serious_axe_violations(page, DJANGO_ADMIN_VIOLATIONS)
    assert not Bank.objects.exists()

    page.get_by_role("button", name="Confirm import").click()

    expect(page).to_have_url(re.compile(r"/admin/questionbank/bank/\d+/change/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("45 questions")
    assert Bank.objects.get().questions.count() == 45
    assert_no_serious_axe_violations(page, DJANGO_ADMIN_VIOLATIONS)
