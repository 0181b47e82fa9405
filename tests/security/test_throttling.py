"""Login throttling: failures lock an account name or an address for LOGIN_THROTTLE minutes, on the
app's login page and the admin's, without ever telling whether an account exists."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews import roles
from interviews.auth import LOCKED_MESSAGE
from interviews.models import LoginFailure

from .helpers import make_user

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
WRONG = "not-the-password"
INVALID = re.compile(r"Please enter (a|the) correct username and password")


@pytest.fixture
def alice(db):
    return make_user("alice", roles.INTERVIEWERS)


@pytest.fixture
def editor(db):
    return make_user("editor", roles.BANK_EDITORS)


def attempt(username, password, *, url=LOGIN, address="127.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(url, {"username": username, "password": password})
    return response, "_auth_user_id" in client.session


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=settings.LOGIN_THROTTLE["minutes"])


def fail(username, times, **kwargs):
    for _ in range(times):
        response, logged_in = attempt(username, WRONG, **kwargs)
        assert response.status_code == 200 and not logged_in
        assert INVALID.search(response.text)


def page_text(response, username: str) -> str:
    """The page with what legitimately differs between two requests taken out."""
    text = response.content.decode()
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", text)
    text = re.sub(r'("x-csrftoken": ")[^"]+', r"\1…", text)
    return text.replace(username, "USERNAME")


def test_five_failures_lock_a_username_even_with_the_right_password(alice):
    fail("alice", 2)
    fail("Alice", 2)  # account names are compared without case, as people type them
    assert attempt("ALICE", WRONG)[0].status_code == 200

    response, logged_in = attempt("alice", "password")

    assert not logged_in
    assert locked_message() in response.text
    assert LoginFailure.objects.filter(username="alice").count() == 5


def test_four_failures_do_not_lock(alice):
    fail("alice", settings.LOGIN_THROTTLE["per_username"] - 1)

    response, logged_in = attempt("alice", "password")

    assert response.status_code == 302 and logged_in


def test_an_unknown_username_locks_the_same_way_with_the_same_page(alice):
    fail("alice", 5)
    fail("ghost", 5)

    known, _ = attempt("alice", "password")
    unknown, _ = attempt("ghost", "password")

    assert locked_message() in unknown.text
    assert page_text(known, "alice") == page_text(unknown, "ghost")


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_the_login_page_never_says_whether_an_account_exists(url, alice, editor):
    wrong_password, _ = attempt("editor", WRONG, url=url)
    no_such_account, _ = attempt("nobody-here", WRONG, url=url)

    assert wrong_password.status_code == no_such_account.status_code == 200
    assert page_text(wrong_password, "editor") == page_text(no_such_account, "nobody-here")


def test_twenty_failures_from_one_address_lock_the_address(alice):
    per_address = settings.LOGIN_THROTTLE["per_address"]
    for n in range(per_address):
        fail(f"guess-{n}", 1, address="203.0.113.7")

    response, logged_in = attempt("alice", "password", address="203.0.113.7")
    assert not logged_in and locked_message() in response.text

    response, logged_in = attempt("alice", "password", address="198.51.100.1")
    assert response.status_code == 302 and logged_in


def test_the_lock_ages_out(alice):
    fail("alice", 5)
    minutes = settings.LOGIN_THROTTLE["minutes"]

    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=minutes - 1))
    assert not attempt("alice", "password")[1], "still locked a minute before it ages out"
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=minutes, seconds=1))

    response, logged_in = attempt("alice", "password")
    assert response.status_code == 302 and logged_in


def test_the_admin_login_is_throttled_too(editor):
    fail("editor", 5, url=ADMIN_LOGIN)

    response, logged_in = attempt("editor", "password", url=ADMIN_LOGIN)

    assert not logged_in
    assert locked_message() in response.text
    # One lock for both doors: failures at the admin lock the app's login as well.
    assert not attempt("editor", "password")[1]
