"""GETs with a side effect (an audit row, a PDF, an export) answer top-level navigations only.

An <img src> or a fetch from another page carries Sec-Fetch-Dest: image / Sec-Fetch-Mode: no-cors;
those get a 403 and write nothing, so a note or a page elsewhere cannot make a reader's browser
export personal data. Requests without these headers (curl, old browsers) pass.
"""

import pytest
from django.urls import reverse

from interviews.models import AuditEvent, Candidate

IMAGE = {"Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "same-origin"}
FETCH = {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}
FRAME = {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "same-origin"}
NAVIGATION = {
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}
INTERVIEW_VIEWS = ["summary", "report", "report_pdf", "export_csv", "export_json"]
CANDIDATE_VIEWS = ["debrief", "debrief_pdf", "candidate_export"]


@pytest.fixture
def submitted(make_interview, score, submit, interviewer, manager):
    interview = make_interview("Ada Lovelace", interviewers=[interviewer])
    score(interview, 3, notes={0: "Fine."})
    return submit(interview)


def url_of(name: str, interview) -> str:
    if name in CANDIDATE_VIEWS:
        return reverse(f"interviews:{name}", args=[interview.candidate.code])
    return reverse(f"interviews:{name}", args=[interview.code])


@pytest.mark.parametrize("headers", [IMAGE, FETCH, FRAME], ids=["image", "fetch", "iframe"])
@pytest.mark.parametrize("name", INTERVIEW_VIEWS + CANDIDATE_VIEWS)
def test_it_refuses_a_side_effect_to_anything_but_a_navigation(
    client, manager, submitted, name, headers
):
    client.force_login(manager)
    before = AuditEvent.objects.count()

    response = client.get(url_of(name, submitted), headers=headers)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert b"Open this link directly" in response.content
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("headers", [NAVIGATION, {}], ids=["navigation", "no-fetch-metadata"])
@pytest.mark.parametrize("name", INTERVIEW_VIEWS + CANDIDATE_VIEWS)
def test_it_answers_a_navigation(client, manager, submitted, name, headers):
    client.force_login(manager)
    before = AuditEvent.objects.count()

    response = client.get(url_of(name, submitted), headers=headers)

    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize("headers", [IMAGE, NAVIGATION], ids=["image", "navigation"])
def test_it_answers_the_audit_csv_to_a_navigation_only(client, manager, submitted, headers):
    client.force_login(manager)

    response = client.get(reverse("interviews:audit_csv"), headers=headers)

    assert response.status_code == (200 if headers is NAVIGATION else 403)


def test_it_refuses_an_image_request_for_a_personal_data_export(client, manager, db):
    candidate = Candidate.objects.create(name="Grace Hopper")
    client.force_login(manager)

    url = reverse("interviews:candidate_export", args=[candidate.code])
    response = client.get(url, headers={"Sec-Fetch-Dest": "image"})

    assert response.status_code == 403
    assert not AuditEvent.objects.exists()
