"""The hiring manager's page for API keys: make one (its token shown once), revoke one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import roles
from api.forms import KeyForm
from api.models import ApiKey


@never_cache
def keys(request: HttpRequest) -> HttpResponse:
    """The token is in this one answer to the POST and nowhere else: no redirect, since carrying
    it across one would mean storing it (in the session) even briefly."""
    roles.require_role(request, roles.HIRING_MANAGERS)
    form = KeyForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        _, token = ApiKey.issue(user=request.user, **form.cleaned_data)
        form = KeyForm()
    context = {
        "form": form,
        "token": token,
        "keys": ApiKey.objects.select_related("user").order_by("revoked_at", "-created"),
    }
    return render(request, "api/keys.html", context, status=400 if form.errors else 200)


@require_POST
def revoke_key(request: HttpRequest, key_code) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    key = get_object_or_404(ApiKey, code=key_code)
    key.revoke()
    messages.success(request, f"Key “{key.name}” revoked: it stops working now.")
    return redirect("api_keys")
