"""Bank Markdown is rendered once, at import, and sanitised: nothing in a bank can run script.

It is rendered with markdown-it-py, in time linear in the input, within bounded sizes.
"""

import json
import re
import time
from pathlib import Path

import pytest

from questionbank.models import Question
from questionbank.parser import MAX_ANSWER_CHARS, MAX_BANK_CHARS, BankFormatError, parse_bank
from questionbank.rendering import html_to_text, render_inline, render_markdown
from questionbank.services import import_bank
from tests.pathological import CORPUS

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "banks" / "day6-transformers-llms.md"
# The seed bank as Python-Markdown rendered it (with tables, fenced_code, sane_lists, tab_length 2
# and the blank line it needed before lists), captured before the switch to markdown-it-py.
PYTHON_MARKDOWN = Path(__file__).resolve().parent / "data" / "seed_bank_html_python_markdown.json"

PAYLOADS = {
    "script": ("<script>alert('x')</script>\n\nfine", "<script", "alert("),
    "onerror": ("<img src=x onerror=alert(1)>", "onerror", "alert("),
    "onclick": ('<a href="https://example.com" onclick="steal()">x</a>', "onclick", "steal("),
    "javascript link": ("[click](javascript:alert(1))", "javascript:", "alert("),
    "svg onload": ("<svg onload=alert(1)>", "onload", "<svg"),
    "iframe": ('<iframe src="https://evil.example"></iframe>', "<iframe", "evil.example"),
    "style": ("<style>body { display: none }</style>x", "<style", "display"),
}


@pytest.mark.parametrize(("markdown", "tag", "payload"), PAYLOADS.values(), ids=PAYLOADS.keys())
def test_it_removes_script_from_rendered_markdown(markdown, tag, payload):
    html = render_markdown(markdown)

    assert tag not in html
    assert payload not in html


def test_it_keeps_code_as_text():
    html = render_markdown("```html\n<script>alert(1)</script>\n```")

    assert html == (
        '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>'
    )


def test_it_keeps_safe_links_with_a_safe_rel():
    assert render_markdown("[docs](https://example.com/a)") == (
        '<p><a href="https://example.com/a" rel="noopener noreferrer nofollow">docs</a></p>'
    )


def test_it_starts_a_list_straight_after_a_bold_line():
    assert render_markdown("**Benefits:**\n- fast\n- cheap") == (
        "<p><strong>Benefits:</strong></p>\n<ul>\n<li>fast</li>\n<li>cheap</li>\n</ul>"
    )


def test_it_renders_a_key_point_without_a_paragraph():
    assert render_inline("**Top:** level") == "<strong>Top:</strong> level"
    assert render_inline("<img src=x onerror=alert(1)>") == ""


@pytest.mark.django_db
def test_it_stores_only_sanitised_html_for_an_imported_bank():
    text = (
        "# T\n\n## Section 1: A\n\n"
        "**Q1: Why <script>alert('prompt')</script>?**\n\n"
        "**Expected Answer:**\n"
        "- <img src=x onerror=alert(1)> point\n"
        "- [x](javascript:alert(2))\n\n"
        "<script>alert(3)</script>\n"
    )

    import_bank(parse_bank(text), slug="hostile")

    question = Question.objects.get()
    stored = "".join([question.prompt_html, question.answer_html, *question.key_points])
    for forbidden in ("<script", "onerror", "javascript:", "alert("):
        assert forbidden not in stored
    assert question.key_points == ["point", '<a rel="noopener noreferrer nofollow">x</a>']


@pytest.mark.parametrize(
    "markdown",
    [
        "![](/candidates/00000000-0000-0000-0000-000000000000/export.json)",
        '<img src="/interviews/x/report.pdf">',
        "![x](https://example.com/a.png)",
        '<picture><source srcset="/x"><img src="/y"></picture>',
    ],
)
def test_it_renders_no_images(markdown):
    assert "<img" not in render_markdown(markdown)
    assert "src" not in render_markdown(markdown)


