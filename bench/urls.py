"""The app's URLs plus /hello/ and /hello/user/, which the benchmarks measure the app against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config import urls as app

handler500 = app.handler500  # the app's error pages, as in production


@login_not_required
def hello(request) -> HttpResponse:
    """No session, no database, no template: what Django itself costs per request."""
    return HttpResponse("hello\n", content_type="text/plain")


def hello_user(request) -> HttpResponse:
    """The same, logged in: the session and the user every page of the app loads first."""
    return HttpResponse(f"hello {request.user.pk}\n", content_type="text/plain")


urlpatterns = [path("hello/", hello), path("hello/user/", hello_user), *app.urlpatterns]
