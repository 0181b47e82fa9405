"""API keys: hashed, shown once, revoked, scoped, rate-limited; session callers and CSRF."""

from django.test import Client

from api.models import ApiKey, hash_token
from interviews.models import Candidate

from .conftest import ApiClient

URL = "/api/v1/candidates"


def test_it_stores_only_a_hash_of_the_token(write_key):
    key, token = write_key
    assert token.startswith(key.prefix + "_") and len(token) > 50
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert token not in str(stored) and stored["hashed"] == hash_token(token)


def test_it_refuses_a_token_with_the_right_prefix_and_a_wrong_secret(write_key):
    token = write_key[1]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert ApiClient(forged).get(URL).status_code == 401
    for junk in ("", "idk_", "idk_x", "Bearer", "x" * 5000, "idk_" + "_" * 300):
        response = Client().get(URL, headers={"Authorization": f"Bearer {junk}"})
        assert response.status_code == 401, junk


def test_it_stops_a_revoked_key_at_once(writer, write_key):
    assert writer.get(URL).status_code == 200
    write_key[0].revoke()
    response = writer.get(URL)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_it_stops_a_key_when_its_maker_is_no_longer_a_manager(writer, manager):
    manager.groups.clear()
    assert writer.get(URL).status_code == 401


def test_it_records_the_last_use(reader, read_key):
    assert read_key[0].last_used_at is None
    reader.get(URL)
    read_key[0].refresh_from_db()
    assert read_key[0].last_used_at is not None


def test_it_refuses_writes_with_a_read_key(reader):
    response = reader.post(URL, {"name": "Nope"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not Candidate.objects.exists()


def test_it_answers_429_with_retry_after_over_the_limit(reader, settings):
    settings.API_RATE_LIMIT = 3
    assert [reader.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = reader.get(URL)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_WINDOW + 1
    assert response.json()["error"]["code"] == "rate_limited"


def test_it_limits_calls_per_key(reader, writer, settings):
    settings.API_RATE_LIMIT = 1
    assert reader.get(URL).status_code == 200
    assert reader.get(URL).status_code == 429
    assert writer.get(URL).status_code == 200


def test_it_lets_calls_through_again_in_a_new_window(reader, read_key, settings):
    settings.API_RATE_LIMIT = 1
    reader.get(URL)
    assert reader.get(URL).status_code == 429
    ApiKey.objects.filter(pk=read_key[0].pk).update(window=0)  # the window has passed
    assert reader.get(URL).status_code == 200


def test_it_needs_the_csrf_token_for_a_session_write(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    client.get("/settings/api-keys/")  # sets the CSRF cookie, as the browser would have it
    token = client.cookies["csrftoken"].value
    refused = client.post(URL, {"name": "No token"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    accepted = client.post(
        URL, {"name": "With token"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    assert list(Candidate.objects.values_list("name", flat=True)) == ["With token"]


def test_it_needs_no_csrf_token_for_a_session_read(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(URL).status_code == 200


def test_it_needs_no_csrf_token_for_an_api_key_write(write_key):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL,
        {"name": "From the ATS"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {write_key[1]}"},
    )
    assert response.status_code == 201


def test_it_shows_a_new_token_once_on_the_keys_page_and_revokes_it(client, manager):
    client.force_login(manager)
    response = client.post("/settings/api-keys/", {"name": "Greenhouse", "scope": "write"})
    key = ApiKey.objects.get()
    token = response.context["token"]
    assert token.startswith(key.prefix) and token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get("/settings/api-keys/")
    assert again.status_code == 200 and token not in again.content.decode()
    response = client.post(f"/settings/api-keys/{key.code}/revoke/")
    key.refresh_from_db()
    assert response.status_code == 302 and key.revoked_at is not None
    assert ApiClient(token).get(URL).status_code == 401


def test_it_refuses_a_bad_form_on_the_keys_page(client, manager):
    client.force_login(manager)
    response = client.post("/settings/api-keys/", {"name": "", "scope": "admin"})
    assert response.status_code == 400 and not ApiKey.objects.exists()


def test_it_answers_a_write_without_key_or_session_401_not_a_csrf_refusal(db):
    response = Client(enforce_csrf_checks=True).post(
        URL, {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_it_answers_json_never_html(reader, candidate):
    """Names typed anywhere reach the API only as JSON strings: no page renders them here."""
    Candidate.objects.filter(pk=candidate.pk).update(name="<script>alert(1)</script>")
    response = reader.get(f"{URL}/{candidate.code}")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["name"] == "<script>alert(1)</script>"
    assert reader.get("/api/v1/no-such-thing")["Content-Type"].startswith("application/json")


def test_it_records_api_calls_so_they_read_well_in_the_audit_log(
    reader, read_key, candidate, client, manager
):
    reader.get(URL)
    reader.get(f"{URL}/{candidate.code}")
    client.force_login(manager)
    page = client.get("/audit/").content.decode()
    assert "API key " + read_key[0].prefix in page
    assert "Candidate Ada Lovelace" in page and "erased candidate" not in page
