"""Notes read as typed in a browser: the summary, both HTML reports and the PDF.

Set SHOTS=/some/dir to keep screenshots of each page (1280x720) for review.
"""

import io
import os
import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from interviews.models import PlannedQuestion

from .conftest import login

NOTE = (
    "Cost O(layers*seq*d); keeps `kv_cache` per_layer.\nSee https://example.com/kv for the maths."
)


def shoot(page: Page, name: str) -> None:
    if shots := os.environ.get("SHOTS"):
        page.screenshot(path=str(Path(shots) / f"md-{name}.png"))


def test_it_shows_notes_as_typed_on_every_page(
    page: Page, live_server, interviewer, make_interview
):
    page.set_viewport_size({"width": 1280, "height": 720})
    interview = make_interview("Ada Lovelace", planned_minutes=20)
    PlannedQuestion.objects.filter(interview=interview).update(score=3, notes="Fine.")
    first = interview.items.order_by("position").first()
    PlannedQuestion.objects.filter(pk=first.pk).update(notes=NOTE, notes_shared=True)
    login(page, live_server, "interviewer", "password")
    base = f"{live_server.url}/interviews/{interview.code}"

    for name, path in (
        ("summary", "/summary/"),
        ("report-internal", "/report/"),
        ("report-candidate", "/report/?profile=candidate"),
    ):
        page.goto(base + path)
        note = page.locator(".typed", has_text="O(layers*seq*d)").first
        expect(note).to_contain_text("Cost O(layers*seq*d); keeps `kv_cache` per_layer.")
        link = note.get_by_role("link", name="https://example.com/kv")
        expect(link).to_have_attribute("href", "https://example.com/kv")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        assert "\n" in note.inner_text(), "the line break was lost"
        note.scroll_into_view_if_needed()
        shoot(page, name)

    response = page.request.get(base + "/report.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "O(layers*seq*d)" in text and "https://example.com/kv" in text
    if shots := os.environ.get("SHOTS"):
        pdf = Path(shots) / "md-report.pdf"
        pdf.write_bytes(response.body())
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", str(pdf), str(pdf.with_suffix(""))], check=True
        )
