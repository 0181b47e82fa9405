"""Login throttling (django-axes, rules in accounts/lockout.py): failures lock one (account name,
client address) pair, on the app's login page and the admin's, without ever telling whether an
account exists; the client address comes from TRUSTED_PROXIES."""

import io
import re
import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.client import client_address
from accounts.handlers import KEPT_REQUEST_TEXT
from accounts.lockout import lock_length, purge_expired_attempts
from tests.conftest import make_user

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
WRONG = "not-the-password"
INVALID = re.compile(r"Please enter (a|the) correct username and password")
LOCKED = "Too many failed attempts"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.1"


def attempt(username, password, *, url=LOGIN, address=HOME, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(url, {"username": username, "password": password})
    return response, "_auth_user_id" in client.session


def fail(username, times, **kwargs):
    for _ in range(times):
        response, logged_in = attempt(username, WRONG, **kwargs)
        assert response.status_code == 200 and not logged_in
        assert INVALID.search(response.text)


def lock(username, **kwargs):
    """Fail up to the limit: the last failure already answers with the lockout page."""
    fail(username, settings.AXES_FAILURE_LIMIT - 1, **kwargs)
    assert_locked(*attempt(username, WRONG, **kwargs))


def assert_locked(response, logged_in):
    assert not logged_in
    assert response.status_code == 429
    assert LOCKED in response.text


def page_text(response, username: str) -> str:
    """The page with what legitimately differs between two requests taken out."""
    text = response.content.decode()
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", text)
    text = re.sub(r'("x-csrftoken": ")[^"]+', r"\1…", text)
    return text.replace(username, "USERNAME")


def test_it_locks_the_pair_even_with_the_right_password(interviewer):
    fail("interviewer", 2)
    fail("Interviewer ", 2)  # account names are compared as people type them
    assert_locked(*attempt("INTERVIEWER", WRONG))

    assert_locked(*attempt("interviewer", "password"))
    assert AccessAttempt.objects.get().failures_since_start == 6


def test_it_lets_the_right_password_in_from_another_address(interviewer):
    lock("interviewer")

    response, logged_in = attempt("interviewer", "password", address=ELSEWHERE)

    assert response.status_code == 302 and logged_in
    assert_locked(*attempt("interviewer", "password"))


def test_it_does_not_lock_after_four_failures_and_a_login_forgets_them(interviewer):
    fail("interviewer", settings.AXES_FAILURE_LIMIT - 1)

    response, logged_in = attempt("interviewer", "password")

    assert response.status_code == 302 and logged_in
    assert not AccessAttempt.objects.exists()


def test_it_locks_only_the_pairs_when_many_accounts_fail_from_one_address(interviewer):
    for n in range(30):
        fail(f"guess-{n}", 1)

    response, logged_in = attempt("interviewer", "password")

    assert response.status_code == 302 and logged_in


def test_it_locks_an_unknown_username_the_same_way_with_the_same_page(interviewer):
    lock("interviewer")
    lock("ghost")

    known, _ = attempt("interviewer", "password")
    unknown, _ = attempt("ghost", "password")

    assert known.status_code == unknown.status_code == 429
    assert page_text(known, "interviewer") == page_text(unknown, "ghost")


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_it_never_says_on_the_login_page_whether_an_account_exists(url, interviewer, editor):
    wrong_password, _ = attempt("editor", WRONG, url=url)
    no_such_account, _ = attempt("nobody-here", WRONG, url=url)

    assert wrong_password.status_code == no_such_account.status_code == 200
    assert page_text(wrong_password, "editor") == page_text(no_such_account, "nobody-here")


def test_it_ages_the_lock_out_and_doubles_it_on_each_attempt_during_it(interviewer):
    lock("interviewer")
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    assert lock_length(5) == timedelta(minutes=minutes)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes - 1))
    assert_locked(*attempt("interviewer", "password"))  # counted: the lock is now twice as long
    assert AccessAttempt.objects.get().failures_since_start == 6

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes + 1))
    response, logged_in = attempt("interviewer", "password")
    assert_locked(response, logged_in)
    assert f"Try again in {4 * minutes} minutes" in response.text

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=4 * minutes + 1))
    response, logged_in = attempt("interviewer", "password")
    assert response.status_code == 302 and logged_in


def test_it_keeps_the_row_of_a_hammered_locked_pair_small(interviewer):
    lock("interviewer")
    for _ in range(40):
        assert_locked(*attempt("interviewer", WRONG))

    row = AccessAttempt.objects.get()
    assert row.failures_since_start == 45
    assert len(row.post_data) <= KEPT_REQUEST_TEXT and len(row.get_data) <= KEPT_REQUEST_TEXT
    assert "not-the-password" not in row.post_data


