"""A candidate across their loop: the panel's debrief, and for hiring managers their personal
data (export for a subject access request, erasure) and the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts import roles
from config.security import navigation_only
from interviews import debrief, reports, services
from interviews.forms import AuditFilterForm, EraseForm
from interviews.models import AuditAction, AuditEvent
from interviews.views import access, files
from interviews.views.access import refuses
from interviews.views.files import attachment, download

# The debrief ---------------------------------------------------------------------------------------


def _debrief_context(request: HttpRequest, candidate_code) -> dict:
    candidate, loop = access.debrief_loop(request, candidate_code)
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
    candidate = context["candidate"]
    path = reverse("interviews:debrief_pdf", args=[candidate_code])
    pdf = files.printout(
        request, "interviews/debrief.html", context, candidate=candidate, path=path
    )
    if not pdf.ready:
        back = reverse("interviews:debrief", args=[candidate_code])
        return files.waiting(request, pdf, title=f"{candidate.name}'s debrief", back=back)
    name = slugify(candidate.name)[:40] or "candidate"
    AuditEvent.record(request.user, AuditAction.EXPORTED, candidate, "debrief pdf")
    return download(pdf.pdf, "application/pdf", f"{name}_debrief.pdf")


# Privacy -------------------------------------------------------------------------------------------


@require_GET
@navigation_only
def candidate_export(request: HttpRequest, candidate_code) -> HttpResponse:
    """Everything held about a candidate, as JSON: for a subject access request."""
    candidate = access.managed_candidate(request, candidate_code)
    AuditEvent.record(request.user, AuditAction.EXPORTED, candidate, "personal data export")
    data = services.candidate_export(candidate=candidate)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    name = slugify(candidate.name)[:40] or "candidate"
    return attachment(response, f"{name}_personal-data.json")


@require_http_methods(["GET", "POST"])
def candidate_erase(request: HttpRequest, candidate_code) -> HttpResponse:
    """Confirm, then erase a candidate's personal data and free text."""
    candidate = access.managed_candidate(request, candidate_code)
    form = EraseForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        services.erase_candidate(candidate=candidate, by=request.user)
        messages.success(request, "The candidate's personal data and notes were erased.")
        return redirect("interviews:dashboard")
    interviews = candidate.interviews.count()
    context = {"candidate": candidate, "form": form, "interviews": interviews}
    return render(request, "interviews/erase.html", context)


# The audit log -------------------------------------------------------------------------------------


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
    return download(body, "text/csv; charset=utf-8", "audit-log.csv")


def _audit_filters(request: HttpRequest) -> AuditFilterForm:
    """The audit log is for hiring managers and staff; anyone else is told there is no such page."""
    if not request.user.is_staff:
        roles.require_role(request, roles.HIRING_MANAGERS)
    return AuditFilterForm(request.GET)
