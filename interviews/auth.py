"""Login throttling: repeated failures for one account name or one address lock it for a while.

The lock applies whether or not the account exists, and the messages are the same either way,
so the login page never tells an attacker which account names are real.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.utils import timezone

from interviews.models import LoginFailure

LOCKED_MESSAGE = "Too many failed attempts. Try again in {minutes} minutes."


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def is_locked(username: str, address: str | None) -> bool:
    rules = settings.LOGIN_THROTTLE
    since = timezone.now() - timedelta(minutes=rules["minutes"])
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= rules["per_username"]:
        return True
    return bool(address) and recent.filter(address=address).count() >= rules["per_address"]


class ThrottleMixin:
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request) if self.request else None
        if is_locked(username, address):
            minutes = settings.LOGIN_THROTTLE["minutes"]
            raise forms.ValidationError(LOCKED_MESSAGE.format(minutes=minutes), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username.lower()[:150], address=address)
            raise


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm
