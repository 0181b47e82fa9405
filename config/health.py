from django.db import DatabaseError, connection
from django.http import HttpResponse


def healthz(request) -> HttpResponse:
    """For load balancers and the container HEALTHCHECK: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return _plain("database unavailable\n", status=503)
    return _plain("ok\n")


def _plain(text: str, status: int = 200) -> HttpResponse:
    # Answered before the security middleware runs, so it sets its own headers.
    return HttpResponse(
        text,
        status=status,
        content_type="text/plain",
        headers={
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        },
    )


class HealthCheckMiddleware:
    """Answer /healthz first, before host validation and sessions: probes come by IP address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
