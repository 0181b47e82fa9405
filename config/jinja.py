"""The Jinja2 environment for the pages rendered with Jinja2 (templates/jinja2/): the live view.

Django's template engine renders every other page. The live view is the page interviewers reload
on every question, and there Django's engine cost most of the request's CPU (bench/live.py,
README "Performance"); Jinja2 compiles a template to Python and renders the same markup several
times faster. The globals and filters below are the few the live view uses, named as in Django's
templates.
"""

from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment

from interviews.templatetags.interviews import clock, level_label, question_label, question_title


def url(name: str, *args) -> str:
    """{% url name arg ... %}"""
    return reverse(name, args=args)


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
    env.globals.update(url=url, local_time=local_time)
    env.filters.update(
        iso=iso,
        clock=clock,
        level_label=level_label,
        question_label=question_label,
        question_title=question_title,
    )
    return env
