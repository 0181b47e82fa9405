"""Side effects of a workflow commit or roll back with it: the candidate a new-interview form
creates, and the audit rows of submitting and reopening."""

import pytest
from django.urls import reverse

from interviews import planner, services
from interviews.models import AuditAction, AuditEvent, Candidate, Interview
from questionbank.models import Level

NEW = reverse("interviews:new")


def form_data(bank) -> dict:
    return {
        "name": "Ada Lovelace",
        "position": "ML Engineer",
        "target_level": str(Level.SENIOR),
        "bank": bank.pk,
        "planned_minutes": "45",
    }


def test_it_leaves_no_candidate_when_planning_fails(client, interviewer, bank, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("planner down")

    monkeypatch.setattr(planner, "build_plan", broken)
    client.force_login(interviewer)
    client.raise_request_exception = False

    response = client.post(NEW, form_data(bank))

    assert response.status_code >= 500
    assert not Candidate.objects.exists()
    assert not Interview.objects.exists()
    assert not AuditEvent.objects.exists()


def scored(interview):
    interview.items.update(score=3)
    return interview


def test_it_writes_the_submit_audit_row_in_the_submit_transaction(interview, interviewer):
    services.submit_scorecard(
        interview=scored(interview), by=interviewer, recommendation="hire", rationale="Clear."
    )

    event = AuditEvent.objects.get(action=AuditAction.SUBMITTED)
    assert (event.actor, event.object_id) == (interviewer, str(interview.code))


def test_it_writes_no_audit_row_for_a_refused_submit(interview, interviewer):
    with pytest.raises(services.ScorecardError):
        services.submit_scorecard(
            interview=interview, by=interviewer, recommendation="hire", rationale="Clear."
        )

    assert not AuditEvent.objects.exists()


def test_it_rolls_the_audit_row_back_when_a_submit_fails_after_it(
    interview, interviewer, monkeypatch
):
    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Interview, "save", broken)
    with pytest.raises(RuntimeError):
        services.submit_scorecard(
            interview=scored(interview), by=interviewer, recommendation="hire", rationale="Clear."
        )

    assert not AuditEvent.objects.exists()


def test_it_writes_the_reopen_audit_row_with_the_reason(interview, interviewer):
    services.submit_scorecard(
        interview=scored(interview), by=interviewer, recommendation="hire", rationale="Clear."
    )
    services.reopen_scorecard(interview=interview, by=interviewer, reason="Mistyped Q3.")

    event = AuditEvent.objects.get(action=AuditAction.REOPENED)
    assert event.actor == interviewer
    assert "Mistyped Q3." in event.detail


def test_it_leaves_the_audit_to_the_services_not_the_views(client, interview, interviewer):
    client.force_login(interviewer)
    scored(interview)
    data = {"recommendation": "hire", "rationale": "Clear."}
    client.post(reverse("interviews:submit", args=[interview.code]), data)
    client.post(reverse("interviews:reopen", args=[interview.code]), {"reason": "Q3 again."})

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.SUBMITTED, AuditAction.REOPENED])
