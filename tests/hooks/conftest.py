import io
import signal

import pytest
from django.core.management import call_command

from integrations.models import EventType, Subscription
from interviews.models import Candidate

from .receiver import Receiver


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def subscription(db, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # retries are due at once: the tests drive the clock
    subscription = Subscription.objects.create(url=receiver.url, events=EventType.values)
    receiver.secret = subscription.secret
    return subscription


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run in-line when their transaction commits (the test's stand-in for the worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def db_worker(monkeypatch):
    """django-tasks-db's `manage.py db_worker --batch`: run what is ready, then return.

    The test runs inside one transaction, which the worker's close_old_connections would close
    (it drops any connection not in autocommit), so that call is a no-op here; and the worker's
    SIGINT/SIGTERM handlers are put back as they were, so Ctrl-C still stops pytest."""
    from django_tasks_db.management.commands import db_worker as command

    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO()
        )

    yield run
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.fixture
def loop(make_loop):
    return make_loop()


@pytest.fixture
def make_loop(make_interview):
    def make():
        candidate = Candidate.objects.create(name="Ada", external_id="A-1")
        return candidate, make_interview(candidate, position="MLE", planned_minutes=30)

    return make
