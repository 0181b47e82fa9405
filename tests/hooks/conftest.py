import pytest

from integrations.models import EventType, Subscription

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
