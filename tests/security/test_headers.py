"""Browser-side protections on every response: the pages of the URL matrix, admin and error pages
included; and `check --deploy` with production settings."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from .helpers import ROLES
from .walk import client_for, walk_as

STRICT_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}


def header_problems(response) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    directives = {}
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, *values = directive.split()
        directives[name] = values
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        problems.append(f"no script-src in the Content-Security-Policy {policy!r}")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts):
        problems.append(f"script-src allows more than our origin: {scripts}")
    styles = directives.get("style-src", directives.get("default-src", []))
    path = getattr(getattr(response, "wsgi_request", None), "path", "")
    # The Django admin sets style attributes; nothing of ours does.
    if "'unsafe-inline'" in styles and not path.startswith("/admin/"):
        problems.append(f"style-src allows inline styles outside the admin: {styles}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors is not 'none'")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {response.get('X-Frame-Options')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in STRICT_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_it_sends_the_protective_headers_on_every_page_of_the_matrix(role, make_world):
    world = make_world(panel_submitted=role == "panel_after")
    wrong = []
    statuses = set()
    for route, path, response in walk_as(role, world):
        statuses.add(response.status_code)
        wrong += [
            f"  {route.key} {path} ({response.status_code}): {p}" for p in header_problems(response)
        ]
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)
    assert statuses - {200}, "the walk should meet refusals as well as pages"


def test_it_sends_the_protective_headers_on_error_pages(world, monkeypatch):
    owner = client_for(world.users["owner"])
    code = world.params["code"]
    responses = {
        404: owner.get("/no-such-page/"),
        405: owner.get(reverse("interviews:start", args=[code])),
        400: owner.get("/", headers={"host": "evil.example"}),
    }
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(world.users["owner"])
    responses[403] = csrf.post(reverse("interviews:start", args=[code]))

    manager = Client(raise_request_exception=False)
    manager.force_login(world.users["manager"])
    export = reverse("interviews:candidate_export", args=[world.params["candidate_code"]])
    for status, error in ((500, RuntimeError("boom")), (503, OperationalError("down"))):
        with monkeypatch.context() as patch:
            patch.setattr("interviews.services.candidate_export", _raiser(error))
            responses[status] = manager.get(export)
            responses[f"{status} htmx"] = manager.get(export, headers={"HX-Request": "true"})

    for label, response in responses.items():
        assert response.status_code == int(str(label).split()[0]), label
        assert not header_problems(response), (label, header_problems(response))


def test_it_allows_inline_styles_only_in_the_admin(world):
    editor = client_for(world.users["editor"])
    admin_page = editor.get(reverse("admin:questionbank_bank_changelist"))
    app_page = editor.get(reverse("interviews:dashboard"))

    assert admin_page.status_code == app_page.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in admin_page["Content-Security-Policy"]
    assert "style-src 'self';" in app_page["Content-Security-Policy"]
    assert "unsafe-inline" not in app_page["Content-Security-Policy"]


def test_it_has_no_inline_style_in_any_template_of_ours():
    templates = settings.BASE_DIR / "templates"
    found = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.relative_to(templates).parts[0] != "admin"
        and ("style=" in path.read_text() or "<style" in path.read_text())
    ]
    assert not found


def _raiser(error):
    def raise_it(*args, **kwargs):
        raise error

    return raise_it


def test_it_passes_the_deploy_checks_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SECRET_KEY", "DEBUG"))
    } | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "interviews.example.com",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_COOKIES": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout
