"""The candidate's screen: public (the link's token is the secret), the current prompt only."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from interviews.models import Interview
from interviews.views import access


def _screen_context(interview: Interview, token: str) -> dict:
    """The candidate sees where they are ("Question 3 of 8"), never the bank's numbering."""
    return {"interview": interview, "token": token, "question_count": interview.items.count()}


@login_not_required
@require_GET
@never_cache
def screen(request: HttpRequest, token: str) -> HttpResponse:
    """What the candidate sees: the current question's prompt and nothing else."""
    interview = access.screen_interview(token)
    return render(request, "interviews/screen.html", _screen_context(interview, token))


@login_not_required
@require_GET
@never_cache
def screen_current(request: HttpRequest, token: str) -> HttpResponse:
    try:
        interview = access.screen_interview(token)
    except Http404:
        # 410 tells the polling page to stop and say the link has ended.
        return render(request, "interviews/screen.html#screen-ended", status=410)
    return render(
        request, "interviews/screen.html#screen-question", _screen_context(interview, token)
    )
