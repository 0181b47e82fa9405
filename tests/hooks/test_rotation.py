"""Rotating a webhook's signing secret: the receiver can switch without missing a delivery."""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from integrations import tasks, webhooks
from integrations.models import Delivery, Subscription
from interviews import services


def test_it_signs_with_both_secrets_while_the_overlap_lasts(
    receiver, subscription, loop, immediate_tasks, django_capture_on_commit_callbacks
):
    old = subscription.secret
    subscription.rotate_secret(overlap=timedelta(hours=1))
    assert subscription.secret != old
    assert subscription.signing_secrets() == [subscription.secret, old]

    receiver.secret = old  # the receiver has not switched yet
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    assert receiver.bad_signatures == 0
    assert list(receiver.processed) == [str(Delivery.objects.get().code)]


def test_it_signs_with_the_new_secret_alone_once_the_overlap_ends(
    receiver, subscription, loop, immediate_tasks, django_capture_on_commit_callbacks
):
    old = subscription.secret
    subscription.rotate_secret(overlap=timedelta(hours=1))
    Subscription.objects.filter(pk=subscription.pk).update(
        previous_secret_until=timezone.now() - timedelta(seconds=1)
    )
    subscription.refresh_from_db()
    assert subscription.signing_secrets() == [subscription.secret]

    receiver.secret = old
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    assert receiver.bad_signatures == 1 and receiver.processed == {}

    receiver.secret = subscription.secret  # switched: the next attempt is accepted
    tasks.deliver_due_webhooks.call()
    assert list(receiver.processed) == [str(Delivery.objects.get().code)]


def test_it_accepts_a_header_of_two_signatures_with_either_secret():
    body, now = b'{"a":1}', int(time.time())
    header = webhooks.sign(["whsec_new", "whsec_old"], now, body)
    assert header.count("v1=") == 2
    assert webhooks.verify("whsec_new", header, body)
    assert webhooks.verify("whsec_old", header, body)
    assert not webhooks.verify("whsec_other", header, body)


def test_it_rotates_from_the_webhook_page(client, manager, subscription):
    old = subscription.secret
    client.force_login(manager)
    response = client.post(reverse("integrations:webhook_rotate", args=[subscription.code]))
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.previous_secret == old
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert subscription.secret in page.content.decode()
    assert "The previous secret also signs every delivery until" in page.content.decode()
    assert "New signing secret below" in page.content.decode()


def test_it_refuses_rotation_to_anyone_but_a_hiring_manager(client, interviewer, subscription):
    old = subscription.secret
    client.force_login(interviewer)
    response = client.post(reverse("integrations:webhook_rotate", args=[subscription.code]))
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.secret == old and subscription.previous_secret == ""
