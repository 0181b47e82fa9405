"""Keys, callers and objects for the API tests."""

import pytest
from django.test import Client

from api.models import ApiKey
from interviews import services
from interviews.models import Candidate


class ApiClient:
    """A test client that sends one API key with every request, and JSON bodies."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, headers=None):
        return self.client.get(path, data, headers=self.headers | (headers or {}))

    def post(self, path, body=None, raw=None, headers=None):
        return self.client.post(
            path,
            raw if raw is not None else body or {},
            content_type="application/json",
            headers=self.headers | (headers or {}),
        )

    def patch(self, path, body=None, raw=None, headers=None):
        return self.client.patch(
            path,
            raw if raw is not None else body or {},
            content_type="application/json",
            headers=self.headers | (headers or {}),
        )


@pytest.fixture
def write_key(manager):
    return ApiKey.issue(user=manager, name="ATS sync", scope="write")


@pytest.fixture
def read_key(manager):
    return ApiKey.issue(user=manager, name="Reporting", scope="read")


@pytest.fixture
def writer(write_key) -> ApiClient:
    return ApiClient(write_key[1])


@pytest.fixture
def reader(read_key) -> ApiClient:
    return ApiClient(read_key[1])


@pytest.fixture
def candidate(db) -> Candidate:
    return Candidate.objects.create(name="Ada Lovelace", email="ada@example.com", external_id="A-1")


def submit(interview, *, score=3, notes="Careful.", shared=False):
    items = list(interview.items.all())
    for item in items:
        item.score, item.notes, item.notes_shared = score, notes, shared
        item.save()
    services.submit_scorecard(
        interview=interview,
        by=interview.interviewers.first(),
        recommendation="hire",
        rationale="Clear and careful.",
    )
    interview.refresh_from_db()
    return interview
