"""Signed webhook deliveries: the signature, the URL rules, one attempt, and the retry schedule.

The signature follows Stripe's scheme: `Interview-Desk-Signature: t=<unix time>,v1=<hex>` where
v1 = HMAC-SHA256(secret, f"{t}.{body}"). The receiver recomputes it, compares in constant time,
and rejects a timestamp older than a few minutes (replay). After a secret is rotated, the header
carries one v1 per secret still signing (`t=…,v1=<new>,v1=<old>`) and a match on any one is valid. `Interview-Desk-Delivery` carries the
delivery id, the same on every retry: the receiver keeps the ids it has processed and ignores a
repeat, which makes delivery exactly-once from its side.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from integrations.models import Delivery, DeliveryStatus

SIGNATURE_HEADER = "Interview-Desk-Signature"
DELIVERY_HEADER = "Interview-Desk-Delivery"
EVENT_HEADER = "Interview-Desk-Event"
RESPONSE_KEPT = 1000


def sign(secret: str | list[str], timestamp: int, body: bytes) -> str:
    """The signature header: one v1 per secret (a list after a rotation, newest first)."""
    macs = [
        hmac.new(s.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        for s in ([secret] if isinstance(secret, str) else secret)
    ]
    return ",".join([f"t={timestamp}", *(f"v1={mac}" for mac in macs)])


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now=None) -> bool:
    """What a receiver does (and what the tests' receiver does): check signature and age."""
    try:
        parts = [item.split("=", 1) for item in header.split(",")]
        timestamp = int(dict(parts)["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    given = [value for name, value in parts if name == "v1"]
    return any(hmac.compare_digest(expected, value) for value in given)


def validate_url(url: str) -> None:
    """http or https, a host, no user:password, no fragment. Raises ValidationError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError("Enter a valid http or https URL.", code="invalid") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            "Webhook URLs must be http:// or https:// with a host.", code="scheme"
        )
    if parts.username or parts.password:
        raise ValidationError("Put no user name or password in the URL.", code="credentials")
    if port == 0:
        raise ValidationError("Enter a valid port.", code="port")
    if not settings.WEBHOOK_ALLOW_PRIVATE and _is_private(parts.hostname):
        raise ValidationError(
            "This address is on a private network; webhooks go to public receivers.",
            code="private",
        )


def _is_private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
    return not address.is_global


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Requests go only to the URL the subscription names: a redirect is an answer, not a hop."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.event.as_dict(), sort_keys=True, separators=(",", ":")).encode()


def send(delivery: Delivery) -> tuple[int | None, str, str]:
    """POST the event once. Returns (status or None, response text kept, error)."""
    body = body_of(delivery)
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked: http or https only)
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "InterviewDesk-Webhooks/1",
            SIGNATURE_HEADER: sign(delivery.subscription.signing_secrets(), timestamp, body),
            DELIVERY_HEADER: str(delivery.code),
            EVENT_HEADER: delivery.event.type,
        },
    )
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        validate_url(delivery.subscription.url)
        with _opener.open(request, timeout=timeout) as response:
            return response.status, _text(response.read(RESPONSE_KEPT)), ""
    except urllib.error.HTTPError as e:
        return e.code, _text(e.read(RESPONSE_KEPT)), ""
    except ValidationError as e:
        return None, "", e.messages[0]
    except (OSError, ValueError, http.client.HTTPException) as e:  # timeouts, refusals, garbage
        return None, "", f"{type(e).__name__}: {e}"[:300]


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")[:RESPONSE_KEPT]


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: base * 2^(n-1), capped. 30 s, 1 min, 2 min, … 1 h."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def claim(pk: int) -> Delivery | None:
    """Take a delivery for one attempt, or None if it is not due or someone else holds it.

    A conditional UPDATE, so two workers (or a worker and a sweep) never send one delivery at
    the same time; the claim lapses after the timeout, in case the sender dies mid-request.
    """
    now = timezone.now()
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    lapsed = Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    lease = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    taken = Delivery.objects.filter(Q(pk=pk) & (due | lapsed)).update(
        status=DeliveryStatus.SENDING, claimed_until=now + lease
    )
    if not taken:
        return None
    return Delivery.objects.select_related("event", "subscription").get(pk=pk)


def attempt(pk: int) -> Delivery | None:
    """One attempt at a delivery: sent and recorded, or rescheduled with backoff, or given up."""
    delivery = claim(pk)
    if delivery is None:
        return None
    status, text, error = send(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.claimed_until = now, None
    delivery.response_status, delivery.response_body, delivery.error = status, text, error
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "claimed_until",
            "response_status",
            "response_body",
            "error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery


def due_ids(limit: int = 100) -> list[int]:
    """Deliveries the sweep should try now: pending and due, or claimed by a sender that died."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep() -> int:
    """Attempt every delivery that is due or whose sender died; how many were attempted."""
    return sum(1 for pk in due_ids() if attempt(pk) is not None)


def redeliver(delivery: Delivery) -> None:
    """A manager's "send again": due now, with a fresh allowance of attempts, same delivery id."""
    Delivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
