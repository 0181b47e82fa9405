"""An interview whose bank lost its target level answers every summary URL with a clear page."""

import pytest
from django.urls import reverse

from interviews.models import Status
from questionbank.models import Level

pytestmark = pytest.mark.django_db

URLS = [
    ("interviews:summary", {}),
    ("interviews:report", {}),
    ("interviews:report", {"profile": "candidate"}),
    ("interviews:report_pdf", {}),
    ("interviews:export_json", {}),
]


@pytest.fixture
def orphaned(make_interview, score):
    """A Principal interview, scored, whose bank then lost its Principal rubric level."""
    interview = make_interview("Ada Lovelace", target_level=Level.PRINCIPAL)
    score(interview, 3)
    interview.bank.rubric_levels.filter(level=Level.PRINCIPAL).delete()
    return interview


@pytest.mark.parametrize(("name", "query"), URLS)
def test_it_explains_instead_of_failing(client, interviewer, orphaned, name, query):
    client.force_login(interviewer)
    response = client.get(reverse(name, args=[orphaned.code]), query)
    assert response.status_code == 409
    body = response.content.decode()
    assert "has no Principal level in its rubric" in body
    assert "scores and notes are kept" in body


def test_it_refuses_to_submit_and_keeps_the_scores(client, interviewer, orphaned):
    client.force_login(interviewer)
    response = client.post(
        reverse("interviews:submit", args=[orphaned.code]),
        {"recommendation": "hire", "rationale": "Strong"},
    )
    assert response.status_code == 409
    orphaned.refresh_from_db()
    assert orphaned.status != Status.SUBMITTED and orphaned.summary is None
    assert set(orphaned.items.values_list("score", flat=True)) == {3}


def test_it_still_exports_the_csv_and_the_personal_data(client, interviewer, manager, orphaned):
    client.force_login(interviewer)
    assert client.get(reverse("interviews:export_csv", args=[orphaned.code])).status_code == 200
    client.force_login(manager)
    url = reverse("interviews:candidate_export", args=[orphaned.candidate.code])
    data = client.get(url).json()
    assert data["interviews"][0]["summary"] is None


def test_it_keeps_showing_a_frozen_summary_after_the_level_is_gone(
    client, interviewer, make_interview, score, submit
):
    interview = submit(score_all(make_interview("Grace"), score), "hire", "Solid")
    interview.bank.rubric_levels.filter(level=Level.SENIOR).delete()
    client.force_login(interviewer)
    assert client.get(reverse("interviews:summary", args=[interview.code])).status_code == 200


def score_all(interview, score):
    score(interview, 3)
    return interview
