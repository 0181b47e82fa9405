from django import template
from django.utils.safestring import mark_safe

from questionbank.models import Level
from questionbank.rendering import render_markdown

register = template.Library()


@register.filter
def level_label(value) -> str:
    try:
        return Level(int(value)).label
    except (TypeError, ValueError):
        return "—"


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss), how the live view's timers read."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@register.filter
def markdown(text: str) -> str:
    """Render what a person typed: Markdown, sanitised with nh3 before it is marked safe."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308
