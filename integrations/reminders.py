"""Scorecard reminders, Greenhouse's pattern: one an hour after the interview ends, then one a day,
until the scorecard is submitted or the limit is reached.

`latest_slot` is the rule, pure. `send_due` applies it: for each interviewer of each ended,
unsubmitted interview, it sends the latest slot that is due if that slot was not sent yet. The
ReminderSent row is written before the email, in one transaction, and is unique per slot: two
runs at once, or a run repeated, never send a slot twice; a worker that was down for three days
sends one reminder (the latest), not three.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from integrations.models import ReminderSent
from interviews.models import Interview


@dataclass(frozen=True)
class Schedule:
    first: timedelta
    every: timedelta
    limit: int

    @classmethod
    def from_settings(cls) -> "Schedule":
        return cls(
            first=timedelta(minutes=settings.SCORECARD_REMINDER_FIRST_MINUTES),
            every=timedelta(hours=settings.SCORECARD_REMINDER_EVERY_HOURS),
            limit=settings.SCORECARD_REMINDER_LIMIT,
        )


def latest_slot(ended_at: datetime, now: datetime, schedule: Schedule) -> int | None:
    """The latest reminder slot due at `now` (0 is the first), or None before the first.

    Slot k is due at ended_at + first + k * every, for k < limit.
    """
    if schedule.limit <= 0 or now < ended_at + schedule.first:
        return None
    k = int((now - ended_at - schedule.first) / schedule.every)
    return min(k, schedule.limit - 1)


def send_due(*, now: datetime | None = None, schedule: Schedule | None = None) -> int:
    """Send every reminder that is due and not yet sent. Returns how many were sent."""
    now = now or timezone.now()
    schedule = schedule or Schedule.from_settings()
    interviews = list(
        Interview.objects.awaiting_scorecard()
        .filter(ended_at__lte=now - schedule.first)
        .select_related("candidate")
        .prefetch_related("interviewers")
    )
    sent_slots = {
        (row["interview"], row["user"]): row["last"]
        for row in ReminderSent.objects.filter(interview__in=interviews)
        .values("interview", "user")
        .annotate(last=Max("slot"))
    }
    sent = 0
    for interview in interviews:
        slot = latest_slot(interview.ended_at, now, schedule)
        for user in interview.interviewers.all():
            last = sent_slots.get((interview.pk, user.pk))
            if slot is None or not user.email or (last is not None and last >= slot):
                continue
            sent += _remind(interview, user, slot, now)
    return sent


def _remind(interview: Interview, user, slot: int, now: datetime) -> int:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(interview=interview, user=user, slot=slot, sent_at=now)
            send_mail(*_message(interview, user), recipient_list=[user.email])
    except IntegrityError:
        return 0  # another run sent this slot
    return 1


def _message(interview: Interview, user) -> tuple[str, str, None]:
    due = interview.scorecard_due_at
    overdue = due is not None and timezone.now() > due
    url = settings.SITE_URL.rstrip("/") + reverse("interviews:summary", args=[interview.code])
    subject = (
        f"{'Overdue' if overdue else 'Due'}: your scorecard for {interview.candidate.name}"
        f" ({interview.position})"
    )
    body = (
        f"Hello {user.get_full_name() or user.username},\n\n"
        f"Your scorecard for {interview.candidate.name}, {interview.position}, "
        f"{'was' if overdue else 'is'} due {timezone.localtime(due):%d %b %Y %H:%M %Z}.\n"
        f"Submit it here: {url}\n\n"
        "Scores written soon after the interview are the most reliable.\n"
        "— Interview Desk\n"
    )
    return subject, body, None
