"""Webhook subscriptions and their outbox, and scorecard reminders sent.

The task queue is django-tasks-db's table (django_tasks_db.DBTaskResult), not one of ours."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from interviews.models import Interview


class EventType(models.TextChoices):
    SCORECARD_SUBMITTED = "scorecard.submitted", "Scorecard submitted"
    SCORECARD_REOPENED = "scorecard.reopened", "Scorecard reopened"
    INTERVIEW_ENDED = "interview.ended", "Interview ended"
    CANDIDATE_ERASED = "candidate.erased", "Candidate erased"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A receiver URL and the events it wants, signed with its own secret."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.URLField("receiver URL", max_length=500)
    events = models.JSONField(default=list, help_text="Event types this receiver gets.")
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    # After a rotation the old secret also signs until this time, so a receiver can switch over.
    previous_secret = models.CharField(max_length=80, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = "webhook subscription"

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.events

    def rotate_secret(self, *, overlap: timedelta) -> None:
        """A new secret signs from now on; the old one signs too for `overlap`, so a receiver
        that still checks against it keeps accepting deliveries while its owner switches."""
        self.previous_secret, self.secret = self.secret, new_secret()
        self.previous_secret_until = timezone.now() + overlap
        self.save(update_fields=["secret", "previous_secret", "previous_secret_until"])

    def signing_secrets(self) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the previous one
        while its overlap lasts."""
        until = self.previous_secret_until
        if self.previous_secret and until and until > timezone.now():
            return [self.secret, self.previous_secret]
        return [self.secret]


class Event(models.Model):
    """Something that happened, written in the same transaction as the change it reports: the
    outbox. Its body is fixed here, so every retry sends the same bytes."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    data = models.JSONField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.type} {self.code}"

    def as_dict(self) -> dict:
        return {
            "id": str(self.code),
            "type": self.type,
            "created": self.created.isoformat(),
            "data": self.data,
        }


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Delivery(models.Model):
    """One event for one subscription. Its code is the delivery id the receiver deduplicates on:
    the same id on every retry and on a manual redeliver."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While SENDING, the time after which a crashed sender's claim lapses and it is tried again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} → {self.subscription_id}: {self.status}"


class ReminderSent(models.Model):
    """A reminder to submit a scorecard. One row per (interview, interviewer, slot), so a slot is
    never reminded twice, however often or concurrently the reminder job runs."""

    interview = models.ForeignKey(Interview, models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField(help_text="0 = the first reminder, then one a day.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "user", "slot"], name="one_reminder_per_slot"
            )
        ]

    def __str__(self):
        return f"Reminder {self.slot} to {self.user_id} for {self.interview_id}"
