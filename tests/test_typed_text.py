"""What people type (notes, rationales, reopen reasons) is shown exactly as typed, in linear time."""

import html
import re
import time

import pytest

from questionbank.rendering import typed_html
from tests.pathological import CORPUS, benign

A_TAG = re.compile(r"<a [^>]*>|</a>")


def shown(rendered: str) -> str:
    """The text a reader sees: tags of links removed, entities decoded."""
    return html.unescape(A_TAG.sub("", rendered))


def test_it_shows_code_and_maths_as_typed():
    text = "O(layers*seq*d) and `kv_cache` with _under_ **bold** # not a heading\n- not a list"

    rendered = typed_html(text)

    assert "O(layers*seq*d)" in rendered
    assert shown(rendered) == text
    assert "<em>" not in rendered and "<strong>" not in rendered and "<li>" not in rendered


def test_it_keeps_line_breaks_and_indentation():
    rendered = typed_html("def f():\n    return 1\n\nnext")

    assert rendered == "def f():\n    return 1\n\nnext"


def test_it_escapes_html_once():
    rendered = typed_html("Q&A <script>alert(1)</script> <img src=x onerror=alert(1)>")

    assert rendered == (
        "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"
    )


def test_it_links_web_addresses_with_a_safe_rel():
    rendered = typed_html("See https://example.com/a?b=1&c=2. Or (http://x.org/wiki/A_(b)).")

    assert rendered == (
        'See <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">'
        "https://example.com/a?b=1&amp;c=2</a>. Or "
        '(<a href="http://x.org/wiki/A_(b)" rel="noopener noreferrer nofollow">'
        "http://x.org/wiki/A_(b)</a>)."
    )


@pytest.mark.parametrize(
    "text",
    [
        "![](/candidates/1/export.json)",
        "javascript:alert(1)",
        '<a href="https://evil.example">x</a>',
        "[x](javascript:alert(1))",
        "ftp://example.com/file",
    ],
)
def test_it_makes_no_tag_but_web_links(text):
    rendered = typed_html(text)

    assert "<img" not in rendered
    assert not re.search(r"<(?!a href=\"https?://|/a>)", rendered)
    assert shown(rendered) == text


def test_it_replaces_control_characters():
    assert typed_html("a\x00b\x07c\td") == "a\ufffdb\ufffdc\td"


def _cpu(function, text: str) -> float:
    """The least CPU time of a few runs: the least is the one the machine disturbed least."""
    best = float("inf")
    for _ in range(3):
        started = time.thread_time()
        function(text)
        best = min(best, time.thread_time() - started)
    return max(best, 1e-5)


@pytest.mark.parametrize("name", CORPUS)
def test_it_renders_pathological_input_intact(name):
    text = CORPUS[name](20_000)

    rendered = typed_html(text)

    assert shown(rendered) == text.replace("\x00", "\ufffd")


@pytest.mark.parametrize("name", CORPUS)
def test_it_renders_pathological_input_in_linear_time(name):
    small, large = CORPUS[name](4_000), CORPUS[name](16_000)

    ratio = _cpu(typed_html, large) / _cpu(typed_html, small)
    against_benign = _cpu(typed_html, large) / _cpu(typed_html, benign(len(large)))

    # Four times the input: about four times the time if linear, sixteen if quadratic. Against
    # benign text of the same length a quadratic renderer is thousands of times slower at 16,000;
    # the slowest linear entry (an address closing 16,000 brackets, one long link) is about 36x on
    # a quiet machine and was seen at 52x on a busy one, so 200 leaves room and still catches it.
    assert ratio < 8, f"{name}: 4x the input took {ratio:.1f}x the time"
    assert against_benign < 200, f"{name}: {against_benign:.1f}x the time of benign text"


def test_it_bounds_typed_text_on_paper_and_says_so():
    from interviews.templatetags.interviews import PRINT_CHARS, PRINT_LINES, for_print

    long_lines = "a line\n" * 1_000
    shortened = for_print(long_lines)
    assert shortened.count("\n") <= PRINT_LINES + 1
    assert "all 7,000 characters are in the HTML report" in shortened
    assert len(for_print("x " * 20_000)) < PRINT_CHARS + 100
    assert for_print("short note\nkept whole") == "short note\nkept whole"


def test_it_gives_long_runs_a_break_on_paper_but_keeps_addresses_whole():
    from interviews.templatetags.interviews import for_print, typed

    assert "\u200b" in for_print("[" * 200)
    address = "https://example.com/" + "a" * 100
    assert for_print(f"see {address} there") == f"see {address} there"
    assert f'href="{address}"' in typed(f"see {address} there", True)


@pytest.mark.parametrize("name", CORPUS)
def test_it_prints_pathological_notes_in_bounded_time(name):
    """The PDF path: a 20,000-character note costs about what 3,000 benign characters cost."""
    from interviews.templatetags.interviews import for_print

    printed = for_print(CORPUS[name](20_000))

    assert len(printed) < 3_300
    assert max((len(run) for run in re.split(r"[\s\u200b]", printed)), default=0) <= 207
