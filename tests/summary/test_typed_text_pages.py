"""What people type shows as typed on every page and report, escaped once, in linear time.

Notes (saved by autosave), the decision rationale and the reopen reason, through the real views.
"""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from interviews.models import PlannedQuestion
from questionbank.rendering import render_markdown
from tests.pathological import CORPUS, benign

NOTE = "Cost is O(layers*seq*d), `kv_cache` grows; see https://example.com/kv?a=1&b=2."
LINK = (
    '<a href="https://example.com/kv?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
    "https://example.com/kv?a=1&amp;b=2</a>"
)
SHOWN = f"Cost is O(layers*seq*d), `kv_cache` grows; see {LINK}."


@pytest.fixture
def submitted(make_interview, score, submit):
    interview = make_interview("Ada Lovelace")
    score(
        interview,
        [3, 2] + [3] * 8,
        notes={0: NOTE, 1: "Q&A <script>alert(1)</script>"},
        shared={0, 1},
    )
    return submit(interview, "hire", "Strong:\nO(layers*seq*d) <b>x</b>")


def get(client, name, interview, **params):
    response = client.get(reverse(f"interviews:{name}", args=[interview.code]), params)
    assert response.status_code == 200, response.content[:300]
    return response


def pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_it_shows_notes_and_rationale_as_typed_on_the_summary_and_reports(
    client, interviewer, submitted
):
    client.force_login(interviewer)

    for name, params in (("summary", {}), ("report", {}), ("report", {"profile": "candidate"})):
        page = get(client, name, submitted, **params).content.decode()
        assert SHOWN in page, (name, params)
        assert "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&amp;amp;" not in page and "&amp;lt;" not in page
        assert "<script>alert(1)" not in page
    internal = get(client, "report", submitted).content.decode()
    assert "Strong:\nO(layers*seq*d) &lt;b&gt;x&lt;/b&gt;" in internal


def test_it_shows_notes_as_typed_in_the_pdf(client, interviewer, submitted):
    client.force_login(interviewer)

    text = pdf_text(get(client, "report_pdf", submitted))

    assert "O(layers*seq*d)" in text
    assert "https://example.com/kv?a=1&b=2" in text
    assert "Q&A <script>alert(1)</script>" in text


def test_it_shows_bank_text_entities_once_in_the_candidate_report(client, interviewer, submitted):
    item = submitted.items.order_by("position").first()
    item.snapshot["prompt_html"] = render_markdown("Design a Q&A bot that quotes `<script>` tags.")
    item.save(update_fields=["snapshot"])
    client.force_login(interviewer)

    page = get(client, "report", submitted, profile="candidate").content.decode()
    text = pdf_text(get(client, "report_pdf", submitted, profile="candidate"))

    assert "Design a Q&amp;A bot that quotes &lt;script&gt; tags." in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page
    assert "Design a Q&A bot that quotes <script> tags." in text


def test_it_shows_the_reopen_reason_as_typed(client, interviewer, submitted):
    client.force_login(interviewer)
    reason = "Typo in Q2: O(n*m) not O(nm)\nhttps://example.com/t"
    url = reverse("interviews:reopen", args=[submitted.code])

    assert client.post(url, {"reason": reason}).status_code == 302

    page = get(client, "summary", submitted).content.decode()
    assert 'Typo in Q2: O(n*m) not O(nm)\n<a href="https://example.com/t"' in page


def _cpu_of_pages(client, interview) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.thread_time()
        get(client, "summary", interview)
        get(client, "report", interview)
        best = min(best, time.thread_time() - started)
    return best


@pytest.mark.parametrize("name", ["unclosed brackets", "bracket words", "emphasis runs"])
def test_it_renders_a_pathological_note_as_fast_as_a_benign_one(
    client, interviewer, make_interview, name
):
    """20,000 '[' in a note took Python-Markdown over 30 s on the summary and the report."""
    interview = make_interview("Ada Lovelace")
    item = interview.items.order_by("position").first()
    PlannedQuestion.objects.filter(pk=item.pk).update(score=3)
    client.force_login(interviewer)
    url = reverse("interviews:item_notes", args=[interview.code, item.code])
    text = CORPUS[name](20_000)

    PlannedQuestion.objects.filter(pk=item.pk).update(notes=benign(len(text)))
    benign_cpu = _cpu_of_pages(client, interview)
    PlannedQuestion.objects.filter(pk=item.pk).update(notes="", notes_version=0)
    assert client.post(url, {"notes": text, "version": "0"}).status_code == 302
    hostile_cpu = _cpu_of_pages(client, interview)

    assert text in get(client, "summary", interview).content.decode()
    assert hostile_cpu < 3 * benign_cpu + 0.05, (hostile_cpu, benign_cpu)


def test_it_renders_a_long_note_into_the_pdf_without_a_layout_cliff(
    client, interviewer, make_interview
):
    """overflow-wrap: anywhere made WeasyPrint take 10 s for a 2,000-character note in a cell."""
    interview = make_interview("Ada Lovelace")
    item = interview.items.order_by("position").first()
    client.force_login(interviewer)

    def pdf_cpu(note: str) -> float:
        PlannedQuestion.objects.filter(pk=item.pk).update(score=3, notes=note)
        started = time.thread_time()
        get(client, "report_pdf", interview)
        return time.thread_time() - started

    short = pdf_cpu("Fine.")
    long = pdf_cpu(benign(4_000))

    # A page more of text costs a little; the cliff cost tens of seconds.
    assert long < 4 * short + 0.5, (long, short)
