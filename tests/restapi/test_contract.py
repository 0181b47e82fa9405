"""Contract: every operation in /api/openapi.json is called, and every answer (errors included)
matches the schema the document gives for its status code, checked with jsonschema."""

import re

import jsonschema
import pytest

from .conftest import ApiClient, submit


@pytest.fixture
def spec(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _validate(spec, method: str, template: str, response) -> None:
    operation = spec["paths"][template][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{method} {template} answered {response.status_code}, not documented"
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(
        response.json(),
        {**schema, "components": spec["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def _template(spec, path: str) -> str:
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not a documented path")


def test_it_answers_every_documented_operation_as_documented(
    spec, writer, reader, candidate, make_interview, other_interviewer
):
    submitted = submit(make_interview(candidate))
    open_one = make_interview(candidate, interviewers=[other_interviewer], seed=2)
    bank = submitted.bank.slug
    unknown = "00000000-0000-0000-0000-000000000000"
    calls = [
        (writer, "GET", "/api/v1/candidates", None, 200),
        (writer, "GET", "/api/v1/candidates?limit=1", None, 200),
        (writer, "GET", "/api/v1/candidates?cursor=nope", None, 400),
        (ApiClient(), "GET", "/api/v1/candidates", None, 401),
        (writer, "POST", "/api/v1/candidates", {"name": "Grace", "external_id": "G-1"}, 201),
        (writer, "POST", "/api/v1/candidates", {"name": "Dup", "external_id": "A-1"}, 409),
        (writer, "POST", "/api/v1/candidates", {"name": ""}, 400),
        (reader, "POST", "/api/v1/candidates", {"name": "No"}, 403),
        (reader, "GET", f"/api/v1/candidates/{candidate.code}", None, 200),
        (reader, "GET", f"/api/v1/candidates/{unknown}", None, 404),
        (writer, "PATCH", f"/api/v1/candidates/{candidate.code}", {"version": 1, "name": "A"}, 200),
        (writer, "PATCH", f"/api/v1/candidates/{candidate.code}", {"version": 1, "name": "B"}, 409),
        (writer, "PATCH", f"/api/v1/candidates/{candidate.code}", {"name": "C"}, 400),
        (reader, "GET", f"/api/v1/candidates/{candidate.code}/debrief", None, 200),
        (reader, "GET", f"/api/v1/candidates/{unknown}/debrief", None, 404),
        (reader, "GET", "/api/v1/interviews", None, 200),
        (reader, "GET", "/api/v1/interviews?status=submitted", None, 200),
        (reader, "GET", "/api/v1/interviews?status=lost", None, 400),
        (
            writer,
            "POST",
            "/api/v1/interviews",
            {
                "candidate": str(candidate.code),
                "position": "MLE",
                "target_level": "mid",
                "bank": bank,
                "interviewers": ["interviewer"],
            },
            201,
        ),
        (writer, "POST", "/api/v1/interviews", {"candidate": unknown}, 400),
        (reader, "GET", f"/api/v1/interviews/{submitted.code}", None, 200),
        (reader, "GET", f"/api/v1/interviews/{unknown}", None, 404),
        (reader, "GET", f"/api/v1/interviews/{submitted.code}/plan", None, 200),
        (reader, "GET", f"/api/v1/interviews/{submitted.code}/scorecard", None, 200),
        (reader, "GET", f"/api/v1/interviews/{open_one.code}/scorecard", None, 409),
    ]
    exercised = set()
    for caller, method, path, body, status in calls:
        if method == "GET":
            response = caller.get(path)
        else:
            response = getattr(caller, method.lower())(path, body)
        assert response.status_code == status, (method, path, response.content[:300])
        template = _template(spec, path.split("?")[0])
        _validate(spec, method, template, response)
        exercised.add((method.lower(), template))
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert documented == exercised, f"not exercised: {documented - exercised}"


def test_it_publishes_an_openapi_3_schema_with_the_key_scheme(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["version"] == "1"
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_it_loads_nothing_from_another_origin_on_the_docs_page(client, db):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "/static/ninja/swagger-ui-bundle.js" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
