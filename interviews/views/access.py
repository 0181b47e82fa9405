"""Who may read or change what: every view fetches its interview, item or candidate here.

A user who may not read an object gets 404, so nothing about it leaks (not even that it exists).
A write the user may read but not make is refused with `Refused`: 403 on a submitted scorecard,
410 on an erased candidate's interview, 409 where the data cannot give an answer. `refuses` turns
it into a 4xx with the message, as plain text for htmx and as the error page otherwise.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from accounts import roles
from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Status

NOT_INTERVIEWER = "Only interviewers can start interviews."
SUBMITTED = "This scorecard was submitted; it can no longer be changed."


class Refused(Exception):
    """A refusal the user is shown, with the status it is answered with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def _refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    if request.htmx:
        return HttpResponse(refused.message, status=refused.status, content_type="text/plain")
    context = {"message": refused.message}
    return render(request, "interviews/error.html", context, status=refused.status)


def refuses(view):
    """Turn a Refused raised by a view into a 4xx with its message, for htmx and plain forms."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Refused as refused:
            response = _refusal(request, refused)
        # Both the refusal and these views' answers depend on whether htmx asked.
        patch_vary_headers(response, ["HX-Request"])
        return response

    return wrapper


# Roles ---------------------------------------------------------------------------------------------


def interviewers_only(view):
    """Only interviewers plan interviews; anyone else is told so (403), htmx or not."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.has_role(request.user, roles.INTERVIEWERS):
            context = {"message": NOT_INTERVIEWER}
            return render(request, "interviews/error.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapper


# Interviews and their items ------------------------------------------------------------------------


def visible(request: HttpRequest, code, *, related=("candidate", "bank")) -> Interview:
    """The interview if this user may read it; 404 otherwise, so nothing about it leaks.
    `related` are read in the same query (the live view, which never shows the bank, saves the
    bank's columns)."""
    queryset = Interview.objects.visible_to(request.user).select_related(*related)
    return get_object_or_404(queryset, code=code)


def editable(request: HttpRequest, code) -> Interview:
    """The interview if this user runs it and it still takes changes. Readers who are not on it
    get 404 too."""
    interview = _run_by(request, code)
    check_writable(interview)
    return interview


def reopenable(request: HttpRequest, code) -> Interview:
    """The interview if this user runs it, submitted or not: reopening is the one change a
    submitted scorecard takes. Never an erased candidate's (410)."""
    interview = _run_by(request, code)
    if interview.candidate.erased_at:
        raise Refused(services.ERASED, status=410)
    return interview


def _run_by(request: HttpRequest, code) -> Interview:
    queryset = Interview.objects.editable_by(request.user).select_related("candidate", "bank")
    return get_object_or_404(queryset, code=code)


def check_writable(interview: Interview) -> None:
    """Refuse writes to a submitted scorecard (403) and to an erased candidate's interview (410:
    erasure ended it for good, and nothing typed afterwards may be kept)."""
    if interview.candidate.erased_at:
        raise Refused(services.ERASED, status=410)
    if not interview.is_open:
        raise Refused(SUBMITTED, status=403)


def can_edit(request: HttpRequest, interview: Interview) -> bool:
    """Interviewers only ever see interviews they are on; hiring managers also read others'."""
    if not interview.is_open or interview.candidate.erased_at:
        return False
    if not roles.has_role(request.user, roles.HIRING_MANAGERS):
        return True
    return interview.interviewers.filter(pk=request.user.pk).exists()


def item(interview: Interview, item_code) -> PlannedQuestion:
    """A question of the interview's plan, or 404."""
    try:
        return get_object_or_404(PlannedQuestion, interview=interview, code=item_code)
    except ValidationError:
        # A malformed code can only come from a hand-made post (goto reads it from the form).
        raise Http404("No such question in this interview.") from None


def item_for_edit(request: HttpRequest, code, item_code) -> tuple[Interview, PlannedQuestion]:
    """The item and its interview in one query, if this user runs the interview (else 404)."""
    found = get_object_or_404(
        PlannedQuestion.objects.select_related("interview__candidate"),
        code=item_code,
        interview__code=code,
        interview__interviewers=request.user,
    )
    check_writable(found.interview)
    return found.interview, found


def item_for_autosave(request: HttpRequest, code, item_code) -> tuple[Interview, PlannedQuestion]:
    """item_for_edit for the notes autosave, the hottest path: the same checks on one plain SQL
    read of only what it needs (PlannedQuestionQuerySet.for_autosave)."""
    found = PlannedQuestion.objects.for_autosave(
        interview_code=code, item_code=item_code, user=request.user
    )
    if found is None:
        raise Http404("No such question in your interviews.")
    check_writable(found.interview)
    return found.interview, found


# Screen tokens are secrets.token_urlsafe (Interview.open_screen); anything else is no token, and
# must not reach the database (PostgreSQL refuses a NUL in a query).
_SCREEN_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def screen_interview(token: str) -> Interview:
    """The interview whose candidate screen this token opens, while it is upcoming or running."""
    if not _SCREEN_TOKEN.fullmatch(token):
        raise Http404("This screen link is not active.")
    interview = (
        Interview.objects.filter(
            screen_token=token, status__in=[Status.UPCOMING, Status.IN_PROGRESS]
        )
        .select_related("current")
        .first()
    )
    if interview is None:
        raise Http404("This screen link is not active.")
    return interview


# Candidates ----------------------------------------------------------------------------------------


def debrief_loop(request: HttpRequest, candidate_code) -> tuple[Candidate, list[Interview]]:
    """The candidate and their loop, if this user may read the panel's debrief.

    Only interviews set up by someone who may add interviewers to this loop put a user on its
    panel (Candidate.panel_interviews); one planned for oneself counts for nothing. A panelist
    whose own scorecard is not submitted yet is told to submit it first (403).
    """
    candidate = get_object_or_404(Candidate, code=candidate_code)
    loop = candidate.loop()
    access = candidate.debrief_access(request.user, loop)
    if access == "none":
        raise Http404("No such candidate.")
    if access == "pending":
        raise Refused(
            "Submit your own scorecard first: the panel's scores stay hidden until you have.",
            status=403,
        )
    return candidate, loop


def managed_candidate(request: HttpRequest, candidate_code) -> Candidate:
    """A candidate whose personal data a hiring manager exports or erases; 404 for anyone else."""
    roles.require_role(request, roles.HIRING_MANAGERS)
    return get_object_or_404(Candidate, code=candidate_code)
