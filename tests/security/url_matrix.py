"""The access matrix: for every URL pattern, the status each role gets. ONE table.

Columns, always in this order (see helpers.ROLES):

    anonymous      not logged in
    outsider       an interviewer who is not on the candidate's interviews
    owner          the interviewer whose interview fills the URL
    panel_before   the candidate's other interviewer, before submitting their own scorecard
    panel_after    the same, after submitting it
    manager        a hiring manager
    editor         a bank editor (staff, question bank permissions only)
    intruder       an interviewer who planned an interview for themselves on the candidate's loop
                   (around the form, which offers only candidates whose loop one may add to),
                   scored and submitted it: still an outsider, the debrief included

Every interview URL is filled with the owner's interview, every candidate URL with its candidate
(helpers.build_world). Someone else's object answers 404, exactly like one that does not exist:
a 403 would confirm that it exists. 403 is kept for refusals about the user, not the object
(an editor cannot start interviews; a panel interviewer must submit before seeing the debrief).

A pattern without a row fails test_url_matrix with its name. Rows for the admin's standard
ModelAdmin pages are derived by `_admin_model_row` (documented there), and nothing else is.
"""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    method: str
    statuses: tuple[int, int, int, int, int, int, int, int]
    # POST fields; "{name}" is filled from the world's parameters (helpers.World.params).
    data: dict[str, str] = field(default_factory=dict)
    # Sent as a JSON body (the API) instead of a form.
    json: bool = False


def GET(*statuses: int, **data: str) -> Row:
    return Row("GET", statuses, data)


def POST(*statuses: int, **data: str) -> Row:
    return Row("POST", statuses, data)


def API(method: str, *statuses: int, **data) -> Row:
    return Row(method, statuses, data, json=True)


# Owner-only writes: everyone else, managers included, gets 404 (editable_by is "on the interview").
def _write(owner: int = 302, **data: str) -> Row:
    return POST(302, 404, owner, 404, 404, 404, 404, 404, **data)


# Reads of one interview: its interviewers and hiring managers.
READ = GET(302, 404, 200, 404, 404, 200, 404, 404)
# Only a hiring manager, and 404 for everyone else: the page does not exist for them.
MANAGER_ONLY = GET(302, 404, 404, 404, 404, 200, 404, 404)
# The admin for a staff user who is not allowed in, and for everyone who is not staff.
ADMIN = {
    200: GET(302, 302, 302, 302, 302, 302, 200, 302),
    403: GET(302, 302, 302, 302, 302, 302, 403, 302),
}

CANDIDATE_BODY = {"name": "Grace Hopper", "external_id": "ATS-NEW"}
PATCH_BODY = {"version": 1, "name": "Renamed"}
INTERVIEW_BODY = {
    "candidate": "{candidate_code}",
    "position": "ML Engineer",
    "target_level": "senior",
    "bank": "{bank_slug}",
    "interviewers": ["owner"],
}

