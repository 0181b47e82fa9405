"""The plan page: the questions planned for an interview, searched, added, moved and swapped."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from interviews import services
from interviews.forms import MoveForm, int_or_none
from interviews.models import AuditEvent, Interview
from interviews.views import access
from interviews.views.access import Refused, refuses
from questionbank.models import Question


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
    interview = access.visible(request, code)
    context = _plan_context(interview, can_edit=access.can_edit(request, interview))
    return render(request, "interviews/plan.html", context)


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
    interview = access.editable(request, code)
    pk = int_or_none(request.POST.get("question"))
    question = Question.objects.filter(bank=interview.bank, pk=pk).in_use().first()
    if question is None:
        raise Refused("Pick a question from this interview's bank.")
    if interview.items.filter(question=question).exists():
        raise Refused("This question is already in the plan.")
    services.add_question(interview=interview, question=question)
    return _plan_changed(request, interview, f"added {question.number} ({question.key})")


@require_POST
@refuses
def plan_remove(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = access.editable(request, code)
    item = access.item(interview, item_code)
    services.remove_item(item=item)
    return _plan_changed(request, interview, f"removed {services.where(item)}")


@require_POST
@refuses
def plan_move(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = access.editable(request, code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Refused("Move a question up or down.")
    item = access.item(interview, item_code)
    services.move_item(item=item, offset=form.cleaned_data["offset"])
    direction = "up" if form.cleaned_data["offset"] < 0 else "down"
    return _plan_changed(request, interview, f"moved {services.where(item)} {direction}")


@require_POST
@refuses
def plan_swap(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = access.editable(request, code)
    item = access.item(interview, item_code)
    allowed = {q.pk: q for q in services.swap_options(item=item, limit=50)}
    question = allowed.get(int_or_none(request.POST.get("question")))
    if question is None:
        raise Refused("Pick one of the suggested alternatives.")
    was = services.where(item)
    services.swap_item(item=item, question=question)
    return _plan_changed(request, interview, f"swapped {was} for {services.where(item)}")


@require_GET
@vary_on_headers("HX-Request")
def plan_swap_options(request: HttpRequest, code, item_code) -> HttpResponse:
    interview = access.visible(request, code)
    item = access.item(interview, item_code)
    options = services.swap_options(item=item)
    if request.htmx:
        context = {"interview": interview, "item": item, "options": options}
        return render(request, "interviews/plan.html#swap-options", context)
    context = _plan_context(interview, can_edit=access.can_edit(request, interview))
    return render(
        request, "interviews/plan.html", {**context, "swap_item": item, "options": options}
    )


@require_GET
@vary_on_headers("HX-Request")
def plan_search(request: HttpRequest, code) -> HttpResponse:
    interview = access.visible(request, code)
    # NUL cannot be stored or searched for (PostgreSQL refuses it in a query); it means nothing.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    results, planned = [], set()
    if query:
        # Questions already planned are listed too, marked "Added": a search for one finds it.
        questions = Question.objects.filter(bank=interview.bank).in_use().search(query)
        results = questions.select_related("section")[:20]
        planned = set(interview.items.values_list("question_id", flat=True))
    found = {"interview": interview, "results": results, "query": query, "planned": planned}
    if request.htmx:
        return render(request, "interviews/plan.html#search-results", found)
    context = _plan_context(interview, can_edit=access.can_edit(request, interview))
    return render(request, "interviews/plan.html", {**context, **found})
