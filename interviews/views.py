import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from accounts import roles
from config.security import navigation_only
from interviews import debrief, reports, services
from interviews.forms import (
    AuditFilterForm,
    DashboardSearchForm,
    DecisionForm,
    EraseForm,
    HintForm,
    InterviewForm,
    MoveForm,
    NotesForm,
    PointForm,
    PointsForm,
    ReopenForm,
    ReportForm,
    ScoreForm,
    SharingForm,
)
from interviews.models import (
    SCORE_MEANINGS,
    AuditAction,
    AuditEvent,
    Candidate,
    Interview,
    PlannedQuestion,
    Score,
    Status,
)
from questionbank.models import Bank, Question

PAGE_SIZE = 25
DASHBOARD_COLUMNS = (
    "code",
    "position",
    "target_level",
    "status",
    "scheduled_for",
    "candidate__name",
)


@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardSearchForm(request.GET)
    form.is_valid()
    query, status = form.cleaned_data.get("q", ""), form.cleaned_data.get("status", "")
    interviews = (
        Interview.objects.visible_to(request.user)
        .select_related("candidate")
        # Only what a row shows: decoding each frozen summary cost more than rendering the rows.
        .only(*DASHBOARD_COLUMNS)
        .order_by("-scheduled_for", "-pk")
    )
    if query:
        interviews = interviews.filter(candidate__name__icontains=query)
    if status in Status.values:
        interviews = interviews.filter(status=status)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    # Progress for this page only: aggregating every interview before paginating would not scale.
    Interview.attach_progress(page.object_list)
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "sees_everyone": roles.has_role(request.user, roles.HIRING_MANAGERS),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "interviews/dashboard.html#results", context)
    # The search pushes its URL: a history-cache miss asks htmx for that URL, with HX-Request, and
    # swaps the answer in as the whole page. It needs the page, not the fragment.
    return render(request, "interviews/dashboard.html", context | _scorecards_due(request, context))


def _scorecards_due(request: HttpRequest, context: dict) -> dict:
    """The user's own scorecards awaiting submission, and for managers how many are overdue."""
    due = (
        Interview.objects.editable_by(request.user)
        .awaiting_scorecard()
        .select_related("candidate")
        .only("code", "position", "ended_at", "candidate__name")
        .order_by("ended_at", "pk")
    )
    overdue = Interview.objects.overdue().count() if context["sees_everyone"] else 0
    return {"due": list(due[:10]), "overdue_count": overdue, "now": timezone.now()}


@require_http_methods(["GET", "POST"])
def interview_new(request: HttpRequest) -> HttpResponse:
    if not roles.has_role(request.user, roles.INTERVIEWERS):
        return render(request, "interviews/error.html", {"message": _NOT_INTERVIEWER}, status=403)
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
def interview_fields(request: HttpRequest) -> HttpResponse:
    """The level and specialist-area fields for the bank just chosen (htmx refresh)."""
    if not roles.has_role(request.user, roles.INTERVIEWERS):
        return render(request, "interviews/error.html", {"message": _NOT_INTERVIEWER}, status=403)
    bank = Bank.objects.filter(pk=_int(request.GET.get("bank"))).first()
    form = InterviewForm(user=request.user, bank=bank)
    if not request.htmx:
        return render(request, "interviews/new.html", {"form": form})
    return render(request, "interviews/new.html#bank-fields", {"form": form})


_NOT_INTERVIEWER = "Only interviewers can start interviews."


def _visible(request: HttpRequest, code) -> Interview:
    """The interview if this user may read it; 404 otherwise, so nothing about it leaks."""
    queryset = Interview.objects.visible_to(request.user).select_related("candidate", "bank")
    return get_object_or_404(queryset, code=code)


def _editable(request: HttpRequest, code) -> Interview:
    """The interview if this user runs it. Readers who are not on it get 404 too."""
    interview = get_object_or_404(
        Interview.objects.editable_by(request.user).select_related("candidate", "bank"), code=code
    )
    _check_writable(interview)
    return interview