TABLE: dict[str, Row] = {
    # Statuses for (anonymous, outsider, owner, panel_before, panel_after, manager, editor, intruder).
    "interviews:dashboard": GET(302, 200, 200, 200, 200, 200, 200, 200),
    "interviews:new": GET(302, 200, 200, 200, 200, 403, 403, 200),
    "interviews:new_fields": GET(302, 200, 200, 200, 200, 403, 403, 200),
    "interviews:live": READ,
    "interviews:suggestion": READ,
    "interviews:suggestion_accept": _write(question="{spare_question}"),
    "interviews:start": _write(),
    "interviews:end": _write(),
    "interviews:goto": _write(item="{other_item_code}"),
    "interviews:plan": READ,
    "interviews:plan_add": _write(question="{spare_question}"),
    "interviews:plan_search": READ,
    "interviews:plan_remove": _write(),
    "interviews:plan_move": _write(offset="1"),
    "interviews:plan_swap": _write(question="{swap_question}"),
    "interviews:plan_swap_options": READ,
    "interviews:item_score": _write(score="3"),
    "interviews:item_points": _write(),
    "interviews:item_hint": _write(hint_given="on"),
    "interviews:item_notes": _write(notes="Knew the trade-offs.", version="0"),
    "interviews:item_sharing": _write(notes_shared="on"),
    "interviews:summary": READ,
    "interviews:submit": _write(recommendation="hire", rationale="Clear and careful."),
    # The owner may reopen, but this scorecard is not submitted: refused with a reason (400).
    "interviews:reopen": _write(owner=400, reason="A score was mistyped."),
    "interviews:report": READ,
    "interviews:report_pdf": READ,
    "interviews:export_csv": READ,
    "interviews:export_json": READ,
    # Independent scoring: the panel sees each other's scores only after submitting their own.
    "interviews:debrief": GET(302, 404, 403, 403, 200, 200, 404, 404),
    "interviews:debrief_pdf": GET(302, 404, 403, 403, 200, 200, 404, 404),
    # The page waiting for a PDF polls it: only the person who asked for that PDF.
    "interviews:printout_status": GET(302, 404, 200, 404, 404, 404, 404, 404),
    "interviews:candidate_export": MANAGER_ONLY,
    "interviews:candidate_erase": MANAGER_ONLY,
    "interviews:audit": GET(302, 404, 404, 404, 404, 200, 200, 404),
    "interviews:audit_csv": GET(302, 404, 404, 404, 404, 200, 200, 404),
    "interviews:screen_open": _write(),
    "interviews:screen_revoke": _write(),
    # The candidate screen: public behind its token, for whoever holds the link.
    "interviews:screen": GET(200, 200, 200, 200, 200, 200, 200, 200),
    "interviews:screen_current": GET(200, 200, 200, 200, 200, 200, 200, 200),
    # The icon browsers ask for by name, for everyone: a redirect to static/favicon.svg.
    "favicon": GET(302, 302, 302, 302, 302, 302, 302, 302),
    # Analytics: calibration and agreement for hiring managers; "my calibration" for every
    # interviewer; question analytics for bank editors (and managers, read-only); only editors
    # retire or mark a question leaked.
    "interviews:analytics_calibration": MANAGER_ONLY,
    "interviews:analytics_calibration_csv": MANAGER_ONLY,
    "interviews:analytics_agreement": MANAGER_ONLY,
    "interviews:analytics_agreement_csv": MANAGER_ONLY,
    "interviews:analytics_mine": GET(302, 200, 200, 200, 200, 404, 404, 200),
    "interviews:analytics_mine_csv": GET(302, 200, 200, 200, 200, 404, 404, 200),
    "interviews:analytics_questions": GET(302, 404, 404, 404, 404, 200, 200, 404),
    "interviews:analytics_questions_csv": GET(302, 404, 404, 404, 404, 200, 200, 404),
    "interviews:analytics_question_status": POST(
        302, 404, 404, 404, 404, 404, 302, 404, question="{spare_question}", status="in_use"
    ),
    # django.contrib.auth's views, those config/urls.py includes.
    "login": GET(200, 200, 200, 200, 200, 200, 200, 200),
    "logout": POST(302, 302, 302, 302, 302, 302, 302, 302),
    "password_change": GET(302, 200, 200, 200, 200, 200, 200, 200),
    "password_change_done": GET(302, 200, 200, 200, 200, 200, 200, 200),
    # The admin site (the standard pages of each model come from _admin_model_row below).
    "admin:index": ADMIN[200],
    # A logged-in user who is not staff may log in again as someone who is; staff go to the index.
    "admin:login": GET(200, 200, 200, 200, 200, 200, 302, 200),
    # Staff are logged out and sent to LOGOUT_REDIRECT_URL; the others to the admin's login.
    "admin:logout": POST(302, 302, 302, 302, 302, 302, 302, 302),
    "admin:password_change": ADMIN[200],
    "admin:password_change_done": ADMIN[200],
    # No ModelAdmin here uses autocomplete_fields, so every autocomplete request is refused.
    "admin:autocomplete": ADMIN[403],
    "admin:jsi18n": ADMIN[200],
    "admin:view_on_site": GET(302, 302, 302, 302, 302, 302, 302, 302),
    "admin:app_list": ADMIN[200],
    "admin:questionbank_bank_import": ADMIN[200],
    "admin:questionbank_bank_export": ADMIN[200],
    "admin:auth_user_password_change": ADMIN[403],
    # The admin's unnamed catch-all: an unknown admin URL is a 404, for staff only.
    "admin/(?P<url>.*)$": GET(302, 302, 302, 302, 302, 302, 404, 302),
    # The REST API through a browser session (API keys: KEY_TABLE below). It answers 401 itself,
    # never the login redirect. Reads show what the app shows each role (the intruder reads the
    # candidate of their own interview, never the debrief); writes are for hiring managers only,
    # refused (403) before the body is read. The schema and docs are public.
    "api:api-root": GET(404, 404, 404, 404, 404, 404, 404, 404),
    "api:openapi-json": GET(200, 200, 200, 200, 200, 200, 200, 200),
    "api:openapi-view": GET(200, 200, 200, 200, 200, 200, 200, 200),
    "api_unknown": GET(404, 404, 404, 404, 404, 404, 404, 404),
    "api:list_candidates": API("GET", 401, 200, 200, 200, 200, 200, 200, 200),
    "api:create_candidate": API("POST", 401, 403, 403, 403, 403, 201, 403, 403, **CANDIDATE_BODY),
    "api:read_candidate": API("GET", 401, 404, 200, 200, 200, 200, 404, 200),
    "api:update_candidate": API("PATCH", 401, 403, 403, 403, 403, 200, 403, 403, **PATCH_BODY),
    "api:read_debrief": API("GET", 401, 404, 403, 403, 200, 200, 404, 404),
    "api:list_interviews": API("GET", 401, 200, 200, 200, 200, 200, 200, 200),
    "api:schedule_interview": API("POST", 401, 403, 403, 403, 403, 201, 403, 403, **INTERVIEW_BODY),
    "api:read_interview": API("GET", 401, 404, 200, 404, 404, 200, 404, 404),
    "api:read_plan": API("GET", 401, 404, 200, 404, 404, 200, 404, 404),
    # The owner's scorecard is not submitted yet: 409 to those who may read it.
    "api:read_scorecard": API("GET", 401, 404, 409, 404, 404, 409, 404, 404),
    # Hiring managers' pages: API keys, webhooks, overdue scorecards.
    "api_keys": MANAGER_ONLY,
    "api_key_revoke": POST(302, 404, 404, 404, 404, 302, 404, 404),
    "integrations:webhooks": MANAGER_ONLY,
    "integrations:webhook": MANAGER_ONLY,
    "integrations:webhook_delete": POST(302, 404, 404, 404, 404, 302, 404, 404),
    "integrations:webhook_rotate": POST(302, 404, 404, 404, 404, 302, 404, 404),
    "integrations:redeliver": POST(302, 404, 404, 404, 404, 302, 404, 404),
    "integrations:overdue": MANAGER_ONLY,
}

