"""The session, the user and their roles are read in plain SQL on every request (accounts/sessions.py,
accounts/backends.py, accounts/roles.py). They must behave exactly as Django's own readers."""

from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.backends import ModelBackend
from accounts.sessions import SessionStore

DASHBOARD = reverse("interviews:dashboard")


def logged_in(user) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "password"})
    assert "_auth_user_id" in client.session
    return client


def test_it_reads_back_what_a_session_saved(db):
    session = SessionStore()
    session["answer"] = 42
    session.create()

    assert SessionStore(session.session_key)["answer"] == 42


def test_it_starts_an_empty_session_for_an_expired_unknown_or_malformed_key(db):
    session = SessionStore()
    session["answer"] = 42
    session.create()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    for key in (session.session_key, "x" * 32, "short", None):
        store = SessionStore(key)
        assert "answer" not in store
        assert store.session_key is None


def test_it_logs_a_user_in_and_out_through_the_database_session(interviewer):
    client = logged_in(interviewer)
    assert client.get(DASHBOARD).status_code == 200

    client.post(reverse("logout"))
    assert not Session.objects.exists()
    assert client.get(DASHBOARD).status_code == 302


def test_it_stops_a_stolen_cookie_when_its_session_is_deleted(interviewer):
    client = logged_in(interviewer)
    thief = Client()
    thief.cookies["sessionid"] = client.cookies["sessionid"].value
    assert thief.get(DASHBOARD).status_code == 200

    Session.objects.all().delete()  # what logging out elsewhere, or clearsessions, does
    assert thief.get(DASHBOARD).status_code == 302


def test_it_loads_the_user_with_every_column_converted_as_the_orm_does(interviewer):
    interviewer.last_login = timezone.now()
    interviewer.save()

    user = ModelBackend().get_user(interviewer.pk)

    assert user == interviewer
    assert isinstance(user.last_login, datetime) and isinstance(user.date_joined, datetime)
    assert user.is_active is True and user.is_staff is False
    assert user.password == interviewer.password


def test_it_refuses_an_inactive_or_missing_user(interviewer):
    interviewer.is_active = False
    interviewer.save()

    assert ModelBackend().get_user(interviewer.pk) is None
    assert ModelBackend().get_user(interviewer.pk + 1000) is None


def test_it_ends_an_existing_session_when_its_user_is_deactivated(interviewer):
    client = logged_in(interviewer)
    interviewer.is_active = False
    interviewer.save()

    assert client.get(DASHBOARD).status_code == 302


def test_it_ends_the_session_on_a_password_change_elsewhere(interviewer):
    client = logged_in(interviewer)
    interviewer.set_password("a-new-password-entirely")
    interviewer.save()

    assert client.get(DASHBOARD).status_code == 302


def test_it_reads_roles_from_the_groups_once_per_request(interviewer, django_assert_num_queries):
    interviewer.groups.add(Group.objects.get(name=roles.HIRING_MANAGERS))
    user = ModelBackend().get_user(interviewer.pk)

    with django_assert_num_queries(1):
        assert roles.has_role(user, roles.INTERVIEWERS)
        assert roles.has_role(user, roles.HIRING_MANAGERS)
        assert not roles.has_role(user, roles.BANK_EDITORS)
    assert roles.names_for(interviewer.pk) == {roles.INTERVIEWERS, roles.HIRING_MANAGERS}


def test_it_applies_a_role_taken_away_to_the_next_request(manager):
    client = logged_in(manager)
    audit = reverse("interviews:audit")
    assert client.get(audit).status_code == 200

    manager.groups.clear()
    assert client.get(audit).status_code == 404
