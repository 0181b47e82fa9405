"""/api/v1/candidates: create, read, update with versions, list with filters and cursors."""

import json
from datetime import timedelta

from django.utils import timezone

from interviews.models import AuditEvent, Candidate

from .conftest import ApiClient

URL = "/api/v1/candidates"


def test_it_creates_a_candidate(writer, manager):
    response = writer.post(
        URL, {"name": " Grace Hopper ", "email": "g@example.com", "external_id": "G-1"}
    )
    assert response.status_code == 201
    body = response.json()
    candidate = Candidate.objects.get(code=body["id"])
    assert (candidate.name, candidate.external_id, candidate.created_by) == (
        "Grace Hopper",
        "G-1",
        manager,
    )
    assert body["version"] == 1 and body["erased"] is False


def test_it_refuses_a_second_candidate_with_the_same_ats_id(writer, candidate):
    response = writer.post(URL, {"name": "Someone", "external_id": candidate.external_id})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {
        "external_id": "Another candidate has this ATS id."
    }
    assert Candidate.objects.count() == 1


def test_it_allows_many_candidates_without_an_ats_id(writer):
    for name in ("One", "Two"):
        assert writer.post(URL, {"name": name}).status_code == 201


def test_it_answers_bad_bodies_with_field_errors_and_changes_nothing(writer):
    cases = [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "email": "not an email"}, "email"),
        ({"name": "A", "external_id": "x" * 101}, "external_id"),
        ({"name": "A\x00B"}, "name"),
        ({"email": "a@example.com"}, "name"),
        ({"name": 5}, "name"),
    ]
    for body, field in cases:
        response = writer.post(URL, body)
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["code"] == "invalid" and field in error["fields"], (body, error)
    for raw in ("{nope", "[]", "null", '"text"', "\xff"):
        response = writer.post(URL, raw=raw)
        assert response.status_code == 400, raw
        assert response.json()["error"]["code"] == "invalid"
    assert not Candidate.objects.exists()


def test_it_reads_a_candidate_and_404s_an_unknown_one(reader, candidate):
    assert reader.get(f"{URL}/{candidate.code}").json()["name"] == "Ada Lovelace"
    response = reader.get(f"{URL}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No such resource.", "fields": {}}
    }


def test_it_updates_with_the_version_it_read_and_refuses_a_stale_one(writer, candidate):
    response = writer.patch(
        f"{URL}/{candidate.code}", {"version": 1, "email": "ada@new.example.com"}
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = writer.patch(f"{URL}/{candidate.code}", {"version": 1, "name": "Overwritten"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "version_conflict"
    candidate.refresh_from_db()
    assert (candidate.name, candidate.email, candidate.version) == (
        "Ada Lovelace",
        "ada@new.example.com",
        2,
    )


def test_it_refuses_to_update_an_erased_candidate(writer, candidate, manager):
    from interviews import services

    services.erase_candidate(candidate=candidate, by=manager)
    candidate.refresh_from_db()
    response = writer.patch(
        f"{URL}/{candidate.code}", {"version": candidate.version, "name": "Back"}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "erased"


def test_it_refuses_an_update_to_a_taken_ats_id(writer, candidate):
    other = Candidate.objects.create(name="Other", external_id="B-2")
    response = writer.patch(f"{URL}/{other.code}", {"version": 1, "external_id": "A-1"})
    assert response.status_code == 409 and "external_id" in response.json()["error"]["fields"]


def test_it_pages_through_every_candidate_once_with_cursors(writer, django_assert_max_num_queries):
    for n in range(7):
        Candidate.objects.create(name=f"C{n}")
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        with django_assert_max_num_queries(8):
            body = writer.get(URL, params).json()
        seen += [c["name"] for c in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"C{n}" for n in range(7)] and len(seen) == 7


def test_it_lists_only_candidates_changed_since(writer, candidate):
    old = Candidate.objects.create(name="Old")
    Candidate.objects.filter(pk=old.pk).update(updated=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    names = [c["name"] for c in writer.get(URL, {"updated_since": since}).json()["results"]]
    assert names == ["Ada Lovelace"]


def test_it_filters_by_ats_id(reader, candidate):
    Candidate.objects.create(name="Other", external_id="B-2")
    results = reader.get(URL, {"external_id": "B-2"}).json()["results"]
    assert [c["name"] for c in results] == ["Other"]


def test_it_refuses_a_forged_cursor(reader):
    for cursor in ("zzz", "W10", "WyJ4IiwxXQ", "eyJhIjoxfQ", "x" * 300):
        response = reader.get(URL, {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()["error"]["fields"]


def test_it_replays_a_create_sent_twice_with_one_idempotency_key(writer):
    first = writer.post(URL, {"name": "Once"}, headers={"Idempotency-Key": "req-1"})
    again = writer.post(URL, {"name": "Once"}, headers={"Idempotency-Key": "req-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Candidate.objects.filter(name="Once").count() == 1


def test_it_refuses_an_idempotency_key_reused_for_another_body(writer):
    writer.post(URL, {"name": "Once"}, headers={"Idempotency-Key": "req-1"})
    response = writer.post(URL, {"name": "Twice"}, headers={"Idempotency-Key": "req-1"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert not Candidate.objects.filter(name="Twice").exists()


def test_it_keeps_idempotency_keys_to_one_caller(writer, manager):
    from api.models import ApiKey

    other = ApiClient(ApiKey.issue(user=manager, name="Other ATS", scope="write")[1])
    writer.post(URL, {"name": "Mine"}, headers={"Idempotency-Key": "same"})
    assert other.post(URL, {"name": "Mine"}, headers={"Idempotency-Key": "same"}).status_code == 201
    assert Candidate.objects.filter(name="Mine").count() == 2


def test_it_lets_a_refused_create_be_retried_with_the_same_key(writer):
    assert writer.post(URL, {"name": ""}, headers={"Idempotency-Key": "k"}).status_code == 400
    assert writer.post(URL, {"name": "Fixed"}, headers={"Idempotency-Key": "k"}).status_code == 201


def test_it_audits_every_call_with_the_key(reader, candidate, read_key):
    reader.get(f"{URL}/{candidate.code}")
    event = AuditEvent.objects.get()
    assert event.actor == read_key[0].user and event.action == "viewed"
    assert event.candidate_code == candidate.code
    assert read_key[0].prefix in event.detail and "→ 200" in event.detail
    assert json.dumps(event.detail).count("idk_") == 1  # the prefix only, never the token
    assert read_key[1] not in event.detail