# Every API pattern called with an API key and no session, for each kind of key: none, one that
# does not exist, a revoked one, a read key and a write key (both made by a hiring manager).
KEY_COLUMNS = ("no_key", "unknown_key", "revoked_key", "read_key", "write_key")
KEY_TABLE: dict[str, tuple[int, int, int, int, int]] = {
    "api:api-root": (404, 404, 404, 404, 404),
    "api:openapi-json": (200, 200, 200, 200, 200),
    "api:openapi-view": (200, 200, 200, 200, 200),
    "api_unknown": (404, 404, 404, 404, 404),
    "api:list_candidates": (401, 401, 401, 200, 200),
    "api:create_candidate": (401, 401, 401, 403, 201),
    "api:read_candidate": (401, 401, 401, 200, 200),
    "api:update_candidate": (401, 401, 401, 403, 200),
    "api:read_debrief": (401, 401, 401, 200, 200),
    "api:list_interviews": (401, 401, 401, 200, 200),
    "api:schedule_interview": (401, 401, 401, 403, 201),
    "api:read_interview": (401, 401, 401, 200, 200),
    "api:read_plan": (401, 401, 401, 200, 200),
    "api:read_scorecard": (401, 401, 401, 409, 409),
}

_ADMIN_MODEL_NAME = re.compile(
    r"^admin:(?P<app>[a-z_]+)_(?P<model>[a-z]+)_(?:changelist|add|history|delete|change)$"
)
# App labels may hold underscores (django-tasks-db's is django_tasks_database); model names do not.
_ADMIN_MODEL_REDIRECT = re.compile(r"^admin/(?P<app>[a-z_]+)/(?P<model>[a-z]+)/<path:object_id>/$")
# Bank editors hold every question bank permission and nothing else (interviews/migrations/0001).
_EDITOR_APPS = {"questionbank"}


def _admin_model_row(key: str, route: str) -> Row | None:
    """The admin's standard pages of a registered model: changelist, add, history, delete, change,
    and the unnamed <object_id>/ redirect to change/.

    Not staff (or anonymous): redirected to a login page. A bank editor: 200 in the question bank
    app, 403 elsewhere (auth); the bare <object_id>/ URL redirects (302) before any permission
    check, in every app.
    """
    if _ADMIN_MODEL_NAME.match(key):
        app = _ADMIN_MODEL_NAME.match(key)["app"]
        return ADMIN[200] if app in _EDITOR_APPS else ADMIN[403]
    if key == route and _ADMIN_MODEL_REDIRECT.match(route):
        return GET(302, 302, 302, 302, 302, 302, 302, 302)
    return None


def expected_row(key: str, route: str) -> Row | None:
    """The row for a pattern: its own, else the admin rule's, else None (a missing entry)."""
    return TABLE.get(key) or _admin_model_row(key, route)