def _check_writable(interview: Interview) -> None:
    """Refuse writes to a submitted scorecard (403) and to an erased candidate's interview (410:
    erasure ended it for good, and nothing typed afterwards may be kept)."""
    if interview.candidate.erased_at:
        raise _Refused(services.ERASED, status=410)
    if not interview.is_open:
        raise _Refused("This scorecard was submitted; it can no longer be changed.", status=403)


class _Refused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def _refusal(request: HttpRequest, refused: _Refused) -> HttpResponse:
    if request.htmx:
        return HttpResponse(refused.message, status=refused.status, content_type="text/plain")
    context = {"message": refused.message}
    return render(request, "interviews/error.html", context, status=refused.status)


def refuses(view):
    """Turn a _Refused raised by a view into a 4xx with its message, for htmx and plain forms."""

    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except _Refused as refused:
            response = _refusal(request, refused)
        # Both the refusal and these views' answers depend on whether htmx asked.
        patch_vary_headers(response, ["HX-Request"])
        return response

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _item(interview: Interview, item_code) -> PlannedQuestion:
    try:
        return get_object_or_404(PlannedQuestion, interview=interview, code=item_code)
    except ValidationError:
        # A malformed code can only come from a hand-made post (goto reads it from the form).
        raise Http404("No such question in this interview.") from None


# The plan ---------------------------------------------------------------------------------------


def _plan_context(interview: Interview, **extra) -> dict:
    items = list(interview.items.order_by("position"))
    review = services.plan_review(interview=interview, items=items)
    return {
        "interview": interview,
        "items": items,
        "review": review,
        "total_minutes": review["total_minutes"],
        **extra,
    }


