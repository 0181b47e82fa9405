"""The REST API, version 1: /api/v1/…, its OpenAPI schema at /api/openapi.json, docs at /api/docs.

Every operation is a short function: find what the caller may see (404 for anything else, so
nothing about other objects leaks), call a model method or service, return plain data that the
response schema checks. README, "API", says why django-ninja.
"""

from datetime import datetime
from functools import wraps
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Header, NinjaAPI, Query, Router, Schema
from ninja.openapi.docs import Swagger
from ninja.responses import Status as Answer
from pydantic import Field

from accounts import roles
from api import errors, services
from api.auth import AUTH, WRITE_AUTH, Caller
from api.errors import ApiError
from api.pagination import page
from api.schemas import (
    LEVEL_NAMES,
    LEVELS,
    CandidateIn,
    CandidateOut,
    CandidatePage,
    CandidatePatch,
    DebriefOut,
    ErrorOut,
    InterviewIn,
    InterviewOut,
    InterviewPage,
    PlanOut,
    ScorecardOut,
    StatusName,
)
from interviews import debrief
from interviews import services as interview_services
from interviews.models import Candidate, Interview, Status
from questionbank.models import Bank

DESCRIPTION = """\
Candidates, interviews, scorecards and debriefs of Interview Desk, for an applicant-tracking system.

**Authentication**: `Authorization: Bearer idk_…` with a key a hiring manager makes under
*API keys*; read keys read, write keys also create and update. Logged-in users may call the API
from the browser (writes need the CSRF token, as forms do).

**Errors** always have the body `{"error": {"code", "message", "fields"}}`.
**Lists** are cursor-paginated: pass `next_cursor` back as `?cursor=` until it is null.
**Creates** accept an `Idempotency-Key` header: the same key replays the first answer.
**Rate limit**: `API_RATE_LIMIT` calls per key per window; over it, 429 with `Retry-After`.
"""

REFUSALS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    429: ErrorOut,
}
READ_REFUSALS = {k: v for k, v in REFUSALS.items() if k != 409}

