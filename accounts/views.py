from django.contrib.auth.views import LoginView as DjangoLoginView

from accounts.forms import SerialisedAuthenticationForm


class LoginView(DjangoLoginView):
    authentication_form = SerialisedAuthenticationForm
