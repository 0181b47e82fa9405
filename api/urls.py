from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from api import errors, views
from api.endpoints import api


def _public(urls):
    """The API answers 401 itself (JSON), never the login page's redirect: LoginRequiredMiddleware
    lets its views through. The schema and docs are public: they describe, they hold no data."""
    patterns, app_name, namespace = urls
    # django-ninja adds one pattern per operation, each with a new view function, though one
    # view serves every method of a path: the later patterns of a path could never be reached
    # by resolve(). They share the first one's view, so each operation's name reaches it.
    views_by_route = {}
    for pattern in patterns:
        callback = views_by_route.setdefault(str(pattern.pattern), pattern.callback)
        pattern.callback = login_not_required(callback)
    return patterns, app_name, namespace


@login_not_required
def unknown(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/: the API's own 404 body, not the HTML page."""
    return JsonResponse(errors.body("not_found", "No such API path."), status=404)


urlpatterns = [
    path("api/", _public(api.urls)),
    re_path(r"^api/.*$", unknown, name="api_unknown"),
    path("settings/api-keys/", views.keys, name="api_keys"),
    path("settings/api-keys/<uuid:key_code>/revoke/", views.revoke_key, name="api_key_revoke"),
]
