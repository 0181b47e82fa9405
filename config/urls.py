from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from interviews.auth import ThrottledAdminAuthenticationForm, ThrottledLoginView

admin.site.login_form = ThrottledAdminAuthenticationForm


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
    # Not all of django.contrib.auth.urls: its password reset pages are public (they would email
    # anyone who types an address, unthrottled, with no mail server configured) and its login
    # would sit unreachable behind the throttled one.
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("api.urls")),
    path("", include("integrations.urls")),
    path("", include("interviews.urls")),
]

handler500 = "config.errors.server_error"