api = NinjaAPI(
    title="Interview Desk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No validator badge: it would make the browser fetch validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)


def audited(run):
    @wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        services.audit(request=request, response=response)
        return response

    return wrapper


api.add_decorator(audited, mode="view")

v1 = Router()


def _caller(request) -> Caller:
    return request.auth


def _subject(request, obj, candidate=None) -> None:
    candidate = candidate or (obj if isinstance(obj, Candidate) else obj.candidate)
    request.audit_subject = (type(obj).__name__.lower(), obj.code, candidate.code)


def _candidates(caller: Caller):
    if caller.is_manager:
        return Candidate.objects.all()
    mine = Interview.objects.visible_to(caller.user).values("candidate")
    return Candidate.objects.filter(pk__in=mine)


INTERVIEW_COLUMNS = (
    "code",
    "candidate__code",
    "position",
    "target_level",
    "bank__slug",
    "planned_minutes",
    "status",
    "scheduled_for",
    "started_at",
    "ended_at",
    "submitted_at",
    "created",
)


def _interviews(caller: Caller):
    interviewers = Prefetch("interviewers", get_user_model().objects.only("username"))
    queryset = Interview.objects.select_related("candidate", "bank").prefetch_related(interviewers)
    return queryset if caller.is_manager else queryset.visible_to(caller.user).distinct()


def _candidate_out(c: Candidate) -> dict:
    return {
        "id": c.code,
        "name": c.name,
        "email": c.email,
        "external_id": c.external_id,
        "version": c.version,
        "created": c.created,
        "updated": c.updated,
        "erased": c.erased_at is not None,
    }


def _interview_out(i: Interview) -> dict:
    return {
        "id": i.code,
        "candidate": i.candidate.code,
        "position": i.position,
        "target_level": LEVEL_NAMES[i.target_level],
        "bank": i.bank.slug,
        "planned_minutes": i.planned_minutes,
        "interviewers": sorted(u.username for u in i.interviewers.all()),
        "status": i.status,
        "scheduled_for": i.scheduled_for,
        "started_at": i.started_at,
        "ended_at": i.ended_at,
        "submitted_at": i.submitted_at,
        "scorecard_due_at": i.scorecard_due_at if i.status == Status.COMPLETED else None,
        "created": i.created,
    }


# Candidates --------------------------------------------------------------------------------------


class CandidateFilters(Schema):
    updated_since: datetime | None = Field(None, description="Only candidates changed at or after.")
    external_id: str | None = Field(None, max_length=100)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


@v1.get("/candidates", response={200: CandidatePage, **READ_REFUSALS}, tags=["candidates"])
def list_candidates(request, filters: Query[CandidateFilters]):
    """Candidates in (updated, id) order: poll with `updated_since` to sync changes."""
    candidates = _candidates(_caller(request))
    if filters.updated_since:
        candidates = candidates.filter(updated__gte=filters.updated_since)
    if filters.external_id is not None:
        candidates = candidates.filter(external_id=filters.external_id)
    rows, cursor = page(candidates, "updated", filters.cursor, filters.limit)
    return {"results": [_candidate_out(c) for c in rows], "next_cursor": cursor}


@v1.post(
    "/candidates", response={201: CandidateOut, **REFUSALS}, tags=["candidates"], auth=WRITE_AUTH
)
def create_candidate(
    request,
    payload: CandidateIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    caller = _caller(request)

    def create() -> dict:
        candidate = services.create_candidate(caller=caller, **payload.dict())
        _subject(request, candidate)
        return _candidate_out(candidate)

    body, _ = services.idempotent(
        request=request, caller=caller, key=idempotency_key, create=create
    )
    return Answer(201, body)


@v1.get(
    "/candidates/{uuid:candidate_code}",
    response={200: CandidateOut, **READ_REFUSALS},
    tags=["candidates"],
)
def read_candidate(request, candidate_code: UUID):
    candidate = get_object_or_404(_candidates(_caller(request)), code=candidate_code)
    _subject(request, candidate)
    return _candidate_out(candidate)


@v1.patch(
    "/candidates/{uuid:candidate_code}",
    response={200: CandidateOut, **REFUSALS},
    tags=["candidates"],
    auth=WRITE_AUTH,
)
def update_candidate(request, candidate_code: UUID, payload: CandidatePatch):
    """Change some fields. `version` must be the one you read: 409 `version_conflict` if not."""
    caller = _caller(request)
    candidate = get_object_or_404(_candidates(caller), code=candidate_code)
    _subject(request, candidate)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None}
    candidate = services.update_candidate(
        candidate=candidate, version=payload.version, changes=changes
    )
    return _candidate_out(candidate)


@v1.get(
    "/candidates/{uuid:candidate_code}/debrief",
    response={200: DebriefOut, **READ_REFUSALS},
    tags=["candidates"],
)
def read_debrief(request, candidate_code: UUID):
    """Every submitted scorecard of the candidate's loop, combined: what the debrief page shows."""
    caller = _caller(request)
    candidate = get_object_or_404(Candidate, code=candidate_code)
    loop = candidate.loop()
    # The app's rule (Candidate.debrief_access): managers; panelists once their own is submitted.
    access = "open" if caller.is_manager else candidate.debrief_access(caller.user, loop)
    if access == "none":
        raise ApiError(404, "not_found", "No such resource.")
    if access == "pending":
        raise ApiError(403, "submit_first", "Submit your own scorecard first.")
    _subject(request, candidate)
    built = debrief.build(loop)
    return {
        "candidate": candidate.code,
        "scorecards": [
            {
                "interview": card.interview.code,
                "position": card.interview.position,
                "interviewers": sorted(u.username for u in card.interview.interviewers.all()),
                "recommendation": card.interview.recommendation,
                "summary_recommendation": card.summary.recommendation,
                "estimated_level": card.summary.estimated_level,
            }
            for card in built["scorecards"]
        ],
        "pending": [i.code for i in built["pending"]],
        "split": built["split"],
        "criteria": [
            {
                "key": row.key,
                "name": row.name,
                "level": row.level,
                "means": [r.mean if r else None for r in row.results],
                "spread": row.spread,
                "disagreement": row.disagreement,
            }
            for row in built["rows"]
        ],
        "gaps": [row.key for row in built["gaps"]],
    }


# Interviews --------------------------------------------------------------------------------------


class InterviewFilters(Schema):
    candidate: UUID | None = None
    status: StatusName | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


@v1.get("/interviews", response={200: InterviewPage, **READ_REFUSALS}, tags=["interviews"])
def list_interviews(request, filters: Query[InterviewFilters]):
    """Interviews in (created, id) order."""
    # Only the columns a row shows: full rows (the frozen summary, the bank's texts) cost more
    # than the rest of the request (bench/api.py).
    interviews = _interviews(_caller(request)).only(*INTERVIEW_COLUMNS)
    if filters.candidate:
        interviews = interviews.filter(candidate__code=filters.candidate)
    if filters.status:
        interviews = interviews.filter(status=filters.status)
    rows, cursor = page(interviews, "created", filters.cursor, filters.limit)
    return {"results": [_interview_out(i) for i in rows], "next_cursor": cursor}


@v1.post(
    "/interviews", response={201: InterviewOut, **REFUSALS}, tags=["interviews"], auth=WRITE_AUTH
)
def schedule_interview(
    request,
    payload: InterviewIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Schedule an interview and plan it from the bank, as the app's "New interview" does."""
    caller = _caller(request)
    fields = {}
    candidate = Candidate.objects.filter(code=payload.candidate, erased_at__isnull=True).first()
    if candidate is None:
        fields["candidate"] = "No such candidate."
    bank = Bank.objects.filter(slug=payload.bank).first()
    if bank is None:
        fields["bank"] = "No such question bank."
    names = sorted(set(payload.interviewers))
    interviewers = list(
        get_user_model().objects.filter(
            username__in=names, is_active=True, groups__name=roles.INTERVIEWERS
        )
    )
    unknown = sorted(set(names) - {u.username for u in interviewers})
    if unknown:
        fields["interviewers"] = "Not interviewers here: " + ", ".join(unknown)[:150]
    if fields:
        raise ApiError(
            400, "invalid", "The request has invalid fields: " + ", ".join(fields), fields
        )

    def create() -> dict:
        interview = interview_services.create_interview(
            candidate=candidate,
            position=payload.position,
            target_level=LEVELS[payload.target_level],
            bank=bank,
            planned_minutes=payload.planned_minutes,
            interviewers=interviewers,
            created_by=caller.user,
            scheduled_for=payload.scheduled_for,
        )
        _subject(request, interview)
        return _interview_out(_interviews(caller).get(pk=interview.pk))

    body, _ = services.idempotent(
        request=request, caller=caller, key=idempotency_key, create=create
    )
    return Answer(201, body)


def _interview(request, code: UUID) -> Interview:
    interview = get_object_or_404(_interviews(_caller(request)), code=code)
    _subject(request, interview)
    return interview


@v1.get(
    "/interviews/{uuid:code}", response={200: InterviewOut, **READ_REFUSALS}, tags=["interviews"]
)
def read_interview(request, code: UUID):
    """The interview and its status; `scorecard_due_at` once it has ended."""
    return _interview_out(_interview(request, code))


@v1.get(
    "/interviews/{uuid:code}/plan", response={200: PlanOut, **READ_REFUSALS}, tags=["interviews"]
)
def read_plan(request, code: UUID):
    """The planned questions, in order, as pinned when planned."""
    interview = _interview(request, code)
    items = list(interview.items.order_by("position"))
    questions = [
        {
            "position": item.position + 1,
            "number": item.snapshot["number"],
            "key": item.snapshot["key"],
            "section": item.snapshot["section"],
            "level": LEVEL_NAMES[item.snapshot["level"]],
            "minutes": item.snapshot["minutes"],
            "criteria": [c["key"] for c in item.snapshot["criteria"]],
            "prompt_html": item.snapshot["prompt_html"],
        }
        for item in items
    ]
    return {
        "interview": interview.code,
        "planned_minutes": interview.planned_minutes,
        "total_minutes": sum(q["minutes"] for q in questions),
        "questions": questions,
    }


@v1.get(
    "/interviews/{uuid:code}/scorecard",
    response={200: ScorecardOut, **REFUSALS},
    tags=["interviews"],
)
def read_scorecard(request, code: UUID):
    """The submitted scorecard and its frozen summary; 409 `not_submitted` before submission."""
    interview = _interview(request, code)
    if interview.status != Status.SUBMITTED or not interview.summary:
        raise ApiError(409, "not_submitted", "This scorecard is not submitted yet.")
    frozen = interview.summary
    items = interview.items.order_by("position")
    return {
        "interview": interview.code,
        "candidate": interview.candidate.code,
        "recommendation": interview.recommendation,
        "rationale": interview.rationale,
        "submitted_at": interview.submitted_at,
        "submitted_by": interview.submitted_by.username if interview.submitted_by else None,
        "questions": [
            {
                "position": item.position + 1,
                "number": item.snapshot["number"],
                "key": item.snapshot["key"],
                "section": item.snapshot["section"],
                "score": item.score,
                "hint_given": item.hint_given,
                "key_points_covered": item.covered_points,
                "notes": item.notes,
                "notes_shared": item.notes_shared,
            }
            for item in items
        ],
        "summary": {
            **{k: frozen[k] for k in _SUMMARY_FIELDS},
            "rules_version": frozen["rules"]["version"],
            "criteria": [{k: c[k] for k in _CRITERION_FIELDS} for c in frozen["criteria"]],
            "estimate": _estimate(frozen.get("estimate")),
        },
    }


def _estimate(frozen: dict | None) -> dict | None:
    if not frozen:
        return None
    fields = ("probabilities", "most_likely", "runner_up", "settled", "statement", "model")
    return {k: frozen.get(k) for k in fields}


_SUMMARY_FIELDS = (
    "target_level",
    "estimated_level",
    "estimated_reason",
    "recommendation",
    "reasons",
    "coverage_gaps",
    "levels",
    "scored",
    "not_assessed",
    "unscored",
)
_CRITERION_FIELDS = ("key", "name", "group", "level", "mean", "count", "status")

api.add_router("/v1/", v1)
