"""Answers the browser saves as a file: reports, exports, CSV tables."""

from django.http import HttpResponse


def attachment(response: HttpResponse, name: str) -> HttpResponse:
    """Mark the response as a download named `name` (names are ASCII: reports.file_name)."""
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def download(body, content_type: str, name: str) -> HttpResponse:
    return attachment(HttpResponse(body, content_type=content_type), name)
