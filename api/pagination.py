"""Keyset ("cursor") pagination: each page continues strictly after the last row of the one before,
ordered by (a timestamp, id). Unlike page numbers, rows added or changed while a client pages
through are neither skipped nor repeated, and every page costs one indexed range query."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet

from api.errors import ApiError


def encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    try:
        if len(cursor) > 200:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        return datetime.fromisoformat(moment), pk
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            400, "invalid", "This cursor is not one we gave out.", {"cursor": "Invalid cursor."}
        ) from None


def page(queryset: QuerySet, field: str, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `queryset` in (field, pk) order after `cursor`, and the cursor of the next."""
    queryset = queryset.order_by(field, "pk")
    if cursor:
        moment, pk = decode(cursor)
        queryset = queryset.filter(
            Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
        )
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode(getattr(last, field), last.pk)
