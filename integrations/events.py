"""The hook the interviews services call, inside their transaction: write the event to the outbox.

Each function is called from one line of interviews/services.py. The event and one delivery per
subscribed receiver are written in the caller's transaction, so they exist exactly when the change
does (a rollback takes them away too); the task that sends them is enqueued only on commit. If that
enqueue is lost, or its worker dies, the periodic sweep (`manage.py periodic`) still finds the
pending delivery: a receiver that is down, or a worker that is down, loses nothing.
"""

from django.db import transaction

from integrations.models import Delivery, Event, EventType, Subscription
from interviews.models import Candidate, Interview


def publish(event_type: str, data: dict) -> Event:
    event = Event.objects.create(type=event_type, data=data)
    receivers = [s for s in Subscription.objects.filter(active=True) if s.wants(event_type)]
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, subscription=s) for s in receivers
    )
    if deliveries:
        from integrations.tasks import deliver_webhook

        ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
        transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in ids])
    return event


def _interview(interview: Interview) -> dict:
    """Ids and states only, never personal data: the outbox keeps events after a candidate is
    erased (tests/security/test_privacy.py), and the ATS maps our candidate id to its own."""
    return {
        "interview": str(interview.code),
        "candidate": str(interview.candidate.code),
        "status": interview.status,
    }


def scorecard_submitted(interview: Interview) -> Event:
    summary = interview.summary or {}
    data = _interview(interview) | {
        "recommendation": interview.recommendation,
        "submitted_at": interview.submitted_at.isoformat() if interview.submitted_at else None,
        "estimated_level": summary.get("estimated_level"),
    }
    return publish(EventType.SCORECARD_SUBMITTED, data)


def scorecard_reopened(interview: Interview) -> Event:
    return publish(EventType.SCORECARD_REOPENED, _interview(interview))


def interview_ended(interview: Interview) -> Event:
    data = _interview(interview) | {
        "ended_at": interview.ended_at.isoformat() if interview.ended_at else None
    }
    return publish(EventType.INTERVIEW_ENDED, data)


def candidate_erased(candidate: Candidate) -> Event:
    """Only the id: the candidate's personal data is gone, and must not travel in the event."""
    return publish(EventType.CANDIDATE_ERASED, {"candidate": str(candidate.code)})
