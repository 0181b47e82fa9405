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


@register.filter
def typed(text: str) -> str:
    """What a person typed, shown as typed: escaped, line breaks kept, web addresses linked.

    Not Markdown: interviewers type code and maths, and `O(layers*seq*d)` must not lose its stars.
    """
    # typed_html escapes everything it does not build itself (only <a href="http(s)://...">).
    return format_html('<span class="typed">{}</span>', mark_safe(typed_html(text or "")))  # noqa: S308