@require_GET
def plan(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    context = _plan_context(interview, can_edit=_can_edit(request, interview))
    return render(request, "interviews/plan.html", context)


def _can_edit(request: HttpRequest, interview: Interview) -> bool:
    """Interviewers only ever see interviews they are on; hiring managers also read others'."""
    if not interview.is_open or interview.candidate.erased_at:
        return False
    if not roles.has_role(request.user, roles.HIRING_MANAGERS):
        return True
    return interview.interviewers.filter(pk=request.user.pk).exists()


def _plan_changed(request: HttpRequest, interview: Interview, what: str) -> HttpResponse:
    AuditEvent.record_edit(request.user, interview, f"plan: {what}")
    if request.htmx:
        context = _plan_context(interview, can_edit=True)
        response = render(request, "interviews/plan.html#plan-list", context)
        # The search results on the page fetch themselves again, so "Add"/"Added" stays true.
        return trigger_client_event(response, "plan-changed", after="settle")
    return redirect("interviews:plan", interview.code)


@require_POST
@refuses
def plan_add(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    pk = _int(request.POST.get("question"))
    question = Question.objects.filter(bank=interview.bank, pk=pk).in_use().first()
    if question is None:
        raise _Refused("Pick a question from this interview's bank.")
    if interview.items.filter(question=question).exists():
        raise _Refused("This question is already in the plan.")
    services.add_question(interview=interview, question=question)
    return _plan_changed(request, interview, f"added {question.number} ({question.key})")


@require_POST
@refuses
def plan_remove(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = _editable(request, code)
    item = _item(interview, item_code)
    services.remove_item(item=item)
    return _plan_changed(request, interview, f"removed {services.where(item)}")


@require_POST
@refuses
def plan_move(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = _editable(request, code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise _Refused("Move a question up or down.")
    item = _item(interview, item_code)
    services.move_item(item=item, offset=form.cleaned_data["offset"])
    direction = "up" if form.cleaned_data["offset"] < 0 else "down"
    return _plan_changed(request, interview, f"moved {services.where(item)} {direction}")


@require_POST
@refuses
def plan_swap(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = _editable(request, code)
    item = _item(interview, item_code)
    allowed = {q.pk: q for q in services.swap_options(item=item, limit=50)}
    question = allowed.get(_int(request.POST.get("question")))
    if question is None:
        raise _Refused("Pick one of the suggested alternatives.")
    was = services.where(item)
    services.swap_item(item=item, question=question)
    return _plan_changed(request, interview, f"swapped {was} for {services.where(item)}")


@require_GET
@vary_on_headers("HX-Request")
def plan_swap_options(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = _visible(request, code)
    item = _item(interview, item_code)
    options = services.swap_options(item=item)
    if request.htmx:
        context = {"interview": interview, "item": item, "options": options}
        return render(request, "interviews/plan.html#swap-options", context)
    context = _plan_context(interview, can_edit=_can_edit(request, interview))
    return render(
        request, "interviews/plan.html", {**context, "swap_item": item, "options": options}
    )


@require_GET
@vary_on_headers("HX-Request")
def plan_search(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    # NUL cannot be stored or searched for (PostgreSQL refuses it in a query); it means nothing.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    results, planned = [], set()
    if query:
        # Questions already planned are listed too, marked "Added": a search for one finds it.
        results = (
            Question.objects.filter(bank=interview.bank)
            .in_use()
            .filter(Q(prompt__icontains=query) | Q(answer__icontains=query) | Q(key=query))
            .select_related("section")[:20]
        )
        planned = set(interview.items.values_list("question_id", flat=True))
    found = {"interview": interview, "results": results, "query": query, "planned": planned}
    if request.htmx:
        return render(request, "interviews/plan.html#search-results", found)
    context = _plan_context(interview, can_edit=_can_edit(request, interview))
    return render(request, "interviews/plan.html", {**context, **found})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# The live view ------------------------------------------------------------------------------------


def _live_context(request: HttpRequest, interview: Interview) -> dict:
    items = list(interview.items.order_by("position"))
    current = next((i for i in items if i.pk == interview.current_id), items[0] if items else None)
    index = items.index(current) if current else 0
    return {
        "interview": interview,
        "items": items,
        "item": current,
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if index + 1 < len(items) else None,
        "scored": sum(1 for i in items if i.is_scored),
        "planned": len(items),
        "over_time": interview.elapsed_seconds() > interview.planned_minutes * 60,
        "scores": [(value, label, SCORE_MEANINGS[value]) for value, label in Score.choices],
        "can_edit": _can_edit(request, interview),
        "screen_url": request.build_absolute_uri(
            reverse("interviews:screen", args=[interview.screen_token])
        )
        if interview.screen_token
        else "",
    }


@require_GET
def live(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    return render(request, "interviews/live.html", _live_context(request, interview))


@require_POST
@refuses
def goto(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    interview.move_to(_item(interview, request.POST.get("item")))
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def start(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    interview.start()
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def end(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    services.end_interview(interview=interview)
    return redirect("interviews:live", interview.code)


def _item_saved(
    request: HttpRequest,
    interview: Interview,
    item: PlannedQuestion,
    fragment: str,
    change: tuple,
    free_text: bool = False,
):
    """The autosave answer: only the fragments that changed, built from the item alone.

    `change` is (field, before, after) for the audit log (AuditEvent.record_edit).
    """
    field, before, after = change
    AuditEvent.record_edit(
        request.user,
        interview,
        lambda: f"{services.where(item)} {field}",
        before,
        after,
        free_text=free_text,
    )
    if not request.htmx:
        return redirect("interviews:live", interview.code)
    context = {"interview": interview, "item": item, "can_edit": True}
    if fragment == "score-saved":
        context.update(interview.progress())
    return render(request, f"interviews/live.html#{fragment}", context)


def _item_for_edit(
    request: HttpRequest, code, item_code, fields=()
) -> tuple[Interview, PlannedQuestion]:
    """The item and its interview in one query, if this user runs the interview (else 404).

    `fields` narrows the item's columns for the hottest path, autosave, which needs neither the
    snapshot nor the interview's details (decoding them was a third of its cost).
    """
    items = PlannedQuestion.objects.select_related("interview__candidate")
    if fields:
        items = items.only(
            *fields, "interview__code", "interview__status", "interview__candidate__erased_at"
        )
    item = get_object_or_404(
        items,
        code=item_code,
        interview__code=code,
        interview__interviewers=request.user,
    )
    _check_writable(item.interview)
    return item.interview, item


@require_POST
@refuses
def item_score(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = _item_for_edit(request, code, item_code)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        raise _Refused(form.errors["score"][0])
    before, item.score = item.score, form.cleaned_data["score"]
    item.save(update_fields=["score", "updated"])
    # The suggestion panel listens for "scored" and asks for a fresh next question.
    response = _item_saved(request, interview, item, "score-saved", ("score", before, item.score))
    return trigger_client_event(response, "scored")


@require_GET
@vary_on_headers("HX-Request")
def suggestion(request: HttpRequest, code) -> HttpResponse:
    """The adaptive next question: a fragment for htmx, the live page with it otherwise."""
    interview = _visible(request, code)
    can_edit = _can_edit(request, interview)
    context = {
        "interview": interview,
        "can_edit": can_edit,
        "suggestion": services.suggest_next(interview=interview) if can_edit else None,
        "suggested": True,
    }
    if request.htmx:
        return render(request, "interviews/live.html#suggestion", context)
    return render(request, "interviews/live.html", {**_live_context(request, interview), **context})


@require_POST
@refuses
def suggestion_accept(request: HttpRequest, code) -> HttpResponse:
    """Insert the suggested question after the current one: the plan changes only here."""
    interview = _editable(request, code)
    question = Question.objects.filter(
        bank=interview.bank, pk=_int(request.POST.get("question"))
    ).first()
    if question is None:
        raise _Refused("Pick a question from this interview's bank.")
    if question.pk in interview.candidate.asked_question_ids():
        raise _Refused("This candidate already has this question in the loop.")
    services.insert_after_current(interview=interview, question=question)
    detail = f"plan: added suggested {question.number} ({question.key})"
    AuditEvent.record_edit(request.user, interview, detail)
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def item_points(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = _item_for_edit(request, code, item_code)
    count = len(item.snapshot["key_points"])
    before = _point_numbers(item.covered_points)
    if "index" in request.POST:
        form = PointForm(request.POST, count=count)
        if not form.is_valid():
            raise _Refused("This question has no such key point.")
        item.set_point(form.cleaned_data["index"], form.covered)
    else:
        form = PointsForm(request.POST, count=count)
        if not form.is_valid():
            raise _Refused("This question has no such key point.")
        item.covered_points = sorted(set(form.cleaned_data["points"]))
        item.save(update_fields=["covered_points", "updated"])
    change = ("key points", before, _point_numbers(item.covered_points))
    return _item_saved(request, interview, item, "points-saved", change)


def _point_numbers(indexes: list[int]) -> list[int]:
    """Key points as the page numbers them, from 1."""
    return [i + 1 for i in indexes]


@require_POST
@refuses
def item_hint(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = _item_for_edit(request, code, item_code)
    form = HintForm(request.POST)
    form.is_valid()
    before, item.hint_given = item.hint_given, form.cleaned_data["hint_given"]
    item.save(update_fields=["hint_given", "updated"])
    change = ("hint given", before, item.hint_given)
    return _item_saved(request, interview, item, "hint-saved", change)


@require_POST
@refuses
def item_notes(request: HttpRequest, code, item_code) -> HttpResponse:
    """Save notes unless someone saved since this page loaded them: then 409 with both texts."""
    fields = ("code", "score", "notes", "notes_version", "updated")
    interview, item = _item_for_edit(request, code, item_code, fields)
    form = NotesForm(request.POST)
    if not form.is_valid():
        raise _Refused("Notes could not be read: " + "; ".join(e[0] for e in form.errors.values()))
    mine, before = form.cleaned_data["notes"], item.notes
    # Text that is already saved (a retry, the save on leaving the box, a second tab typing the
    # same) needs no write and is no conflict: the answer carries the version it is saved at.
    if mine == item.notes or item.save_notes(mine, form.cleaned_data["version"]):
        change = ("notes", before, item.notes)
        return _item_saved(request, interview, item, "notes-saved", change, free_text=True)
    # The conflict page shows the whole live view: read the interview and item in full again.
    interview, item = _item_for_edit(request, code, item_code)
    context = {**_live_context(request, interview), "item": item, "mine": mine}
    template = "interviews/live.html#notes-conflict" if request.htmx else "interviews/conflict.html"
    return render(request, template, context, status=409)


# The candidate screen -----------------------------------------------------------------------------


@require_POST
@refuses
def screen_open(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    if interview.status not in (Status.UPCOMING, Status.IN_PROGRESS):
        raise _Refused("The interview has ended; its candidate screen is closed.")
    interview.open_screen()
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def screen_revoke(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    interview.revoke_screen()
    return redirect("interviews:live", interview.code)


# Screen tokens are secrets.token_urlsafe (Interview.open_screen); anything else is no token, and
# must not reach the database (PostgreSQL refuses a NUL in a query).
_SCREEN_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _screen_interview(token: str) -> Interview:
    if not _SCREEN_TOKEN.fullmatch(token):
        raise Http404("This screen link is not active.")
    interview = (
        Interview.objects.filter(
            screen_token=token, status__in=[Status.UPCOMING, Status.IN_PROGRESS]
        )
        .select_related("current")
        .first()
    )
    if interview is None or not token:
        raise Http404("This screen link is not active.")
    return interview


@login_not_required
@require_GET
@never_cache
def screen(request: HttpRequest, token: str) -> HttpResponse:
    """What the candidate sees: the current question's prompt and nothing else."""
    interview = _screen_interview(token)
    return render(request, "interviews/screen.html", _screen_context(interview, token))


def _screen_context(interview: Interview, token: str) -> dict:
    """The candidate sees where they are ("Question 3 of 8"), never the bank's numbering."""
    return {"interview": interview, "token": token, "question_count": interview.items.count()}


@login_not_required
@require_GET
@never_cache
def screen_current(request: HttpRequest, token: str) -> HttpResponse:
    try:
        interview = _screen_interview(token)
    except Http404:
        # 410 tells the polling page to stop and say the link has ended.
        return render(request, "interviews/screen.html#screen-ended", status=410)
    return render(
        request, "interviews/screen.html#screen-question", _screen_context(interview, token)
    )


@require_POST
@refuses
def item_sharing(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = _item_for_edit(request, code, item_code)
    form = SharingForm(request.POST)
    form.is_valid()
    before, item.notes_shared = item.notes_shared, form.cleaned_data["notes_shared"]
    item.save(update_fields=["notes_shared", "updated"])
    change = ("notes shared with the candidate", before, item.notes_shared)
    return _item_saved(request, interview, item, "hint-saved", change)


# Summary, decision and reports ---------------------------------------------------------------------


def _summary_of(interview: Interview, items: list[PlannedQuestion]):
    """The summary, or a clear refusal when the bank lost the interview's level (never a 500)."""
    try:
        return services.summary_for(interview=interview, items=items)
    except services.SummaryUnavailable as e:
        raise _Refused(str(e), status=409) from None


def _summary_context(request: HttpRequest, interview: Interview, **extra) -> dict:
    items = list(interview.items.order_by("position"))
    summary = _summary_of(interview, items)
    return {
        "interview": interview,
        "items": items,
        "summary": summary,
        "chart": reports.criteria_chart(summary),
        "can_edit": _can_edit(request, interview),
        "is_interviewer": any(u.pk == request.user.pk for u in interview.interviewers.all()),
        "problems": services.submission_problems(interview=interview, items=items),
        "reopenings": interview.reopenings.select_related("by"),
        "can_read_debrief": interview.candidate.debrief_access(
            request.user, interview.candidate.loop()
        )
        == "open",
        **extra,
    }


@require_GET
@refuses
@navigation_only
def summary(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    AuditEvent.record(request.user, AuditAction.VIEWED, interview, "summary")
    initial = {"recommendation": interview.recommendation, "rationale": interview.rationale}
    context = _summary_context(
        request, interview, decision=DecisionForm(initial=initial), reopen=ReopenForm()
    )
    return render(request, "interviews/summary.html", context)


@require_POST
@refuses
def submit(request: HttpRequest, code) -> HttpResponse:
    interview = _editable(request, code)
    form = DecisionForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.submit_scorecard(interview=interview, by=request.user, **form.cleaned_data)
        except services.ScorecardError as e:
            errors = e.messages
        else:
            messages.success(request, "Scorecard submitted. It is now frozen as shown.")
            return redirect("interviews:summary", interview.code)
    context = _summary_context(request, interview, decision=form, reopen=ReopenForm())
    return render(
        request, "interviews/summary.html", {**context, "submit_errors": errors}, status=400
    )


@require_POST
@refuses
def reopen(request: HttpRequest, code) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.editable_by(request.user).select_related("candidate"), code=code
    )
    if interview.candidate.erased_at:
        raise _Refused(services.ERASED, status=410)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_scorecard(interview=interview, by=request.user, **form.cleaned_data)
        except services.ScorecardError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, "Scorecard reopened; the reopening is recorded.")
            return redirect("interviews:summary", interview.code)
    context = _summary_context(request, interview, decision=DecisionForm(), reopen=form)
    return render(request, "interviews/summary.html", context, status=400)


def _report_context(request: HttpRequest, interview: Interview) -> dict:
    form = ReportForm(request.GET)
    profile = form.cleaned_data["profile"] if form.is_valid() else "internal"
    context = _summary_context(request, interview, profile=profile)
    if profile == "candidate":
        context["feedback"] = reports.candidate_feedback(context["items"])
    return context


@require_GET
@refuses
@navigation_only
def report(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    AuditEvent.record(request.user, AuditAction.VIEWED, interview, "report")
    return render(request, "interviews/report.html", _report_context(request, interview))


@require_GET
@refuses
@navigation_only
def report_pdf(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    context = _report_context(request, interview)
    html = render_to_string("interviews/report.html", {**context, "for_pdf": True}, request)
    pdf = reports.render_pdf(html, base_url=request.build_absolute_uri("/"))
    name = reports.file_name(interview, f"report-{context['profile']}", "pdf")
    # Not the file name: it carries the candidate's name, and erasure cannot edit the audit log.
    detail = f"report pdf ({context['profile']})"
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, detail)
    return _download(pdf, "application/pdf", name)


@require_GET
@navigation_only
def export_csv(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    items = list(interview.items.order_by("position"))
    body = reports.scorecard_csv(interview, items)
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, "csv")
    return _download(
        body, "text/csv; charset=utf-8", reports.file_name(interview, "scorecard", "csv")
    )


@require_GET
@refuses
@navigation_only
def export_json(request: HttpRequest, code) -> HttpResponse:
    interview = _visible(request, code)
    items = list(interview.items.order_by("position"))
    data = reports.scorecard_json(interview, items, _summary_of(interview, items))
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, "json")
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = _attachment(reports.file_name(interview, "scorecard", "json"))
    return response


def _attachment(name: str) -> str:
    return f'attachment; filename="{name}"'


def _download(body, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = _attachment(name)
    return response


# The debrief -------------------------------------------------------------------------------------


def _debrief_context(request: HttpRequest, candidate_code) -> dict:
    candidate = get_object_or_404(Candidate, code=candidate_code)
    loop = candidate.loop()
    # Only interviews set up by someone who may add interviewers to this loop put a user on its
    # panel (Candidate.panel_interviews); one planned for oneself counts for nothing.
    access = candidate.debrief_access(request.user, loop)
    if access == "none":
        raise Http404("No such candidate.")
    if access == "pending":
        raise _Refused(
            "Submit your own scorecard first: the panel's scores stay hidden until you have.",
            status=403,
        )
    is_manager = roles.has_role(request.user, roles.HIRING_MANAGERS)
    readable = {
        i.pk
        for i in loop
        if is_manager or any(u.pk == request.user.pk for u in i.interviewers.all())
    }
    return {
        "candidate": candidate,
        "can_manage_privacy": is_manager,
        "readable": readable,
        **debrief.build(loop),
    }


@require_GET
@navigation_only
@refuses
def debrief_view(request: HttpRequest, candidate_code) -> HttpResponse:
    context = _debrief_context(request, candidate_code)
    AuditEvent.record(request.user, AuditAction.VIEWED, context["candidate"], "debrief")
    return render(request, "interviews/debrief.html", context)


@require_GET
@navigation_only
@refuses
def debrief_pdf(request: HttpRequest, candidate_code) -> HttpResponse:
    context = _debrief_context(request, candidate_code)
    html = render_to_string("interviews/debrief.html", {**context, "for_pdf": True}, request)
    pdf = reports.render_pdf(html, base_url=request.build_absolute_uri("/"))
    name = slugify(context["candidate"].name)[:40] or "candidate"
    AuditEvent.record(request.user, AuditAction.EXPORTED, context["candidate"], "debrief pdf")
    return _download(pdf, "application/pdf", f"{name}_debrief.pdf")


# Privacy and the audit log ------------------------------------------------------------------------


def _manager_only(request: HttpRequest) -> None:
    if not roles.has_role(request.user, roles.HIRING_MANAGERS):
        raise Http404("No such page.")


@require_GET
@navigation_only
def candidate_export(request: HttpRequest, candidate_code) -> HttpResponse:
    """Everything held about a candidate, as JSON: for a subject access request."""
    _manager_only(request)
    candidate = get_object_or_404(Candidate, code=candidate_code)
    AuditEvent.record(request.user, AuditAction.EXPORTED, candidate, "personal data export")
    response = JsonResponse(
        services.candidate_export(candidate=candidate), json_dumps_params={"indent": 2}
    )
    name = slugify(candidate.name)[:40] or "candidate"
    response["Content-Disposition"] = _attachment(f"{name}_personal-data.json")
    return response


@require_http_methods(["GET", "POST"])
def candidate_erase(request: HttpRequest, candidate_code) -> HttpResponse:
    """Confirm, then erase a candidate's personal data and free text."""
    _manager_only(request)
    candidate = get_object_or_404(Candidate, code=candidate_code)
    form = EraseForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        services.erase_candidate(candidate=candidate, by=request.user)
        messages.success(request, "The candidate's personal data and notes were erased.")
        return redirect("interviews:dashboard")
    interviews = candidate.interviews.count()
    context = {"candidate": candidate, "form": form, "interviews": interviews}
    return render(request, "interviews/erase.html", context)


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _audit_filters(request)
    events = AuditEvent.objects.matching(**form.filters())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    AuditEvent.describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "interviews/audit.html", {"page": page, "form": form, "query": query.urlencode()}
    )


@require_GET
@navigation_only
def audit_csv(request: HttpRequest) -> HttpResponse:
    form = _audit_filters(request)
    events = list(AuditEvent.objects.matching(**form.filters())[: reports.AUDIT_CSV_LIMIT])
    body = reports.audit_csv(AuditEvent.describe(events))
    return _download(body, "text/csv; charset=utf-8", "audit-log.csv")


def _audit_filters(request: HttpRequest) -> AuditFilterForm:
    """The audit log is for hiring managers and staff; anyone else is told there is no such page."""
    if not (request.user.is_staff or roles.has_role(request.user, roles.HIRING_MANAGERS)):
        raise Http404("No such page.")
    return AuditFilterForm(request.GET)
