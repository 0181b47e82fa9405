"""Text to safe HTML: bank Markdown with a linear-time parser, and what people type as plain text.

Bank text (prompts, expected answers, key points) is CommonMark with tables, rendered by
markdown-it-py, whose parser runs in time linear in its input (Python-Markdown does not: 20,000
`[` took it over 30 s), sanitised with nh3 and stored at import or save.

What an interviewer types (notes, rationales, reopen reasons) is not Markdown at all: it is shown
as typed, escaped, with its line breaks and web addresses as links. People type code and maths
into notes, and Markdown turns `O(layers*seq*d)` into "O(layersseqd)".
"""

import gc
import html
import re
import threading
import time
from contextlib import contextmanager

import nh3
from markdown_it import MarkdownIt

# No <img>: an image whose address is one of our own GET URLs makes a reader's browser request it.
ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"img"}) | {
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    **{tag: attrs for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag != "img"},
    "code": {"class"},
    "th": {"align", "style"},
    "td": {"align", "style"},
}
LINK_REL = "noopener noreferrer nofollow"


class RenderBudgetExceeded(Exception):
    """Rendering went over the CPU time a request may spend on it."""


def sanitize(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        # Table cells keep their alignment and nothing else: a free style attribute lets typed
        # text cover the page (position: fixed) or fetch from anywhere (background: url()).
        filter_style_properties={"text-align"},
    )


_local = threading.local()


def _parser() -> MarkdownIt:
    if not hasattr(_local, "md"):
        md = MarkdownIt("commonmark", {"html": True}).enable("table").disable("image")
        # Every link goes to nh3, which drops unsafe schemes (and keeps the link text); markdown-it's
        # own check would leave "[x](javascript:...)" as literal text instead.
        md.validateLink = lambda url: True
        _local.md = md
    return _local.md


@contextmanager
def render_budget(seconds: float):
    """Refuse, with RenderBudgetExceeded, once bank rendering in this block spends `seconds` of CPU.

    Every input is bounded and the parser is linear, but a bank is many fields: this caps the sum.
    Only the rendering is counted, not the database work around it (in-process on SQLite), and
    the garbage collector waits while a field renders: a collection of the whole process's heap
    is not this text's cost, and counting either made the budget trip on a busy test run.
    """
    _local.left = seconds
    try:
        yield
    finally:
        del _local.left


def render_markdown(text: str) -> str:
    """Render bank Markdown to sanitised HTML. Raw HTML in the source is sanitised, never trusted."""
    left = getattr(_local, "left", None)
    if left is None:
        return _render(text)
    collecting = gc.isenabled()
    gc.disable()
    started = time.thread_time()
    try:
        markup = _render(text)
    finally:
        _local.left = left - (time.thread_time() - started)
        if collecting:
            gc.enable()
    if _local.left < 0:
        raise RenderBudgetExceeded
    return markup


def _render(text: str) -> str:
    return sanitize(_parser().render(text.replace("\x00", "\ufffd"))).strip()


def render_inline(text: str) -> str:
    """Render one line of Markdown (a key point) without the wrapping paragraph."""
    markup = render_markdown(text)
    if markup.startswith("<p>") and markup.endswith("</p>") and markup.count("<p>") == 1:
        markup = markup[3:-4]
    return markup.strip()


def render_key_point(text: str, detail: str = "") -> str:
    """A key point as HTML: its line inline, its detail (nested items, paragraphs, code) below."""
    markup = render_inline(text)
    detail_html = render_markdown(detail).strip() if detail.strip() else ""
    if detail_html:
        markup += f'<div class="point-detail">{detail_html}</div>'
    return markup


def html_to_text(markup: str) -> str:
    """The text of sanitised HTML, for places that show it as plain text (escaped once, later)."""
    return html.unescape(nh3.clean(markup, tags=set())).strip()


# Linear: one character class, no nested quantifiers, matches never overlap.
_WEB_ADDRESS = re.compile("https?://[^\\s<>\"'`\u200b]+")
_TRAILING = ".,;:!?*_"
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F], "\ufffd")


def _link(address: str) -> str:
    """Drop punctuation that ends a sentence from an address; keep a closing bracket it opened."""
    end = len(address)
    # Counted once, then kept up to date: counting again at each step would be quadratic.
    opened, closed = address.count("("), address.count(")")
    while end > 0:
        char = address[end - 1]
        if char in _TRAILING or (char == ")" and opened < closed):
            end -= 1
            closed -= char == ")"
        else:
            break
    return address[:end]


def typed_html(text: str) -> str:
    """What a person typed, as HTML that shows exactly that: escaped, web addresses linked.

    Line breaks and spaces are kept as characters; the page shows them with `white-space:
    pre-wrap` (class "typed"). Control characters become U+FFFD. Time and output are linear in
    the input.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).strip("\n")
    out, start = [], 0
    for match in _WEB_ADDRESS.finditer(text):
        address = _link(match.group())
        out.append(html.escape(text[start : match.start()], quote=False))
        if "://" in address[8:] or len(address) <= len("https://"):
            out.append(html.escape(address, quote=False))
        else:
            escaped = html.escape(address)
            out.append(f'<a href="{escaped}" rel="{LINK_REL}">{escaped}</a>')
        start = match.start() + len(address)
    out.append(html.escape(text[start:], quote=False))
    return "".join(out)
