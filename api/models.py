"""API keys and idempotency records. The API itself is in api/endpoints.py."""

import hashlib
import secrets
import time
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When
from django.utils import timezone

KEY_PREFIX = "idk_"


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


def hash_token(token: str) -> str:
    """SHA-256 is enough here: the token is 256 random bits, so there is nothing to brute-force
    and no need for a slow password hash on every request."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key an integration sends as `Authorization: Bearer idk_<lookup>_<secret>`.

    Only the SHA-256 of the whole token is stored; the token is shown once, when made. The
    lookup part (not secret) finds the row, then the hash is compared in constant time.
    The key acts as the hiring manager who made it, within its scope.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text="What uses this key, e.g. 'Greenhouse sync'.")
    lookup = models.CharField(max_length=16, unique=True, editable=False)
    hashed = models.CharField(max_length=64, editable=False)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_keys")
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's fixed window (see README, "API"): its number and how many calls it had.
    window = models.BigIntegerField(default=0, editable=False)
    window_calls = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        return f"{KEY_PREFIX}{self.lookup}"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @classmethod
    def issue(cls, *, user, name: str, scope: str) -> tuple["ApiKey", str]:
        """A new key and its token. The token is returned once and never stored."""
        lookup, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        token = f"{KEY_PREFIX}{lookup}_{secret}"
        key = cls.objects.create(
            user=user, name=name, scope=scope, lookup=lookup, hashed=hash_token(token)
        )
        return key, token

    @classmethod
    def authenticate(cls, token: str) -> "ApiKey | None":
        if not token.startswith(KEY_PREFIX) or len(token) > 200:
            return None
        lookup = token[len(KEY_PREFIX) :].split("_", 1)[0]
        key = cls.objects.active().select_related("user").filter(lookup=lookup).first()
        if key is None or not secrets.compare_digest(key.hashed, hash_token(token)):
            return None
        if not key.user.is_active:
            return None
        return key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def count_call(self, limit: int, window_seconds: int) -> int:
        """Count a call in the current fixed window and record the last-used time, in one UPDATE.

        Returns the seconds until the window ends if the call is over the limit, else 0. The
        counter is on the key's row, so every server process shares it, and the write is the
        one that last-used time needs anyway.
        """
        now = time.time()
        window = int(now // window_seconds)
        ApiKey.objects.filter(pk=self.pk).update(
            window_calls=Case(When(window=window, then=F("window_calls") + 1), default=Value(1)),
            window=window,
            last_used_at=timezone.now(),
        )
        calls = ApiKey.objects.filter(pk=self.pk).values_list("window_calls", flat=True).get()
        if calls > limit:
            return max(1, int((window + 1) * window_seconds - now) + 1)
        return 0


class IdempotencyRecord(models.Model):
    """The answer to a create sent with an `Idempotency-Key`, replayed if the same key comes again.

    Keys are per caller (an API key, or a user): two integrations cannot collide. A key reused
    with a different request is refused (422) instead of silently returning the first answer.
    """

    caller = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_once_per_caller")
        ]

    def __str__(self):
        return f"{self.caller} {self.key}"
