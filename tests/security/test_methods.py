"""No URL pattern answers 200 to PUT, DELETE or TRACE: the app speaks GET and POST only."""

import pytest
from django.db import transaction

from .walk import build_path, client_for, expected_row, routes

METHODS = ("PUT", "DELETE", "TRACE", "PATCH")


@pytest.mark.parametrize("role", ["owner", "manager", "editor"])
def test_it_never_answers_200_to_other_methods(role, world):
    client = client_for(world.users[role])
    wrong = []
    for route in routes():
        if expected_row(route.key, route.route) is None:
            continue
        path = build_path(route, world)
        for method in METHODS:
            with transaction.atomic():
                response = client.generic(method, path)
                transaction.set_rollback(True)
            if response.status_code < 300:
                wrong.append(f"  {method} {route.key} {path}: {response.status_code}")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)


def test_it_refuses_other_methods_in_the_two_form_views_themselves(world, rf):
    """Each of our views declares its methods, whatever the middleware does."""
    from interviews.views import candidates, dashboard

    for view, user, kwargs in (
        (dashboard.interview_new, world.users["owner"], {}),
        (
            candidates.candidate_erase,
            world.users["manager"],
            {"candidate_code": world.candidate.code},
        ),
    ):
        for method in METHODS:
            request = rf.generic(method, "/")
            request.user = user
            assert view(request, **kwargs).status_code == 405, (view.__name__, method)
