"""Nothing the app answers is kept by a browser or a shared cache: every page, PDF, CSV, JSON and
export says `Cache-Control: private, no-store`; static files stay cacheable."""

import pytest
from django.test import Client

from .helpers import ROLES
from .walk import walk_as


def stored(response) -> list[str]:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return sorted({"private", "no-store"} - directives)


@pytest.mark.parametrize("role", ROLES)
def test_it_makes_every_response_of_the_matrix_private_and_not_stored(role, make_world):
    world = make_world(panel_submitted=role == "panel_after")
    wrong = [
        f"  {route.key} {path} ({response.status_code}): {response.get('Cache-Control')!r}"
        for route, path, response in walk_as(role, world)
        if stored(response)
    ]
    assert not wrong, f"As {role}, responses without private, no-store:\n" + "\n".join(wrong)


def test_it_keeps_static_files_cacheable(settings, db):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]
