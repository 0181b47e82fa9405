from django.db import DatabaseError, connection
from django.http import HttpResponse


def healthz(request) -> HttpResponse:
    """For load balancers and the container HEALTHCHECK: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain", headers={"Cache-Control": "no-store"})


class HealthCheckMiddleware:
    """Answer /healthz first, before host validation and sessions: probes come by IP address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
