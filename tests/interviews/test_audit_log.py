"""The audit log page: names and links, filters by candidate, user and action, and CSV."""

import csv
import io
import re

import pytest
from django.urls import reverse

from interviews.models import AuditAction, AuditEvent, Candidate


@pytest.fixture
def logged(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def events(manager, interviewer, make_interview):
    interview = make_interview("Ada Lovelace")
    other = Candidate.objects.create(name="Grace Hopper")
    AuditEvent.record(interviewer, AuditAction.CHANGED, interview)
    AuditEvent.record(manager, AuditAction.VIEWED, other, "debrief")
    AuditEvent.record(manager, AuditAction.EXPORTED, interview, "=csv")
    return interview, other


def test_it_names_candidates_and_links_to_what_changed(logged, events):
    interview, other = events

    html = logged.get(reverse("interviews:audit")).text

    assert "Interview of Ada Lovelace" in html
    assert reverse("interviews:summary", args=[interview.code]) in html
    assert "Candidate Grace Hopper" in html
    assert reverse("interviews:debrief", args=[other.code]) in html


def actions(html: str) -> list[str]:
    return re.findall(r"<td>(Viewed|Exported|Changed|Submitted|Reopened|Erased)</td>", html)


def test_it_filters_by_candidate_name_user_and_action(logged, events):
    audit = reverse("interviews:audit")

    by_name = logged.get(audit, {"candidate": "grace"}).text
    by_user = logged.get(audit, {"actor": "interviewer"}).text
    by_action = logged.get(audit, {"action": "exported"}).text

    assert "Grace Hopper" in by_name and "Ada Lovelace" not in by_name
    assert actions(by_user) == ["Changed"]
    assert actions(by_action) == ["Exported"] and "=csv" in by_action


def test_it_answers_a_bad_filter_with_the_form_error(logged, events):
    response = logged.get(reverse("interviews:audit"), {"action": "deleted", "candidate": "\x00"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_it_downloads_the_filtered_log_as_csv(logged, events):
    response = logged.get(reverse("interviews:audit_csv"), {"candidate": "Ada"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["action"] for r in rows] == ["Exported", "Changed"]
    assert {r["candidate"] for r in rows} == {"Ada Lovelace"}
    assert rows[0]["detail"] == "'=csv"


def test_it_reads_the_page_in_a_constant_number_of_queries(
    logged, events, manager, django_assert_max_num_queries
):
    interview, _ = events
    for _ in range(30):
        AuditEvent.record(manager, AuditAction.VIEWED, interview)
    with django_assert_max_num_queries(8):
        logged.get(reverse("interviews:audit"))
