from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path

from api import errors, views
from api.endpoints import api


def _public(urls):
    """The API answers 401 itself (JSON), never the login page's redirect: LoginRequiredMiddleware
    lets its views through. The schema and docs are public: they describe, they hold no data."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


@login_not_required
def unknown(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/: the API's own 404 body, not the HTML page."""
    return JsonResponse(errors.body("not_found", "No such API path."), status=404)


urlpatterns = [
    path("api/", _public(api.urls)),
    path("api/<path:rest>", unknown, name="api_unknown"),
    path("settings/api-keys/", views.keys, name="api_keys"),
    path("settings/api-keys/<uuid:code>/revoke/", views.revoke_key, name="api_key_revoke"),
]
