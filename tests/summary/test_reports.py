"""The reports: internal and candidate-safe, HTML and PDF; CSV and JSON exports; file names; the chart."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from interviews import reports
from interviews.models import Candidate
from interviews.summary import Answer, Criterion, summarise

PRIVATE = "PRIVATE-MARKER-123"
PUBLIC = "PUBLIC-MARKER"
RATIONALE = "RATIONALE-MARKER"
SCORE_WORDS = ("Exceptional", "Solid", "Partial", "No evidence", "Not assessed")
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


@pytest.fixture
def interview(make_interview, score, submit):
    """Submitted: a private note on an Exceptional, a public note on a Solid, one Partial."""
    interview = make_interview("Ada Lovelace")
    score(
        interview,
        [4, 3, 2] + [3] * 7,
        notes={0: f"Deep answer {PRIVATE}", 1: f"Explained it well {PUBLIC}"},
        shared={1},
    )
    return submit(interview, "hire", f"Ready for Senior {RATIONALE}")


@pytest.fixture
def reader(client, interviewer):
    client.force_login(interviewer)

    def get(interview, name: str, profile: str = "internal"):
        url = reverse(f"interviews:{name}", args=[interview.code])
        return client.get(url, {"profile": profile})

    return get


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_it_renders_the_internal_report_as_a_real_pdf(reader, interview):
    pages = pdf_pages(reader(interview, "report_pdf"))

    text = "\n".join(pages)
    assert len(pages) >= 1
    assert "Ada Lovelace" in text
    assert "Hire" in text
    assert PRIVATE in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_it_puts_the_candidates_name_on_every_pdf_page(reader, interview):
    pages = pdf_pages(reader(interview, "report_pdf"))

    assert len(pages) > 1, "a one-page report cannot show a running header"
    for number, text in enumerate(pages, start=1):
        assert "Ada Lovelace" in text, f"no name on page {number}"
        assert f"Page {number} of {len(pages)}" in text


def test_it_puts_everything_in_the_internal_report(reader, interview):
    html = reader(interview, "report").text

    for expected in (PRIVATE, PUBLIC, RATIONALE, "Exceptional", "Solid", "Partial"):
        assert expected in html
    assert '<p class="rec-value">Hire</p>' in html
    assert "<svg" in html


def test_it_keeps_the_candidate_safe_report_free_of_scores_and_private_notes(reader, interview):
    html = reader(interview, "report", "candidate").text

    assert PUBLIC in html
    for hidden in (PRIVATE, RATIONALE, *SCORE_WORDS, "Score:", "mean"):
        assert hidden not in html
    assert "hire" not in html.lower()


def test_it_keeps_the_candidate_safe_pdf_free_of_scores_and_private_notes(reader, interview):
    text = "\n".join(pdf_pages(reader(interview, "report_pdf", "candidate")))

    assert "Ada Lovelace" in text
    assert PUBLIC in text
    for hidden in (PRIVATE, RATIONALE, *SCORE_WORDS):
        assert hidden not in text
    assert "hire" not in text.lower()


def test_it_lists_strengths_and_areas_to_work_on_for_the_candidate(reader, interview):
    items = list(interview.items.order_by("position"))

    feedback = reader(interview, "report", "candidate").context["feedback"]

    strengths = [topic for section in feedback for topic in section.strengths]
    to_work_on = [topic for section in feedback for topic in section.to_work_on]
    assert len(strengths) == len(items) - 1
    assert len(to_work_on) == 1
    assert to_work_on[0] in items[2].snapshot["prompt_html"]


def test_it_names_files_after_candidate_date_and_level_in_safe_characters(reader, interview):
    interview.candidate.name = "Zoë O'Brien/../<x>"
    interview.candidate.save()
    date = interview.scheduled_for.date().isoformat()

    names = {
        name: reader(interview, name)["Content-Disposition"]
        for name in ("report_pdf", "export_csv", "export_json")
    }

    expected = {
        "report_pdf": f"zoe-obrienx_{date}_senior_report-internal.pdf",
        "export_csv": f"zoe-obrienx_{date}_senior_scorecard.csv",
        "export_json": f"zoe-obrienx_{date}_senior_scorecard.json",
    }
    for name, header in names.items():
        assert header == f'attachment; filename="{expected[name]}"'
        assert SAFE_NAME.fullmatch(expected[name])


def test_it_falls_back_to_a_safe_name_when_nothing_of_the_name_survives(make_interview):
    interview = make_interview("../../<>")

    name = reports.file_name(interview, "report-candidate", "pdf")

    assert name.startswith("candidate_")
    assert SAFE_NAME.fullmatch(name)


def test_it_exports_one_csv_row_per_question(reader, interview):
    rows = list(csv.reader(io.StringIO(reader(interview, "export_csv").content.decode())))

    assert rows[0][:3] == ["candidate", "ats_id", "position"]
    assert len(rows) == 1 + interview.items.count()
    header = rows[0]
    assert [row[header.index("score_label")] for row in rows[1:4]] == [
        "Exceptional",
        "Solid",
        "Partial",
    ]
    assert rows[1][header.index("notes_shared")] == "no"


def test_it_neutralises_formulas_in_the_csv(reader, make_interview, score, interviewer):
    interview = make_interview(Candidate.objects.create(name="+cmd"))
    score(interview, notes={0: '=HYPERLINK("http://evil.example","x")', 1: "@SUM(A1)"})

    rows = list(csv.DictReader(io.StringIO(reader(interview, "export_csv").content.decode())))

    assert {row["candidate"] for row in rows} == {"'+cmd"}
    assert rows[0]["notes"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[1]["notes"] == "'@SUM(A1)"
    assert rows[2]["notes"] == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        pytest.param("=1+1", "'=1+1", id="equals"),
        pytest.param("+cmd", "'+cmd", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("a=1", "a=1", id="formula-character-later"),
        pytest.param(3, "3", id="number"),
        pytest.param(None, "", id="none"),
    ],
)
def test_it_neutralises_cells_that_start_like_a_formula(value, cell):
    assert reports.neutralise(value) == cell


def test_it_exports_json_with_the_summary(reader, interview):
    data = reader(interview, "export_json").json()

    assert data["candidate"]["name"] == "Ada Lovelace"
    assert data["interview"]["recommendation"] == "hire"
    assert data["summary"] == interview.summary
    assert data["summary"]["recommendation"] == "hire"
    assert len(data["questions"]) == interview.items.count()


def test_it_escapes_criterion_names_in_the_chart():
    rubric = [Criterion("s1", '<script>alert("x")</script> & Co', "Senior Level", 3)]
    summary = summarise([Answer("Q1", "Section 1", ("s1",), 3)], rubric, 3)

    svg = str(reports.criteria_chart(summary))

    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_it_draws_no_chart_without_evidence():
    rubric = [Criterion("s1", "System design", "Senior Level", 3)]

    chart = str(reports.criteria_chart(summarise([], rubric, 3)))

    assert "<svg" not in chart
    assert "No criterion has evidence yet." in chart


def test_it_dates_file_names_and_csv_rows_in_the_local_time_zone(
    settings, reader, make_interview, score
):
    settings.TIME_ZONE = "Europe/Berlin"
    interview = make_interview("Ada Lovelace")
    interview.scheduled_for = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)
    interview.save(update_fields=["scheduled_for"])
    score(interview)

    rows = list(csv.DictReader(io.StringIO(reader(interview, "export_csv").content.decode())))
    page = reader(interview, "report")

    assert reports.file_name(interview, "scorecard", "csv").startswith("ada-lovelace_2025-03-05_")
    assert {row["interview_date"] for row in rows} == {"2025-03-05"}
    assert "5 March 2025" in page.text


def test_it_draws_the_chart_on_the_1_to_4_scale_grouped_by_level():
    rubric = [
        Criterion("j1", "Core concepts", "Junior Level", 1),
        Criterion("s1", "System design at scale across many regions and teams", "Senior Level", 3),
        Criterion("s2", "Production", "Senior Level", 3),
    ]
    answers = [Answer("Q1", "S1", ("j1",), 4), Answer("Q2", "S2", ("s1", "s2"), 1)]

    svg = str(reports.criteria_chart(summarise(answers, rubric, 3)))

    ticks = re.findall(r'text-anchor="middle">(\d)</text>', svg)
    assert ticks == ["1", "2", "3", "4"]
    assert svg.index("Junior Level") < svg.index("Core concepts") < svg.index("Senior Level")
    assert svg.count("<tspan") == 4  # the long name wraps onto two lines; the others take one
    # A mean of 1 draws a bar of no length and a dot at the axis' start.
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert 'width="0.0"' in svg
    assert width > 300
