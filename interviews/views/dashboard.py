"""The dashboard (every interview the user may read, searchable) and planning a new interview."""

import functools
from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts import roles
from config.jinja import url
from interviews import fragments, listing, services
from interviews.forms import DashboardSearchForm, InterviewForm, int_or_none
from interviews.models import Status
from interviews.views import access
from questionbank.levels import Level
from questionbank.models import Bank

DASHBOARD = "interviews/dashboard.html"  # templates/jinja2/
PAGE_SIZE = 25


@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardSearchForm(request.GET)
    form.is_valid()
    query, status = form.cleaned_data.get("q", ""), form.cleaned_data.get("status", "")
    sees_everyone = roles.has_role(request.user, roles.HIRING_MANAGERS)
    interviews = listing.InterviewList(
        user=request.user, everyone=sees_everyone, name=query, status=status
    )
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    _attach_row_text(page.object_list)
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "sees_everyone": sees_everyone,
        "is_interviewer": roles.has_role(request.user, roles.INTERVIEWERS),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return fragments.answer(request, DASHBOARD, "results", context)
    # The search pushes its URL: a history-cache miss asks htmx for that URL, with HX-Request, and
    # swaps the answer in as the whole page. It needs the page, not the fragment.
    due = _scorecards_due(request, sees_everyone=sees_everyone)
    return fragments.page(request, DASHBOARD, context | due)


def _scorecards_due(request: HttpRequest, *, sees_everyone: bool) -> dict:
    """The user's own scorecards awaiting submission, and for managers how many are overdue."""
    due = listing.awaiting_scorecard(request.user, limit=10)
    overdue = listing.overdue_count() if sees_everyone else 0
    now, zone = timezone.now(), timezone.get_current_timezone()
    for interview in due:
        interview.summary_url = url("interviews:summary", interview.code)
        due_at = interview.scorecard_due_at.astimezone(zone)
        interview.due_iso, interview.due_label = due_at.isoformat(), date_label(due_at, year=False)
        interview.is_overdue = due_at < now
    return {"due": due, "overdue_count": overdue}


def _attach_row_text(interviews) -> None:
    """Set on each interview the text its dashboard row prints.

    The same values the template's `{% url %}`, `|date`, `get_FOO_display` and number
    localisation gave, computed once here: per row, those tags and filters were most of the
    page's CPU (each looks up the language, the time zone and the format settings again). The
    time zone is looked up once, too: timezone.localtime() looks it up again at every call.
    """
    zone = timezone.get_current_timezone()
    for interview in interviews:
        scheduled = interview.scheduled_for.astimezone(zone)
        interview.live_url = url("interviews:live", interview.code)
        interview.level_label = Level.label_of(interview.target_level, str(interview.target_level))
        interview.status_label = Status(interview.status).label
        interview.progress_label = f"{interview.scored_count} / {interview.planned_count} scored"
        interview.scheduled_iso = scheduled.isoformat()  # what |date:"c" prints
        interview.scheduled_label = date_label(scheduled)


def date_label(moment: datetime, *, year: bool = True) -> str:
    """What `|date:"j M Y, H:i"` prints (or "j M, H:i" without the year), at a fifth of the cost.

    dateformat.format parses its format string and builds a formatter for every date it is
    given; the dashboard prints 35 of them per request. The month names are translated once per
    language, not at every date (each is a lazy translation: 5 µs a time).
    """
    label = f"{moment.day} {_month_names(translation.get_language())[moment.month]}"
    if year:
        label += f" {moment.year:04d}"
    return f"{label}, {moment.hour:02d}:{moment.minute:02d}"


@functools.cache
def _month_names(language: str | None) -> dict[int, str]:
    """The month abbreviations ("Jan" to "Dec") in `language`, the active language."""
    return {number: str(name).title() for number, name in MONTHS_3.items()}


@require_http_methods(["GET", "POST"])
@access.interviewers_only
def interview_new(request: HttpRequest) -> HttpResponse:
    form = InterviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        interview = services.create_interview(
            candidate=form.candidate_choice(),
            position=data["position"],
            target_level=data["target_level"],
            bank=data["bank"],
            planned_minutes=data["planned_minutes"],
            interviewers=data["interviewers"],
            specialist_areas=data["specialist_areas"],
            scheduled_for=data["scheduled_for"],
            created_by=request.user,
        )
        return redirect("interviews:plan", interview.code)
    return render(request, "interviews/new.html", {"form": form})


@require_GET
@vary_on_headers("HX-Request")
@access.interviewers_only
def interview_fields(request: HttpRequest) -> HttpResponse:
    """The level and specialist-area fields for the bank just chosen (htmx refresh)."""
    bank = Bank.objects.filter(pk=int_or_none(request.GET.get("bank"))).first()
    form = InterviewForm(user=request.user, bank=bank)
    if not request.htmx:
        return render(request, "interviews/new.html", {"form": form})
    return render(request, "interviews/new.html#bank-fields", {"form": form})
