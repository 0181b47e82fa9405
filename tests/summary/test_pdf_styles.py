"""PDFs carry their stylesheets with the production static storage (hashed names, a manifest).

WeasyPrint fetched /static/css/app.<hash>.css through the static finders, which know only the
source names: every PDF of a real deployment was unstyled.
"""

import io
import logging
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production's whitenoise storage subclasses this one: same hashed names, same manifest, and
    # no minute of compressing every file on each run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = MANIFEST_STORAGE
    call_command("collectstatic", "--no-input", verbosity=0)
    settings.DEBUG = False


def fonts_of(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_it_styles_the_pdf_with_hashed_static_names(
    client, interviewer, make_interview, score, submit, production_static, caplog
):
    interview = make_interview("Ada Lovelace")
    score(interview, 3)
    interview = submit(interview)
    client.force_login(interviewer)
    html = client.get(reverse("interviews:report", args=[interview.code])).text
    assert "/static/css/app." in html and "/static/css/app.css" not in html  # hashed

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(reverse("interviews:report_pdf", args=[interview.code]))

    assert response.status_code == 200
    # (WeasyPrint also warns about CSS it does not support, such as clip-path: not our concern.)
    failed = [r for r in caplog.records if r.name.startswith("weasyprint") and "load" in r.msg]
    assert not failed, caplog.text
    # app.css sets a sans-serif stack: unstyled, WeasyPrint falls back to a serif face.
    fonts = fonts_of(response.content)
    assert any("Sans" in font for font in fonts), fonts
    assert not any("Serif" in font for font in fonts), fonts


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("view", ["report", "debrief"])
def test_it_renders_the_same_pdf_with_its_stylesheets_parsed_once(
    client, interviewer, manager, make_interview, score, submit, production_static, view
):
    """render_pdf hands WeasyPrint the page's stylesheets parsed once, in place of their links:
    the PDF must be the one the links gave."""
    from weasyprint import HTML

    from interviews import reports

    interview = make_interview("Ada Lovelace")
    score(interview, 3, notes={0: "Careful.", 1: "Deep on the KV cache."}, shared=(1,))
    interview = submit(interview)
    client.force_login(manager)
    if view == "report":
        html = client.get(reverse("interviews:report", args=[interview.code])).text
    else:
        url = reverse("interviews:debrief_pdf", args=[interview.candidate.code])
        with mock.patch.object(reports, "render_pdf", return_value=b"%PDF") as spy:
            client.get(url)
        html = spy.call_args.args[0]
    assert html.count('<link rel="stylesheet"') >= 1
    base_url = "http://testserver/"
    linked = HTML(string=html, base_url=base_url, url_fetcher=reports._static_fetcher()).write_pdf()

    reports._stylesheet.cache_clear()
    first = reports.render_pdf(html, base_url=base_url)
    parsed = reports._stylesheet.cache_info().misses
    second = reports.render_pdf(html, base_url=base_url)

    assert pages_of(first) == pages_of(second) == pages_of(linked)
    assert fonts_of(first) == fonts_of(linked)
    assert parsed == html.count('<link rel="stylesheet"')
    assert reports._stylesheet.cache_info().misses == parsed  # the second PDF parsed none
