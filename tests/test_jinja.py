"""The Jinja2 environment's url(): what Django's reverse() gives, however it gets there."""

import uuid

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.urls.converters import UUIDConverter

from config.jinja import url

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
