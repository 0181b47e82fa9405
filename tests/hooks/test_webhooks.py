"""Webhooks against a real receiver on 127.0.0.1: signed, retried, never lost, never doubled."""

import io
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from restapi.conftest import submit as submit_scorecard

from integrations import tasks, webhooks
from integrations.models import Delivery, DeliveryStatus, Event
from interviews import services


def _all_four_events(candidate, interview, by, capture):
    """End, submit, reopen, erase: each in its own transaction, as the views do."""
    with capture(execute=True):
        services.end_interview(interview=interview)
    with capture(execute=True):
        submit_scorecard(interview)
    with capture(execute=True):
        services.reopen_scorecard(interview=interview, by=by, reason="Typo in a score.")
    with capture(execute=True):
        services.erase_candidate(candidate=candidate, by=by)


def _sweep_until_done(rounds: int = 5) -> None:
    for _ in range(rounds):
        tasks.deliver_due_webhooks.call()
        if not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists():
            return


EVENTS = ["candidate.erased", "interview.ended", "scorecard.reopened", "scorecard.submitted"]


def test_it_delivers_every_event_signed_exactly_once(
    receiver, subscription, loop, manager, immediate_tasks, django_capture_on_commit_callbacks
):
    candidate, interview = loop
    _all_four_events(candidate, interview, manager, django_capture_on_commit_callbacks)
    assert receiver.event_types() == EVENTS
    assert receiver.bad_signatures == 0
    assert set(receiver.seen.values()) == {1}
    assert set(receiver.seen) == {str(c) for c in Delivery.objects.values_list("code", flat=True)}
    erased = next(e for e in receiver.processed.values() if e["type"] == "candidate.erased")
    assert erased["data"] == {"candidate": str(candidate.code)}  # no personal data travels


def test_it_loses_nothing_while_a_receiver_is_down(
    receiver, subscription, loop, manager, immediate_tasks, django_capture_on_commit_callbacks
):
    receiver.stop()
    candidate, interview = loop
    _all_four_events(candidate, interview, manager, django_capture_on_commit_callbacks)
    assert receiver.processed == {}
    failed = Delivery.objects.all()
    assert all(d.status == DeliveryStatus.PENDING and d.attempts == 1 for d in failed)
    assert all("Connection" in d.error or "refused" in d.error for d in failed), [
        d.error for d in failed
    ]
    receiver.start()  # back, on the same port
    _sweep_until_done()
    assert receiver.event_types() == EVENTS and set(receiver.seen.values()) == {1}
    assert not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


@pytest.mark.parametrize("mode", ["fail", "garbage", "slow"])
def test_it_delivers_to_a_broken_receiver_once_it_recovers(
    mode, receiver, subscription, loop, immediate_tasks, django_capture_on_commit_callbacks
):
    receiver.mode = mode
    receiver.slow_seconds = 2.5  # longer than WEBHOOK_TIMEOUT_SECONDS (1 s)
    _, interview = loop
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    assert time.monotonic() - started < 2.0  # the timeout bounds an attempt
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    if mode == "fail":
        assert delivery.response_status == 500 and len(delivery.response_body) == 1000
    else:
        assert delivery.error
    receiver.mode = "ok"
    time.sleep(0.1 if mode != "slow" else 2.0)  # a slow request may still be processed late
    _sweep_until_done()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    # Each delivery id is processed once by the receiver, however many requests carried it.
    assert list(receiver.processed) == [str(delivery.code)]


def test_it_backs_off_between_retries_and_gives_up_at_the_limit(
    receiver, subscription, loop, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.mode = "fail"
    _, interview = loop
    services.end_interview(interview=interview)
    delivery = Delivery.objects.get()
    gaps = []
    for _ in range(3):
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=delivery.next_attempt_at.min.replace(
                year=2000, tzinfo=delivery.next_attempt_at.tzinfo
            )
        )
        attempted = webhooks.attempt(delivery.pk)
        if attempted.status == DeliveryStatus.PENDING:
            gaps.append(
                round((attempted.next_attempt_at - attempted.last_attempt_at).total_seconds())
            )
        delivery = attempted
    assert gaps == [30, 60]
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert webhooks.attempt(delivery.pk) is None  # given up: the sweep leaves it alone


def test_it_sends_the_same_delivery_id_again_on_a_manual_redeliver(
    receiver,
    subscription,
    loop,
    client,
    manager,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    delivery = Delivery.objects.get()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/webhooks/deliveries/{delivery.code}/redeliver/")
    assert response.status_code == 302
    assert receiver.seen[str(delivery.code)] == 2 and len(receiver.processed) == 1


def test_it_never_lets_two_senders_send_one_delivery_at_once(receiver, subscription, loop):
    _, interview = loop
    services.end_interview(interview=interview)
    delivery = Delivery.objects.get()
    assert webhooks.claim(delivery.pk) is not None
    assert webhooks.claim(delivery.pk) is None  # held by the first
    assert webhooks.attempt(delivery.pk) is None
    assert receiver.requests == 0


def test_it_never_makes_a_request_wait_for_a_receiver(
    receiver, subscription, loop, client, interviewer, django_capture_on_commit_callbacks
):
    """With the database backend (the default), ending an interview only queues the delivery:
    the receiver is called by the worker, never inside the request."""
    receiver.mode = "slow"
    _, interview = loop
    client.force_login(interviewer)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/interviews/{interview.code}/end/")
    assert response.status_code == 302 and time.monotonic() - started < 1.0
    assert receiver.requests == 0
    assert DBTaskResult.objects.get().task_path == "integrations.tasks.deliver_webhook"


def test_it_runs_the_queued_delivery_in_the_worker(
    receiver, subscription, loop, django_capture_on_commit_callbacks, db_worker
):
    """django-tasks-db's worker, for real: the queued task is claimed, run and recorded."""
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    task = DBTaskResult.objects.get()
    db_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "delivered"
    assert receiver.event_types() == ["interview.ended"]
    result = tasks.deliver_webhook.get_result(str(task.pk))
    assert result.status == "SUCCESSFUL" and result.return_value == "delivered"


def test_it_queues_the_retry_of_a_failed_attempt_for_later(
    receiver, subscription, loop, django_capture_on_commit_callbacks, db_worker, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 3600
    receiver.mode = "fail"
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    db_worker()
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    delivery = Delivery.objects.get()
    assert first.status == "SUCCESSFUL" and first.return_value == "pending"
    assert retry.status == "READY" and retry.run_after == delivery.next_attempt_at
    assert receiver.requests == 1  # the retry waits for its time: the batch did not run it


def _dead_worker_holds(delivery: Delivery) -> DBTaskResult:
    """A worker took the task and the delivery, then was killed (OOM, deploy, power)."""
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")
    assert webhooks.claim(delivery.pk) is not None
    return task


def _time_passes(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )


def test_it_sends_a_delivery_whose_worker_died_from_the_sweep(
    receiver, subscription, loop, django_capture_on_commit_callbacks, db_worker
):
    """django-tasks-db never reruns a task left RUNNING; the outbox does not depend on it."""
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    delivery = Delivery.objects.get()
    task = _dead_worker_holds(delivery)
    db_worker()
    call_command("periodic", "--once", stdout=io.StringIO())  # the claim has not lapsed yet
    assert receiver.requests == 0
    _time_passes(delivery)
    out = io.StringIO()
    call_command("periodic", "--once", stdout=out)
    assert "swept 1 delivery" in out.getvalue()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.processed) == 1
    call_command("periodic", "--once", stdout=io.StringIO())
    db_worker()
    assert receiver.requests == 1
    task.refresh_from_db()
    assert task.status == "RUNNING"  # the library's record of the dead run, left as it was


def test_it_sends_again_after_a_worker_killed_after_sending_and_processes_once(
    receiver, subscription, loop, django_capture_on_commit_callbacks
):
    """Killed after the receiver answered, before the answer was recorded: the sweep sends it
    again with the same delivery id, and the receiver, keeping the ids it processed, ignores it."""
    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        services.end_interview(interview=interview)
    delivery = Delivery.objects.get()
    _dead_worker_holds(delivery)
    assert webhooks.send(Delivery.objects.get(pk=delivery.pk))[0] == 200
    _time_passes(delivery)
    call_command("periodic", "--once", stdout=io.StringIO())
    assert receiver.seen == {str(delivery.code): 2} and len(receiver.processed) == 1
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_it_finds_an_enqueue_lost_with_its_transaction_in_the_sweep(receiver, subscription, loop):
    """The change committed but on_commit's enqueue never ran (the process died in between)."""
    _, interview = loop
    services.end_interview(interview=interview)  # no commit callbacks run: nothing enqueued
    assert not DBTaskResult.objects.exists()
    call_command("periodic", "--once", stdout=io.StringIO())
    assert receiver.event_types() == ["interview.ended"]


def test_it_sends_nothing_for_a_rolled_back_change(
    receiver, subscription, loop, django_capture_on_commit_callbacks
):
    from django.db import transaction

    _, interview = loop
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.end_interview(interview=interview)
                raise RuntimeError("the audit insert failed")
        except RuntimeError:
            pass
    assert not Event.objects.exists() and not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://user:pw@example.com/hook",
        "https://",
        "http://[::1",
        "gopher://example.com",
    ],
)
def test_it_refuses_urls_that_are_not_plain_http(url):
    with pytest.raises(ValidationError):
        webhooks.validate_url(url)


def test_it_refuses_private_addresses_unless_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1/h", "http://10.0.0.5/h", "http://localhost/h", "http://[::1]/h"):
        with pytest.raises(ValidationError):
            webhooks.validate_url(url)
    webhooks.validate_url("https://ats.example.com/hooks")


def test_it_checks_body_secret_and_age_in_the_signature():
    body, secret = b'{"a":1}', "whsec_test"
    header = webhooks.sign(secret, int(time.time()), body)
    assert webhooks.verify(secret, header, body)
    assert not webhooks.verify(secret, header, body + b" ")
    assert not webhooks.verify("whsec_other", header, body)
    old = webhooks.sign(secret, int(time.time()) - 3600, body)
    assert not webhooks.verify(secret, old, body)
    assert not webhooks.verify(secret, "garbage", body)
