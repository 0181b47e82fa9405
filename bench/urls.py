"""The app's URLs plus /hello/, the bare Django view that the benchmarks measure the app against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401 (the app's error pages, as in production)
from config.urls import urlpatterns as app_urlpatterns


@login_not_required
def hello(request: HttpRequest) -> HttpResponse:
    """No session, no database, no template: what Django itself costs per request."""
    return HttpResponse("hello\n", content_type="text/plain")


def hello_user(request: HttpRequest) -> HttpResponse:
    """The same, logged in: the session and the user every page of the app loads first."""
    return HttpResponse(f"hello {request.user.pk}\n", content_type="text/plain")


urlpatterns = [path("hello/", hello), path("hello/user/", hello_user), *app_urlpatterns]
