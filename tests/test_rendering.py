"""Bank Markdown is rendered once, at import, and sanitised: nothing in a bank can run script."""

import pytest

from questionbank.models import Question
from questionbank.parser import parse_bank
from questionbank.rendering import render_inline, render_markdown
from questionbank.services import import_bank

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
    assert render_inline("<img src=x onerror=alert(1)>") == '<img src="x">'


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
    assert question.key_points == [
        '<img src="x"> point',
        '<a rel="noopener noreferrer nofollow">x</a>',
    ]
