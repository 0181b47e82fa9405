"""Error pages that work when the database does not."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import engines

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/css/app.css"></head><body><main id="main" class="narrow">
<h1>{{ title }}</h1><p>{{ message }}</p></main></body></html>"""

UNAVAILABLE = (
    "Interview Desk is briefly unavailable. Nothing you saved before this was lost; "
    "changes still on your screen are kept in the page and sent again shortly."
)


def _render(request, status: int, title: str, message: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(message, status=status, content_type="text/plain")
    else:
        # A template string, no context processors: they may need the database that just failed.
        page = engines["django"].from_string(_PAGE).render({"title": title, "message": message})
        response = HttpResponse(page, status=status)
    if status == 503:
        response["Retry-After"] = "5"
    return response


def server_error(request) -> HttpResponse:
    """handler500: a database outage answers 503 (retry soon), anything else 500.

    An outage is a lost or refused connection: OperationalError ("server closed the connection
    unexpectedly", "could not connect") or InterfaceError ("connection already closed", what a
    worker's kept-open connection raises when PostgreSQL restarts under it). A DataError or an
    IntegrityError is a bug, input that should have been refused before it reached the database:
    telling the user to retry would be a lie, so it is a 500.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return _render(request, 503, "Briefly unavailable", UNAVAILABLE)
    return _render(request, 500, "Something went wrong", "The error was logged. Please try again.")
