"""The Jinja2 environment for the pages rendered with Jinja2 (templates/jinja2/): the live view.

Django's template engine renders every other page. The live view is the page interviewers reload
on every question, and there Django's engine cost most of the request's CPU (bench/dashboard.py,
README "Performance"); Jinja2 compiles a template to Python and renders the same markup several
times faster. The globals and filters below are the few the live view uses, named as in Django's
templates.
"""

import functools
import uuid

from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from jinja2 import Environment

from interviews.templatetags.interviews import clock, level_label, question_label, question_title


def url(name: str, *args) -> str:
    """{% url name arg ... %}; for codes (UUIDs), at the cost of a string join.

    reverse() costs about 30 µs, and the live page asks for 17 URLs, the dashboard for 35. A URL
    whose arguments are all codes is reversed once with placeholder codes and the codes put in
    their places: a code is written as str(code), which needs no quoting, so the URL is the same.
    """
    if not args or not all(isinstance(arg, uuid.UUID) for arg in args):
        return reverse(name, args=args)
    pieces = _pieces(name, len(args), get_script_prefix())
    if pieces is None:
        return reverse(name, args=args)
    return "".join(p for pair in zip(pieces, [*map(str, args), ""], strict=True) for p in pair)


@functools.lru_cache(maxsize=256)
def _pieces(name: str, codes: int, script_prefix: str) -> list[str] | None:
    """The URL reversed with `codes` placeholder codes, split around them (None: no such URL)."""
    placeholders = [str(uuid.UUID(int=n + 1)) for n in range(codes)]
    try:
        text = reverse(name, args=placeholders)
    except NoReverseMatch:
        return None
    pieces = []
    for placeholder in placeholders:
        head, found, text = text.partition(placeholder)
        if not found:
            return None
        pieces.append(head)
    return [*pieces, text]


def local_time() -> str:
    """{% now "H:i:s" %}: the time now, in the current time zone."""
    return timezone.localtime().strftime("%H:%M:%S")


def iso(value) -> str:
    """{{ value|date:"c" }}: an aware datetime in the current time zone, ISO 8601."""
    return timezone.localtime(value).isoformat() if value else ""


def environment(**options) -> Environment:
    # Always escaped, whatever the settings say: these templates print what users typed.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(url=url, static=static, local_time=local_time)
    env.filters.update(
        iso=iso,
        clock=clock,
        level_label=level_label,
        question_label=question_label,
        question_title=question_title,
    )
    return env
