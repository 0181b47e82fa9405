from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import LoginView

# Not all of django.contrib.auth.urls: its password reset pages are public (they would email anyone
# who types an address, with no mail server configured).
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
