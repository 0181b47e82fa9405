"""The scorecard: its summary, the decision submitted (and reopened), reports and exports."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.security import navigation_only
from interviews import reports, services
from interviews.forms import DecisionForm, ReopenForm, ReportForm
from interviews.models import AuditAction, AuditEvent, Interview, PlannedQuestion
from interviews.views import access, files
from interviews.views.access import Refused, refuses
from interviews.views.files import attachment, download


def _summary_of(interview: Interview, items: list[PlannedQuestion]):
    """The summary, or a clear refusal when the bank lost the interview's level (never a 500)."""
    try:
        return services.summary_for(interview=interview, items=items)
    except services.SummaryUnavailable as e:
        raise Refused(str(e), status=409) from None


def _summary_context(request: HttpRequest, interview: Interview, **extra) -> dict:
    items = list(interview.items.order_by("position"))
    summary = _summary_of(interview, items)
    return {
        "interview": interview,
        "items": items,
        "summary": summary,
        "chart": reports.criteria_chart(summary),
        "can_edit": access.can_edit(request, interview),
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
    interview = access.visible(request, code)
    AuditEvent.record(request.user, AuditAction.VIEWED, interview, "summary")
    initial = {"recommendation": interview.recommendation, "rationale": interview.rationale}
    context = _summary_context(
        request, interview, decision=DecisionForm(initial=initial), reopen=ReopenForm()
    )
    return render(request, "interviews/summary.html", context)


@require_POST
@refuses
def submit(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
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
    interview = access.reopenable(request, code)
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
    interview = access.visible(request, code)
    AuditEvent.record(request.user, AuditAction.VIEWED, interview, "report")
    return render(request, "interviews/report.html", _report_context(request, interview))


@require_GET
@refuses
@navigation_only
def report_pdf(request: HttpRequest, code) -> HttpResponse:
    interview = access.visible(request, code)
    context = _report_context(request, interview)
    query = f"?profile={context['profile']}"
    path = reverse("interviews:report_pdf", args=[code]) + query
    pdf = files.printout(
        request, "interviews/report.html", context, candidate=interview.candidate, path=path
    )
    if not pdf.ready:
        back = reverse("interviews:report", args=[code]) + query
        kind = "candidate-safe report" if context["profile"] == "candidate" else "report"
        title = f"{interview.candidate.name}'s {kind}"
        return files.waiting(request, pdf, title=title, back=back)
    name = reports.file_name(interview, f"report-{context['profile']}", "pdf")
    # Not the file name: it carries the candidate's name, and erasure cannot edit the audit log.
    detail = f"report pdf ({context['profile']})"
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, detail)
    return download(pdf.pdf, "application/pdf", name)


@require_GET
@navigation_only
def export_csv(request: HttpRequest, code) -> HttpResponse:
    interview = access.visible(request, code)
    items = list(interview.items.order_by("position"))
    body = reports.scorecard_csv(interview, items)
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, "csv")
    name = reports.file_name(interview, "scorecard", "csv")
    return download(body, "text/csv; charset=utf-8", name)


@require_GET
@refuses
@navigation_only
def export_json(request: HttpRequest, code) -> HttpResponse:
    interview = access.visible(request, code)
    items = list(interview.items.order_by("position"))
    data = reports.scorecard_json(interview, items, _summary_of(interview, items))
    AuditEvent.record(request.user, AuditAction.EXPORTED, interview, "json")
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    return attachment(response, reports.file_name(interview, "scorecard", "json"))
