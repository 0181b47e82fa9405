from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico where a page links no icon (PDFs, JSON, the admin): the SVG.

    Not permanent: the static name carries a content hash in production, and changes with it.
    """
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("api.urls")),
    path("", include("integrations.urls")),
    path("", include("interviews.urls")),
]

handler500 = "config.errors.server_error"
