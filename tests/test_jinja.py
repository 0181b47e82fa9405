"""The Jinja2 environment: url() gives what Django's reverse() gives, however it gets there, and
the Jinja2 site layout prints what base.html prints."""

import re
import uuid

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.urls.converters import UUIDConverter
from django.utils.safestring import mark_safe

from accounts import roles
from config.jinja import url
from interviews.fragments import CsrfField, in_layout
from tests.conftest import make_user

CODES = [uuid.uuid4(), uuid.UUID(int=1), uuid.UUID(int=2**128 - 1)]


def names_taking_codes() -> list[tuple[str, int]]:
    """Every named URL of the interviews app whose arguments are all codes, with their count."""
    resolver = get_resolver().namespace_dict["interviews"][1]
    found = set()
    for name, entries in resolver.reverse_dict.lists():
        for *_, converters in entries:
            codes = [c for c in converters.values() if isinstance(c, UUIDConverter)]
            if isinstance(name, str) and codes and len(codes) == len(converters):
                found.add((f"interviews:{name}", len(codes)))
    return sorted(found)


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


def test_it_finds_urls_with_one_and_two_codes():
    counts = {count for _, count in names_taking_codes()}
    assert counts == {1, 2}


@pytest.mark.parametrize(("name", "count"), names_taking_codes())
def test_it_gives_what_reverse_gives_for_codes(name, count, script_prefix):
    for prefix in ("/", "/desk/"):
        script_prefix(prefix)
        for n in range(len(CODES)):
            codes = [CODES[(n + k) % len(CODES)] for k in range(count)]
            assert url(name, *codes) == reverse(name, args=codes)


def test_it_reverses_other_arguments_as_django_does():
    assert url("interviews:dashboard") == reverse("interviews:dashboard")
    code = str(CODES[0])  # a code as text takes reverse()'s own path
    assert url("interviews:live", code) == reverse("interviews:live", args=[code])
    with pytest.raises(NoReverseMatch):
        url("interviews:live", CODES[0], CODES[1])
    with pytest.raises(NoReverseMatch):
        url("interviews:no-such-page", CODES[0])


DJANGO_PAGE = """{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}
{% block content %}{{ body }}{% endblock %}"""
BODY = "<section><h1>A page</h1><p>Its body &amp; more</p></section>"


def both_layouts(request) -> tuple[str, str]:
    """The same page through base.html (Django's engine) and layout.html (Jinja2), whitespace
    between tags and the CSRF token's mask (new at each printing) set aside."""
    field = CsrfField(request)
    body = mark_safe(BODY)  # noqa: S308 (our own text, marked safe as a macro's output is)
    context = {"title": "A page · Interview Desk", "body": body}
    django = engines["django"].from_string(DJANGO_PAGE).render(context, request)
    jinja = in_layout(request, context["title"], context["body"], {}, field)

    def plain(html: str) -> str:
        html = re.sub(r'(csrfmiddlewaretoken" value=|x-csrftoken": )"\w+"', r"\1TOKEN", html)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    return plain(django), plain(jinja)


@pytest.mark.parametrize(
    "role",
    [None, roles.INTERVIEWERS, roles.HIRING_MANAGERS, roles.BANK_EDITORS, "anonymous"],
)
def test_it_prints_the_site_layout_as_base_html_does(db, role):
    request = RequestFactory().get("/")
    request.user = AnonymousUser() if role == "anonymous" else make_user("u", *[role] * bool(role))
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "Saved <your> notes.")
    messages.warning(request, "A second message")

    django, jinja = both_layouts(request)

    assert jinja == django
    assert "Saved &lt;your&gt; notes." in jinja and BODY in jinja
    assert ("Log out" in jinja) == (role != "anonymous")
