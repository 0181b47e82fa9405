"""Login throttling, on django-axes: what a (account name, client address) pair may try, and when.

The rules, in order:

1. Failures count per pair: the account name as people type it (case and surrounding spaces
   ignored) and the client address (accounts.client). A guesser at one address never locks the
   account for anyone at another address, and one address guessing many accounts locks only
   those pairs.
2. LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES lock the pair for that long; the
   right password is refused while the lock holds.
3. Every further attempt during a lock counts too, and each doubles the lock (up to
   LOGIN_LOCKOUT_MAX_HOURS): a script that keeps hammering waits longer and longer.
4. A successful login forgets the pair's failures; an expired pair is deleted by the next login
   and by `purge_candidates` (retention); staff unlock a pair by deleting its "access attempt"
   in the admin.
5. The check and the count of one pair run under one lock (`serialised_attempt`), so parallel
   guesses cannot all pass the check before any of them is counted.
"""

from contextlib import contextmanager
from datetime import timedelta
from hashlib import sha256
from math import ceil

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone

from accounts.client import client_address

# 2**16 times the base is more than any sane maximum; it keeps the timedelta arithmetic finite.
_MAX_DOUBLINGS = 16


def username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name a pair is counted under ("Alice " and "alice" are one)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    # axes' username column holds 255 characters; the login forms allow 150.
    return value.strip().lower()[:255] if isinstance(value, str) else None


def _address(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_address(request)


def lock_length(failures: int) -> timedelta:
    """How long failures are remembered, and a pair at or over the limit is locked."""
    base = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    over = failures - settings.AXES_FAILURE_LIMIT
    if over <= 0:
        return base
    return min(
        base * 2 ** min(over, _MAX_DOUBLINGS), timedelta(hours=settings.LOGIN_LOCKOUT_MAX_HOURS)
    )


def cool_off(request) -> timedelta:
    """AXES_COOLOFF_TIME: the lock length of the request's pair, from its failures so far."""
    if request is None:
        return lock_length(0)
    failures = AccessAttempt.objects.filter(
        username=username(request, None), ip_address=_address(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return lock_length(failures or 0)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the same page whether or not the account exists."""
    minutes = ceil(cool_off(request).total_seconds() / 60)
    return render(
        request,
        "accounts/locked.html",
        {"minutes": minutes, "again": request.get_full_path()},
        status=429,
    )


@contextmanager
def serialised_attempt(request, name: str | None):
    """One transaction per login attempt; on PostgreSQL also a lock on its pair.

    Axes checks the pair before the password and counts the failure after it. Without this, 30
    parallel guesses all pass the check before the first is counted. On SQLite the transaction is
    enough: it is IMMEDIATE (config.settings), so it holds the database's write lock.
    """
    alias = router.db_for_write(AccessAttempt)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            pair = f"{name}\0{client_address(request)}".encode()
            key = int.from_bytes(sha256(pair).digest()[:8], "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        yield


def purge_expired_attempts() -> int:
    """Delete the failures no lock needs any more; the number of pairs deleted."""
    now = timezone.now()
    oldest_lock = now - timedelta(hours=settings.LOGIN_LOCKOUT_MAX_HOURS)
    expired = Q(expiration__expires_at__lte=now) | Q(
        expiration__isnull=True, attempt_time__lte=oldest_lock
    )
    return AccessAttempt.objects.filter(expired).delete()[1].get(AccessAttempt._meta.label, 0)
