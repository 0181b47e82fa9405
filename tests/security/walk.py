"""Walk every URL pattern in the URLconf, fill it from the test world, and request it as a role.

Shared by the matrix (status per role) and the header checks (headers on every response).
"""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from .helpers import World
from .url_matrix import Row, expected_row

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_ADMIN_OBJECT = re.compile(r"^admin/(?P<model>\w+/\w+|r)/")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its table key, its full route (prefixes included), the pattern, and the
    converters of its whole route (an `include()` prefix such as `<uuid:code>/` included)."""

    key: str
    route: str
    namespace: str
    pattern: URLPattern
    converters: dict = field(hash=False, compare=False)


def routes() -> list[Route]:
    """Every URL pattern, depth first, in URLconf order.

    A named pattern's key is its reversible name ("interviews:live"); an unnamed one (the admin's
    redirect from <object_id>/ to <object_id>/change/, its catch-all) is keyed by its full route.
    """
    found: list[Route] = []

    def walk(
        resolver: URLResolver, prefix: str, namespaces: tuple[str, ...], converters: dict
    ) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            route_converters = converters | getattr(entry.pattern, "converters", {})
            if isinstance(entry, URLResolver):
                inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
                walk(entry, route, inner, route_converters)
            else:
                key = ":".join((*namespaces, entry.name)) if entry.name else route
                found.append(Route(key, route, ":".join(namespaces), entry, route_converters))

    walk(get_resolver(), "", (), {})
    return found


def build_path(route: Route, world: World, **overrides: str) -> str:
    """A concrete path for the route, with every parameter filled from the world."""
    params = world.params | overrides
    admin_object = _ADMIN_OBJECT.match(route.route)
    if admin_object and admin_object["model"] in world.admin_objects:
        params["object_id"] = str(world.admin_objects[admin_object["model"]])

    def value(match: re.Match) -> str:
        name = match["name"]
        if name not in params:
            raise KeyError(f"{route.key}: the world has no value for the URL parameter {name!r}")
        return params[name]

    path = _REGEX_GROUP.sub(value, route.route)
    path = _ROUTE_PARAM.sub(value, path)
    return "/" + path.replace("^", "").replace("$", "")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fetch(
    client: Client, route: Route, world: World, headers: dict | None = None, **overrides: str
) -> tuple[str, HttpResponse]:
    """Request the route as the table says, and undo whatever the request changed.

    `overrides` replace URL parameters of the world (an unknown code, someone else's item);
    `headers` are sent as they are (an API key).
    """
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
    row: Row = expected_row(route.key, route.route)
    path = build_path(route, world, **overrides)
    match = resolve(path)
    assert match.func is route.pattern.callback, (
        f"{path} does not reach {route.key} ({route.route}) but {match.route}: "
        "a pattern shadowed by an earlier one is dead code"
    )
    data = {name: _fill(value, world.params) for name, value in row.data.items()}
    # The session cookie is put back after every request: a logout must not log out the next one.
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        if row.json:  # the API's bodies
            response = client.generic(
                row.method, path, json.dumps(data), content_type="application/json", **headers
            )
        else:
            response = (client.post if row.method == "POST" else client.get)(path, data, **headers)
        transaction.set_rollback(True)
    if cookie is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    return path, response


def _fill(value, params: dict):
    """Fill "{name}" placeholders in a row's data, inside lists too (API bodies)."""
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    if isinstance(value, str):
        return value.format(**params)
    return value


def walk_as(role: str, world: World) -> list[tuple[Route, str, HttpResponse]]:
    """Every pattern that has a row in the table, requested as `role`: (route, path, response)."""
    client = client_for(world.users[role])
    return [
        (route, *fetch(client, route, world))
        for route in routes()
        if expected_row(route.key, route.route) is not None
    ]
