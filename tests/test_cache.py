"""The cache (REDIS_URL, shared by every process; else each process's own) holds two counts: an
interviewer's audit window and a browser's API calls. One that does not answer costs an audit
row too many and an uncounted call, never a failed request or a missing row."""

import socket
import uuid

import pytest
from django.urls import reverse

from interviews.models import AuditAction, AuditEvent

LOCAL_REDIS = ("127.0.0.1", 6379)


def redis_cache(url: str) -> dict:
    from config.settings import cache_from_env

    with pytest.MonkeyPatch.context() as env:
        env.setenv("REDIS_URL", url)
        return {"default": cache_from_env() | {"KEY_PREFIX": f"test-{uuid.uuid4()}"}}


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(LOCAL_REDIS) == 0


def autosave(client, interview, item, version: int):
    url = reverse("interviews:item_notes", args=[interview.code, item.code])
    data = {"notes": f"Draft {version}", "version": version}
    return client.post(url, data, headers={"HX-Request": "true"})


def changes() -> int:
    return AuditEvent.objects.filter(action=AuditAction.CHANGED).count()


@pytest.fixture
def started(client, interviewer, make_interview):
    interview = make_interview()
    interview.start()
    client.force_login(interviewer)
    return interview, interview.items.order_by("position").first()


def test_it_saves_and_records_every_change_when_the_cache_does_not_answer(
    client, started, settings, caplog
):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")

    for version in (0, 1):
        assert autosave(client, *started, version).status_code == 200

    assert changes() == 2  # no window to keep them to one: a row too many, none missing
    assert "The cache did not answer" in caplog.text


def test_it_lets_a_browsers_api_call_through_when_the_cache_does_not_answer(
    client, interviewer, settings
):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    settings.API_RATE_LIMIT = 1
    client.force_login(interviewer)

    assert [client.get("/api/v1/candidates").status_code for _ in range(3)] == [200] * 3


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_it_keeps_the_window_and_the_limit_in_a_shared_redis(
    client, started, interviewer, settings
):
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/15")

    for version in (0, 1, 2):
        assert autosave(client, *started, version).status_code == 200
    assert changes() == 1

    settings.API_RATE_LIMIT = 2
    statuses = [client.get("/api/v1/candidates").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
