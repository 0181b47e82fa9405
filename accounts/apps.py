from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may come in: login and its throttling (django-axes), roles, the session and user reads."""

    name = "accounts"

    def ready(self):
        from django.contrib import admin

        from accounts.forms import SerialisedAdminAuthenticationForm

        # The admin's login counts attempts through the same backend as ours; the form only makes
        # the check-then-count of one (account name, address) pair atomic there too.
        admin.site.login_form = SerialisedAdminAuthenticationForm
