"""Answers the browser saves as a file: reports, exports, CSV tables; and PDFs, which the task
worker makes (interviews/printouts.py) while a page waits for them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from interviews import printouts
from interviews.models import Printout
from interviews.views.access import Refused


def attachment(response: HttpResponse, name: str) -> HttpResponse:
    """Mark the response as a download named `name` (names are ASCII: reports.file_name)."""
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def download(body, content_type: str, name: str) -> HttpResponse:
    return attachment(HttpResponse(body, content_type=content_type), name)


def printout(request: HttpRequest, template: str, context: dict, *, candidate, path) -> Printout:
    """The PDF of a page, for this person: made, failed, or queued for the worker. `path` is
    the URL that answers it (the request's own, less any query string it does not read).
    Refused (429) when the person has too many PDFs waiting already."""
    html = render_to_string(template, {**context, "for_pdf": True}, request)
    try:
        return printouts.ask(
            user=request.user,
            candidate=candidate,
            path=path,
            html=html,
            base_url=request.build_absolute_uri("/"),
        )
    except printouts.Busy:
        message = (
            f"{printouts.PENDING_LIMIT} of your PDFs are being made already. Ask for this one"
            " again when they are done: each takes a few seconds."
        )
        raise Refused(message, status=429) from None


def waiting(request: HttpRequest, printout: Printout, *, title: str, back: str) -> HttpResponse:
    """202: the PDF is on its way; the page polls printout_status and downloads it when made."""
    context = {"printout": printout, "title": title, "back": back}
    return render(request, "interviews/printout.html", context, status=202)


@require_GET
def printout_status(request: HttpRequest, printout_code) -> HttpResponse:
    """The waiting page's poll (htmx, every second until made or failed): 204 while the state is
    the one the page `shown`, else the page's new status. Made: the page says so and its script
    opens the printout's URL, which now answers the file."""
    printout = printouts.poll(user=request.user, code=printout_code)
    if printout is None:
        raise Http404("No such PDF of yours; it may have expired. Ask for it again.")
    if request.GET.get("shown") == printout.state:
        return HttpResponse(status=204)
    response = render(request, "interviews/printout.html#status", {"printout": printout})
    if printout.ready:
        trigger_client_event(response, "printout-ready", {"url": printout.path})
    return response