def test_it_renders_the_seed_bank_as_python_markdown_did():
    """Same elements, same text: only whitespace before block tags differs (a newline before a
    nested list), which HTML does not show."""
    before = json.loads(PYTHON_MARKDOWN.read_text())
    bank = parse_bank(SEED.read_text())

    def squeeze(markup: str) -> str:
        return re.sub(r"\s+(?=</?(ul|ol|li|p|pre|table|tr|td|th|blockquote)\b)", "", markup)

    assert len(bank.questions) == len(before) == 45
    for question in bank.questions:
        old = before[question.key]
        assert squeeze(render_markdown(question.prompt)) == squeeze(old["prompt"]), question.key
        assert squeeze(render_markdown(question.answer)) == squeeze(old["answer"]), question.key
        # Key points now carry their nested detail (issue 12); their own line renders as before.
        assert [render_inline(p.text) for p in key_points_of(question)] == old["points"], (
            question.key
        )


def key_points_of(question):
    from questionbank.parser import key_points

    return key_points(question.answer)


def _cpu(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.thread_time()
        function(text)
        best = min(best, time.thread_time() - started)
    return max(best, 1e-5)


# Inputs whose Markdown is literal text: the rendered text must be the input, character for character.
LITERAL = {"unclosed brackets", "bracket words", "image brackets", "open links", "huge line"}


@pytest.mark.parametrize("name", CORPUS)
def test_it_renders_pathological_bank_text_safely(name):
    text = CORPUS[name](MAX_ANSWER_CHARS)

    markup = render_markdown(text)

    assert not re.search(r"<(?!/?(p|em|strong|code|a|ul|li|blockquote|br)\b)", markup), markup[:200]
    if name in LITERAL:
        assert html_to_text(markup) == text


@pytest.mark.parametrize("name", CORPUS)
def test_it_renders_pathological_bank_text_in_linear_time(name):
    small, large = CORPUS[name](2_500), CORPUS[name](10_000)

    ratio = _cpu(render_markdown, large) / _cpu(render_markdown, small)

    # Four times the input: about four times the time if linear, sixteen if quadratic. (Benign
    # prose is one text run to the parser, so it is no yardstick for markup-dense input.)
    assert ratio < 8, f"{name}: 4x the input took {ratio:.1f}x the time"


def _bank(answer: str, prompt: str = "What is attention?") -> str:
    return (
        "# T\n\n## Section 1: A\n\n"
        f"**Q1: {prompt}**\n\n**Expected Answer:**\n- {answer}\n\n"
        "## Evaluation Rubric\n\n### Junior Level (1-3 years)\n- **Core Concepts:** Attention.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", CORPUS)
def test_it_imports_pathological_bank_text_intact(name):
    text = CORPUS[name](5_000).replace("\n", " ")
    if "\x00" in text:
        # A NUL is refused by the parser, naming its line (tests/test_bad_input.py).
        with pytest.raises(BankFormatError, match="NUL"):
            parse_bank(_bank(text))
        return

    import_bank(parse_bank(_bank(text)), slug="hostile")

    question = Question.objects.get()
    assert "<img" not in question.answer_html
    if name in LITERAL:
        assert html_to_text(question.key_points[0]) == text


def test_it_refuses_a_bank_over_the_size_limit():
    text = _bank("a") + ">" * MAX_BANK_CHARS

    with pytest.raises(BankFormatError, match="the limit is 300,000"):
        parse_bank(text)


def test_it_refuses_an_answer_over_the_size_limit_naming_its_line():
    with pytest.raises(BankFormatError, match=r"line 5: Q1's expected answer has 20,00\d .*20,000"):
        parse_bank(_bank("[" * MAX_ANSWER_CHARS))


@pytest.mark.django_db
def test_it_refuses_a_bank_that_takes_too_long_to_render(monkeypatch):
    monkeypatch.setattr("questionbank.services.IMPORT_RENDER_SECONDS", 0.0)

    with pytest.raises(BankFormatError, match=r"took over 0\.0 s of CPU"):
        import_bank(parse_bank(_bank("[" * 10_000)), slug="slow")

    assert not Question.objects.exists()
