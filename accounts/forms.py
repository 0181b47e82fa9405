from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.lockout import serialised_attempt, username


class SerialisedAttemptMixin:
    """Runs the password check inside `serialised_attempt`, and keeps the counted failure.

    A refused login raises ValidationError; it is re-raised after the transaction commits, so
    the failure axes recorded inside it stays recorded.
    """

    def clean(self):
        error = None
        with serialised_attempt(self.request, username(self.request, self.cleaned_data)):
            try:
                return super().clean()
            except ValidationError as e:
                error = e
        raise error


class SerialisedAuthenticationForm(SerialisedAttemptMixin, AuthenticationForm):
    pass


class SerialisedAdminAuthenticationForm(SerialisedAttemptMixin, AdminAuthenticationForm):
    pass
