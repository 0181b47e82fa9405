"""The live view: running an interview, scoring and noting each question (autosaved), the
adaptive next question, and opening the candidate's screen."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from interviews import fragments, services
from interviews.forms import (
    HintForm,
    NotesForm,
    PointForm,
    PointsForm,
    ScoreForm,
    SharingForm,
    int_or_none,
)
from interviews.models import SCORE_MEANINGS, AuditEvent, Interview, PlannedQuestion, Score, Status
from interviews.views import access
from interviews.views.access import Refused, refuses
from questionbank.models import Question

LIVE = "interviews/live.html"  # templates/jinja2/


def _live_context(request: HttpRequest, interview: Interview) -> dict:
    items = interview.plan()
    current = interview.current_in(items)
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
        "can_edit": access.can_edit(request, interview),
        "screen_url": request.build_absolute_uri(
            reverse("interviews:screen", args=[interview.screen_token])
        )
        if interview.screen_token
        else "",
    }


@require_GET
def live(request: HttpRequest, code) -> HttpResponse:
    interview = access.visible(request, code, related=["candidate"])
    return fragments.page(request, LIVE, _live_context(request, interview))


@require_POST
@refuses
def goto(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
    interview.move_to(access.item(interview, request.POST.get("item")))
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def start(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
    interview.start()
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def end(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
    services.end_interview(interview=interview)
    return redirect("interviews:live", interview.code)


# Scoring and notes (autosave) ---------------------------------------------------------------------


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
    if fragment == "score_saved":
        context.update(interview.progress())
    return fragments.answer(request, LIVE, fragment, context)


@require_POST
@refuses
def item_score(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = access.item_for_edit(request, code, item_code)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        raise Refused(form.errors["score"][0])
    before, item.score = item.score, form.cleaned_data["score"]
    item.save(update_fields=["score", "updated"])
    # The suggestion panel listens for "scored" and asks for a fresh next question.
    response = _item_saved(request, interview, item, "score_saved", ("score", before, item.score))
    return trigger_client_event(response, "scored")


@require_POST
@refuses
def item_points(request: HttpRequest, code, item_code) -> HttpResponse:
    interview, item = access.item_for_edit(request, code, item_code)
    count = len(item.snapshot["key_points"])
    before = _point_numbers(item.covered_points)
    if "index" in request.POST:
        form = PointForm(request.POST, count=count)
        if not form.is_valid():
            raise Refused("This question has no such key point.")
        item.set_point(form.cleaned_data["index"], form.covered)
    else:
        form = PointsForm(request.POST, count=count)
        if not form.is_valid():
            raise Refused("This question has no such key point.")
        item.covered_points = sorted(set(form.cleaned_data["points"]))
        item.save(update_fields=["covered_points", "updated"])
    change = ("key points", before, _point_numbers(item.covered_points))
    return _item_saved(request, interview, item, "saved_status", change)


def _point_numbers(indexes: list[int]) -> list[int]:
    """Key points as the page numbers them, from 1."""
    return [i + 1 for i in indexes]


@require_POST
@refuses
def item_hint(request: HttpRequest, code, item_code) -> HttpResponse:
    return _switch(request, code, item_code, HintForm, "hint_given", "hint given")


@require_POST
@refuses
def item_notes(request: HttpRequest, code, item_code) -> HttpResponse:
    """Save notes unless someone saved since this page loaded them: then 409 with both texts."""
    form = NotesForm(request.POST)
    # The common case, a running interview's new text, in one statement; all else reads first.
    if form.is_valid() and (item := _save_running_notes(request, code, item_code, form)):
        change = ("notes", None, item.notes)  # a running interview's log keeps no before/after
        return _item_saved(request, item.interview, item, "notes_saved", change, free_text=True)
    interview, item = access.item_for_autosave(request, code, item_code)
    if not form.is_valid():
        raise Refused("Notes could not be read: " + "; ".join(e[0] for e in form.errors.values()))
    mine, before = form.cleaned_data["notes"], item.notes
    # Text that is already saved (a retry, the save on leaving the box, a second tab typing the
    # same) needs no write and is no conflict: the answer carries the version it is saved at.
    if mine == item.notes or item.save_notes(mine, form.cleaned_data["version"]):
        change = ("notes", before, item.notes)
        return _item_saved(request, interview, item, "notes_saved", change, free_text=True)
    # The conflict page shows the whole live view: read the interview and item in full again.
    interview, item = access.item_for_edit(request, code, item_code)
    context = {**_live_context(request, interview), "item": item, "mine": mine}
    if request.htmx:
        return fragments.answer(request, LIVE, "notes_conflict", context, status=409)
    return render(request, "interviews/conflict.html", context, status=409)


def _save_running_notes(request, code, item_code, form) -> PlannedQuestion | None:
    return PlannedQuestion.objects.save_running_notes(
        interview_code=code,
        item_code=item_code,
        user=request.user,
        text=form.cleaned_data["notes"],
        base_version=form.cleaned_data["version"],
    )


@require_POST
@refuses
def item_sharing(request: HttpRequest, code, item_code) -> HttpResponse:
    return _switch(
        request, code, item_code, SharingForm, "notes_shared", "notes shared with the candidate"
    )


def _switch(request, code, item_code, form_class, field: str, label: str) -> HttpResponse:
    """Turn one of the item's checkboxes on or off (an unchecked box posts nothing: off)."""
    interview, item = access.item_for_edit(request, code, item_code)
    form = form_class(request.POST)
    form.is_valid()
    before = getattr(item, field)
    setattr(item, field, form.cleaned_data[field])
    item.save(update_fields=[field, "updated"])
    return _item_saved(
        request, interview, item, "saved_status", (label, before, getattr(item, field))
    )


# The adaptive next question -----------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def suggestion(request: HttpRequest, code) -> HttpResponse:
    """The adaptive next question: a fragment for htmx, the live page with it otherwise."""
    interview = access.visible(request, code)
    can_edit = access.can_edit(request, interview)
    context = {
        "interview": interview,
        "can_edit": can_edit,
        "suggestion": services.suggest_next(interview=interview) if can_edit else None,
        "suggested": True,
    }
    if request.htmx:
        return fragments.answer(request, LIVE, "suggestion_panel", context)
    return fragments.page(request, LIVE, {**_live_context(request, interview), **context})


@require_POST
@refuses
def suggestion_accept(request: HttpRequest, code) -> HttpResponse:
    """Insert the suggested question after the current one: the plan changes only here."""
    interview = access.editable(request, code)
    pk = int_or_none(request.POST.get("question"))
    question = Question.objects.filter(bank=interview.bank, pk=pk).first()
    if question is None:
        raise Refused("Pick a question from this interview's bank.")
    if question.retired_at or question.leaked_at:
        raise Refused("This question is no longer in use: it was retired or marked leaked.")
    if question.pk in interview.candidate.asked_question_ids():
        raise Refused("This candidate already has this question in the loop.")
    services.insert_after_current(interview=interview, question=question)
    detail = f"plan: added suggested {question.number} ({question.key})"
    AuditEvent.record_edit(request.user, interview, detail)
    return redirect("interviews:live", interview.code)


# Opening and closing the candidate screen (the screen itself: views/screen.py) ---------------------


@require_POST
@refuses
def screen_open(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
    if interview.status not in (Status.UPCOMING, Status.IN_PROGRESS):
        raise Refused("The interview has ended; its candidate screen is closed.")
    interview.open_screen()
    return redirect("interviews:live", interview.code)


@require_POST
@refuses
def screen_revoke(request: HttpRequest, code) -> HttpResponse:
    interview = access.editable(request, code)
    interview.revoke_screen()
    return redirect("interviews:live", interview.code)