def test_it_grows_lock_lengths_to_the_maximum():
    base = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    limit = settings.AXES_FAILURE_LIMIT
    assert [lock_length(limit + n) for n in range(4)] == [base, 2 * base, 4 * base, 8 * base]
    assert lock_length(limit + 10_000) == timedelta(hours=settings.LOGIN_LOCKOUT_MAX_HOURS)


def test_it_throttles_the_admin_login_too(editor):
    fail("editor", 3, url=ADMIN_LOGIN)
    fail("editor", 1)
    assert_locked(*attempt("editor", WRONG, url=ADMIN_LOGIN))

    # One count for both doors.
    assert_locked(*attempt("editor", "password", url=ADMIN_LOGIN))
    assert_locked(*attempt("editor", "password"))


def test_it_lets_staff_unlock_a_pair_in_the_admin(interviewer, db):
    lock("interviewer")
    admin = User.objects.create_superuser("root", "root@example.com", "password")
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "interviewer" in client.get(changelist).text

    pk = AccessAttempt.objects.get().pk
    client.post(changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})

    assert not AccessAttempt.objects.exists()
    response, logged_in = attempt("interviewer", "password")
    assert response.status_code == 302 and logged_in


def test_it_forgets_expired_attempts_in_the_retention_purge(interviewer):
    lock("interviewer")
    fail("ghost", 1, address=ELSEWHERE)
    AccessAttempt.objects.filter(username="ghost").update(
        attempt_time=timezone.now() - timedelta(days=2)
    )
    AccessAttempt.objects.get(username="ghost").expiration.delete()

    assert purge_expired_attempts() == 1
    call_command("purge_candidates", "--older-than", "365", stdout=io.StringIO())
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["interviewer"]

    AccessAttemptExpiration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("purge_candidates", "--older-than", "365", stdout=io.StringIO())
    assert not AccessAttempt.objects.exists()


def _request(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_it_takes_the_peer_as_the_client_address_unless_it_is_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("10.0.0.2", "1.2.3.4")) == "10.0.0.2"

    settings.TRUSTED_PROXIES = ["10.0.0.2", "192.168.0.0/16"]
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    assert client_address(_request("10.0.0.2", "1.2.3.4")) == "1.2.3.4"
    # The client's own entries are on the left: only the right-most untrusted hop counts.
    assert client_address(_request("10.0.0.2", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert client_address(_request("10.0.0.2", "6.6.6.6, 1.2.3.4, 192.168.1.1")) == "1.2.3.4"
    assert client_address(_request("10.0.0.2", "not-an-ip, 192.168.1.1")) == "192.168.1.1"
    assert client_address(_request("10.0.0.2", "")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2")) == "10.0.0.2"


def test_it_gives_each_client_behind_a_trusted_proxy_its_own_pair(interviewer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    lock("interviewer", address="10.0.0.2", HTTP_X_FORWARDED_FOR=HOME)

    assert_locked(
        *attempt("interviewer", "password", address="10.0.0.2", HTTP_X_FORWARDED_FOR=HOME)
    )
    # A forged left-hand entry does not escape the lock, and other clients are not locked.
    forged = f"{ELSEWHERE}, {HOME}"
    assert_locked(
        *attempt("interviewer", "password", address="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    )
    response, logged_in = attempt(
        "interviewer", "password", address="10.0.0.2", HTTP_X_FORWARDED_FOR=ELSEWHERE
    )
    assert response.status_code == 302 and logged_in


def test_it_lets_no_untrusted_peer_pick_its_address_with_a_header(interviewer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    lock("interviewer")

    for n in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
        assert_locked(*attempt("interviewer", "password", **forged))


class CountingHasher(PBKDF2PasswordHasher):
    """The production hasher (slow, and it releases the GIL, as in a real race), counting checks."""

    checks: list[str] = []

    def verify(self, password, encoded):
        self.checks.append(password)
        return super().verify(password, encoded)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel logins need PostgreSQL")
def test_it_counts_exactly_the_limit_of_thirty_parallel_guesses(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("interviewer", roles.INTERVIEWERS)
    CountingHasher.checks.clear()
    start = threading.Barrier(30)

    def guess():
        try:
            start.wait()
            attempt("interviewer", WRONG)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(CountingHasher.checks) == settings.AXES_FAILURE_LIMIT
    assert AccessAttempt.objects.get().failures_since_start == 30
