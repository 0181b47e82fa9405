"""Every URL pattern, requested as each of seven roles, answers what url_matrix.TABLE says."""

import secrets
import uuid
from collections import Counter

import pytest
from django.urls import Resolver404, resolve
from django.urls.converters import IntConverter, StringConverter, UUIDConverter

from api.models import ApiKey

from .helpers import ROLES
from .url_matrix import KEY_COLUMNS, KEY_TABLE, TABLE, expected_row
from .walk import client_for, fetch, routes, walk_as

LOGIN_PAGES = ("/accounts/login/?next=", "/admin/login/?next=")
# Redirects that go somewhere other than a login page, for anonymous users too.
NOT_TO_LOGIN = {"admin:view_on_site", "favicon"}


def test_it_has_an_entry_in_the_table_for_every_url_pattern():
    missing = [
        f"  {route.key}   ({route.route})"
        for route in routes()
        if expected_row(route.key, route.route) is None
    ]
    assert not missing, (
        "These URL patterns have no entry in tests/security/url_matrix.py TABLE; add one saying "
        "what each role gets:\n" + "\n".join(missing)
    )


def test_it_has_a_url_pattern_for_every_entry_in_the_table():
    keys = {route.key for route in routes()}
    assert not sorted(set(TABLE) - keys), "TABLE entries that name no URL pattern"


def test_it_gives_no_two_patterns_the_same_name():
    counts = Counter(route.key for route in routes())
    assert not [key for key, n in counts.items() if n > 1], "duplicate (shadowed) patterns"


def test_it_takes_only_uuids_or_tokens_as_public_identifiers():
    """Outside the admin (staff only), no URL takes a sequential integer id."""
    checked = 0
    for route in routes():
        if route.namespace == "admin":
            continue
        checked += bool(route.converters)
        for name, converter in route.converters.items():
            assert not isinstance(converter, IntConverter), f"{route.key} takes <int:{name}>"
            assert isinstance(converter, UUIDConverter) or (
                isinstance(converter, StringConverter) and name == "token"
            ), f"{route.key} takes {name!r}: public identifiers are UUIDs or tokens"
    assert checked >= 20, "too few URLs with identifiers: is routes() reading the URLconf?"


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_as_the_table_says(role, make_world):
    world = make_world(panel_submitted=role == "panel_after")
    column = ROLES.index(role)
    wrong = []
    for route, path, response in walk_as(role, world):
        row = expected_row(route.key, route.route)
        expected, got = row.statuses[column], response.status_code
        if got != expected:
            wrong.append(f"  {route.key:42} {row.method:4} {path}: expected {expected}, got {got}")
        elif role == "anonymous" and got == 302 and route.key not in NOT_TO_LOGIN:
            location = response["Location"]
            if not location.startswith(LOGIN_PAGES):
                wrong.append(f"  {route.key:42} {path}: redirected to {location}, not to log in")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)


def test_it_has_a_row_for_each_kind_of_key_for_every_api_pattern():
    api_keys = {r.key for r in routes() if r.namespace == "api" or r.key == "api_unknown"}
    assert api_keys == set(KEY_TABLE), "KEY_TABLE must list exactly the API's patterns"


@pytest.mark.parametrize("column", KEY_COLUMNS)
def test_it_answers_each_kind_of_api_key_as_the_table_says(column, world):
    manager = world.users["manager"]
    revoked, revoked_token = ApiKey.issue(user=manager, name="old", scope="write")
    revoked.revoke()
    tokens = {
        "no_key": None,
        "unknown_key": "idk_0000000000000000_" + secrets.token_urlsafe(32),
        "revoked_key": revoked_token,
        "read_key": ApiKey.issue(user=manager, name="read", scope="read")[1],
        "write_key": ApiKey.issue(user=manager, name="write", scope="write")[1],
    }
    headers = {"Authorization": f"Bearer {tokens[column]}"} if tokens[column] else {}
    client = client_for(None)
    wrong = []
    for route in routes():
        if route.key not in KEY_TABLE:
            continue
        path, response = fetch(client, route, world, headers=headers)
        expected = KEY_TABLE[route.key][KEY_COLUMNS.index(column)]
        if response.status_code != expected:
            wrong.append(
                f"  {route.key:32} {path}: expected {expected}, got {response.status_code}"
            )
    assert not wrong, f"With {column}:\n" + "\n".join(wrong)


def _interview_routes():
    return [r for r in routes() if r.namespace == "interviews" and r.converters]


def test_it_answers_404_to_unknown_codes_even_for_a_hiring_manager(world):
    client = client_for(world.users["manager"])
    unknown = {
        "code": str(uuid.uuid4()),
        "item_code": str(uuid.uuid4()),
        "candidate_code": str(uuid.uuid4()),
        "token": secrets.token_urlsafe(32),
    }
    interview_routes = _interview_routes()
    assert len(interview_routes) >= 20
    for route in interview_routes:
        path, response = fetch(client, route, world, **unknown)
        # A polling candidate screen learns that its link is gone: 410, so it stops asking.
        expected = 410 if route.key == "interviews:screen_current" else 404
        assert response.status_code == expected, f"{route.key} {path}"


def test_it_answers_404_to_the_owner_for_an_item_of_another_interview(world):
    client = client_for(world.users["owner"])
    other_item = world.panel_interview.items.first()
    item_routes = [r for r in _interview_routes() if "item_code" in r.converters]
    assert len(item_routes) >= 9
    for route in item_routes:
        path, response = fetch(client, route, world, item_code=str(other_item.code))
        assert response.status_code == 404, f"{route.key} {path}"


def test_it_answers_healthz_before_login_without_a_url_pattern(client, db):
    """/healthz is answered by middleware (config/health.py), for probes that never log in."""
    with pytest.raises(Resolver404):
        resolve("/healthz")
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
