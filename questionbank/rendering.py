"""Markdown to safe HTML, for bank text and for anything an interviewer types.

Banks are written the way people write Markdown on GitHub: lists straight after a bold line, nested
with two spaces. Python-Markdown wants a blank line before a list and four-space nesting, so the
source is normalised first (outside code fences) instead of asking every bank author to change.
"""

import re
import threading

import markdown
import nh3

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")

ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"pre", "code", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "code": {"class"},
    "th": {"align", "style"},
    "td": {"align", "style"},
}


def normalise(text: str) -> str:
    """Insert the blank line Python-Markdown needs between a paragraph and a list."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _LIST_ITEM.match(line) and out:
            previous = out[-1]
            if previous.strip() and not _LIST_ITEM.match(previous) and not previous.startswith(" "):
                out.append("")
        out.append(line)
    return "\n".join(out)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener noreferrer nofollow",
        url_schemes={"http", "https", "mailto"},
        # Table cells keep their alignment and nothing else: a free style attribute lets typed
        # text cover the page (position: fixed) or fetch from anywhere (background: url()).
        filter_style_properties={"text-align"},
    )


_local = threading.local()


def _renderer() -> markdown.Markdown:
    # Building a Markdown instance costs more than rendering a short note: keep one per thread.
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists"], tab_length=2
        )
    return _local.md


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML. Raw HTML in the source is sanitised, never trusted."""
    md = _renderer()
    try:
        html = md.convert(normalise(text))
    finally:
        md.reset()
    return sanitize(html)


def render_inline(text: str) -> str:
    """Render one line of Markdown (a key point) without the wrapping paragraph."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def render_key_point(text: str, detail: str = "") -> str:
    """A key point as HTML: its line inline, its detail (nested items, paragraphs, code) below."""
    html = render_inline(text)
    detail_html = render_markdown(detail).strip() if detail.strip() else ""
    if detail_html:
        html += f'<div class="point-detail">{detail_html}</div>'
    return html
