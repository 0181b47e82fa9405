"""What the API does beyond reading: creating and updating candidates (compare-and-swap on the
version), idempotent creates, and the audit record of every call."""

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from api.auth import Caller
from api.errors import ApiError
from api.models import IdempotencyRecord
from interviews.models import AuditAction, AuditEvent, Candidate

_ATS_TAKEN = {"external_id": "Another candidate has this ATS id."}


def create_candidate(*, caller: Caller, name: str, email: str, external_id: str) -> Candidate:
    if external_id and Candidate.objects.filter(external_id=external_id).exists():
        raise ApiError(409, "conflict", "A candidate with this ATS id exists.", _ATS_TAKEN)
    try:
        with transaction.atomic():
            return Candidate.objects.create(
                name=name, email=email, external_id=external_id, created_by=caller.user
            )
    except IntegrityError:  # created at the same moment by another call
        raise ApiError(
            409, "conflict", "A candidate with this ATS id exists.", _ATS_TAKEN
        ) from None


def update_candidate(*, candidate: Candidate, version: int, changes: dict) -> Candidate:
    """Apply `changes` only if nobody changed the candidate since `version` (else 409)."""
    external_id = changes.get("external_id")
    if (
        external_id
        and Candidate.objects.filter(external_id=external_id).exclude(pk=candidate.pk).exists()
    ):
        raise ApiError(409, "conflict", "A candidate with this ATS id exists.", _ATS_TAKEN)
    try:
        with transaction.atomic():
            saved = Candidate.objects.filter(
                pk=candidate.pk, version=version, erased_at__isnull=True
            ).update(**changes, version=F("version") + 1, updated=timezone.now())
    except IntegrityError:
        raise ApiError(
            409, "conflict", "A candidate with this ATS id exists.", _ATS_TAKEN
        ) from None
    candidate.refresh_from_db()
    if saved:
        return candidate
    if candidate.erased_at:
        raise ApiError(409, "erased", "This candidate was erased; it can no longer change.")
    raise ApiError(
        409,
        "version_conflict",
        f"The candidate changed since version {version}: read it again (version "
        f"{candidate.version}) and reapply your change.",
        {"version": f"Current version is {candidate.version}."},
    )


def idempotent(
    *, request, caller: Caller, key: str | None, create: Callable[[], dict]
) -> tuple[dict, bool]:
    """Run `create` once per Idempotency-Key: (body, replayed). Only successes are kept; a
    refused request may be retried with the same key after fixing it."""
    if key is None:
        return create(), False
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise ApiError(
            400,
            "invalid",
            "Idempotency-Key is 1 to 200 printable characters.",
            {"Idempotency-Key": "1 to 200 printable characters."},
        )
    scope = caller.idempotency_scope
    fingerprint = hashlib.sha256(
        request.method.encode() + b" " + request.path.encode() + b"\n" + request.body
    ).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.filter(caller=scope, key=key).first()
            if record is None:
                # Kept as the JSON it is sent as, so the replay is byte for byte the same.
                result = json.loads(json.dumps(create(), cls=DjangoJSONEncoder))
                IdempotencyRecord.objects.create(
                    caller=scope, key=key, fingerprint=fingerprint, status=201, body=result
                )
                return result, False
    except IntegrityError:  # the same key, sent twice at once: the other one won
        record = IdempotencyRecord.objects.get(caller=scope, key=key)
    if record.fingerprint != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different request.",
            {"Idempotency-Key": "Already used with another body or path."},
        )
    return record.body, True


def audit(*, request, response) -> None:
    """Record an authenticated API call in the audit log (refusals for rate are not: a client
    hammering the API must not also flood the log)."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller) or response.status_code == 429:
        return
    object_type, object_id, candidate_code = getattr(request, "audit_subject", ("api", "", None))
    AuditEvent.objects.create(
        actor=caller.user,
        actor_name=caller.user.username,
        action=AuditAction.VIEWED if request.method == "GET" else AuditAction.CHANGED,
        object_type=object_type,
        object_id=str(object_id),
        candidate_code=candidate_code,
        detail=f"{caller.label}: {request.method} {request.path} → {response.status_code}"[:200],
    )
