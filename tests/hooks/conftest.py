import pytest

from integrations.models import EventType, Subscription
from interviews.models import Candidate
from tests.conftest import IN_LINE

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


@pytest.fixture(autouse=True)
def tasks_queued(queued_tasks):
    """Webhook deliveries wait in the queue, as in production, unless a test asks for
    `immediate_tasks`."""


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run in-line when their transaction commits (the test's stand-in for the worker)."""
    settings.TASKS = IN_LINE


@pytest.fixture
def loop(make_loop):
    return make_loop()


@pytest.fixture
def make_loop(make_interview):
    def make():
        candidate = Candidate.objects.create(name="Ada", external_id="A-1")
        return candidate, make_interview(candidate, position="MLE", planned_minutes=30)

    return make
