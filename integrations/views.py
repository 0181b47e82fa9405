"""Manager pages: webhook subscriptions with their delivery log, and overdue scorecards."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from integrations import webhooks
from integrations.forms import SubscriptionForm
from integrations.models import Delivery, Subscription
from integrations.tasks import deliver_webhook
from interviews.models import Interview


def subscriptions(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = Subscription.objects.create(created_by=request.user, **form.cleaned_data)
        messages.success(request, "Webhook added. Its signing secret is on this page.")
        return redirect("integrations:webhook", subscription.code)
    context = {"form": form, "subscriptions": Subscription.objects.all()}
    return render(
        request, "integrations/webhooks.html", context, status=400 if form.errors else 200
    )


@require_GET
def subscription(request: HttpRequest, webhook_code) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    subscription = get_object_or_404(Subscription, code=webhook_code)
    deliveries = subscription.deliveries.select_related("event").order_by("-pk")
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    context = {
        "subscription": subscription,
        "page": page,
        "now": timezone.now(),
        "overlap_hours": settings.WEBHOOK_SECRET_OVERLAP_HOURS,
    }
    return render(request, "integrations/webhook.html", context)


@require_POST
def subscription_delete(request: HttpRequest, webhook_code) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    get_object_or_404(Subscription, code=webhook_code).delete()
    messages.success(request, "Webhook removed, with its delivery log.")
    return redirect("integrations:webhooks")


@require_POST
def subscription_rotate(request: HttpRequest, webhook_code) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    subscription = get_object_or_404(Subscription, code=webhook_code)
    overlap = timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
    subscription.rotate_secret(overlap=overlap)
    messages.success(
        request,
        "New signing secret below. Deliveries carry a signature with the old one too until "
        f"{date_format(timezone.localtime(subscription.previous_secret_until), 'j M Y, H:i')}: "
        "switch the receiver to the new secret before then.",
    )
    return redirect("integrations:webhook", subscription.code)


@require_POST
def redeliver(request: HttpRequest, delivery_code) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    delivery = get_object_or_404(Delivery, code=delivery_code)
    with transaction.atomic():
        webhooks.redeliver(delivery)
        transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
    messages.success(request, "Queued to send again, with the same delivery id.")
    return redirect("integrations:webhook", delivery.subscription.code)


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    interviews = (
        Interview.objects.overdue()
        .select_related("candidate")
        .prefetch_related("interviewers")
        .order_by("ended_at", "pk")
    )
    page = Paginator(interviews, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/overdue.html",
        {"page": page, "now": timezone.now(), "due_hours": settings.SCORECARD_DUE_HOURS},
    )
