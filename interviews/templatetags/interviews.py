import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from questionbank import titles
from questionbank.levels import Level
from questionbank.rendering import typed_html

register = template.Library()


@register.filter
def level_label(value) -> str:
    return Level.label_of(value, "—")


@register.filter
def question_label(snapshot: dict) -> str:
    """ "S4 · Q18" for a pinned question: numbers repeat across sections."""
    section = titles.section_number_of(snapshot.get("section", ""))
    return titles.question_label(section, snapshot.get("number", ""))


@register.filter
def question_title(snapshot: dict) -> str:
    """The short title pinned with the question, or one made from its prompt (older plans)."""
    return snapshot.get("title") or titles.short_title(strip_tags(snapshot.get("prompt_html", "")))


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss), how the live view's timers read."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


# On paper (PDFs) typed text is bounded: WeasyPrint's cost grows with lines and pages, so a 20,000
# character note of one character per line would cost seconds and 200 pages. The HTML report keeps
# every character; the PDF says where it shortened.
PRINT_CHARS, PRINT_LINES = 1_000, 25
# A web address up to 200 characters stays whole (and linked); any other run of 60 characters
# without a space gets a zero-width space after it.
_PRINT_RUN = re.compile(r"https?://\S{1,200}(?!\S)|\S{60}")


def for_print(text: str) -> str:
    """`text` bounded for a PDF, with a break opportunity in every long unbroken run.

    Without the zero-width spaces WeasyPrint searches for a break in one long word in more than
    linear time (20,000 '[' took 3.5 s; with them, 0.26 s).
    """
    lines = text.split("\n")
    short = "\n".join(lines[:PRINT_LINES])[:PRINT_CHARS]
    if len(short) < len(text.rstrip()):
        short += f"\n[… shortened for print: all {len(text):,} characters are in the HTML report]"
    return _PRINT_RUN.sub(
        lambda m: m.group(0) if m.group(0).startswith("http") else m.group(0) + "\u200b", short
    )


@register.filter
def typed(text: str, for_pdf=False) -> str:
    """What a person typed, shown as typed: escaped, line breaks kept, web addresses linked.

    Not Markdown: interviewers type code and maths, and `O(layers*seq*d)` must not lose its stars.
    `{{ notes|typed:for_pdf }}` bounds it on paper (see `for_print`).
    """
    text = text or ""
    if for_pdf:
        text = for_print(text)
    # typed_html escapes everything it does not build itself (only <a href="http(s)://...">).
    return format_html('<span class="typed">{}</span>', mark_safe(typed_html(text)))  # noqa: S308
