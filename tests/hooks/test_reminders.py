"""Scorecard deadlines and reminders: the slot rule, one email per slot, the overdue list."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from restapi.conftest import submit

from integrations import reminders
from integrations.models import ReminderSent
from interviews import services

SCHEDULE = reminders.Schedule(first=timedelta(hours=1), every=timedelta(days=1), limit=3)
END = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "slot"),
    [
        (timedelta(minutes=59), None),
        (timedelta(hours=1), 0),
        (timedelta(hours=24), 0),
        (timedelta(hours=25), 1),
        (timedelta(days=2, hours=1), 2),
        (timedelta(days=30), 2),  # the limit: three reminders, no more
    ],
)
def test_it_finds_the_latest_slot_due(after, slot):
    assert reminders.latest_slot(END, END + after, SCHEDULE) == slot


def test_it_sends_no_reminders_when_the_limit_is_zero():
    schedule = reminders.Schedule(first=timedelta(0), every=timedelta(days=1), limit=0)
    assert reminders.latest_slot(END, END + timedelta(days=9), schedule) is None


@pytest.fixture
def ended(make_interview):
    interview = make_interview("Ada Lovelace", planned_minutes=30)
    services.end_interview(interview=interview)
    interview.refresh_from_db()
    return interview


def test_it_reminds_an_hour_after_the_end_then_daily_never_twice(ended, interviewer):
    end = ended.ended_at
    assert reminders.send_due(now=end + timedelta(minutes=30), schedule=SCHEDULE) == 0
    assert reminders.send_due(now=end + timedelta(hours=1, minutes=1), schedule=SCHEDULE) == 1
    assert (
        reminders.send_due(now=end + timedelta(hours=2), schedule=SCHEDULE) == 0
    )  # slot 0 already sent
    assert reminders.send_due(now=end + timedelta(hours=26), schedule=SCHEDULE) == 1
    assert reminders.send_due(now=end + timedelta(days=9), schedule=SCHEDULE) == 1
    assert reminders.send_due(now=end + timedelta(days=10), schedule=SCHEDULE) == 0  # the limit
    assert [m.to for m in mail.outbox] == [[interviewer.email]] * 3
    assert "Ada Lovelace" in mail.outbox[0].subject
    assert f"/interviews/{ended.code}/summary/" in mail.outbox[0].body
    assert sorted(ReminderSent.objects.values_list("slot", flat=True)) == [0, 1, 2]


def test_it_sends_one_reminder_not_all_it_missed_after_the_worker_was_down(ended):
    assert (
        reminders.send_due(now=ended.ended_at + timedelta(days=2, hours=2), schedule=SCHEDULE) == 1
    )
    assert list(ReminderSent.objects.values_list("slot", flat=True)) == [2]


def test_it_never_sends_a_slot_already_recorded_again(ended, interviewer):
    """Two runs at once: the second finds the slot taken (unique row) and sends nothing."""
    ReminderSent.objects.create(interview=ended, user=interviewer, slot=0)
    at = ended.ended_at + timedelta(hours=2)
    assert reminders._remind(ended, interviewer, 0, at) == 0
    assert mail.outbox == []


def test_it_leaves_the_slot_to_try_again_when_the_email_fails(ended, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        reminders.send_due(now=ended.ended_at + timedelta(hours=2), schedule=SCHEDULE)
    assert not ReminderSent.objects.exists()


def test_it_sends_no_reminder_for_a_submitted_scorecard(ended):
    submit(ended)
    assert reminders.send_due(now=ended.ended_at + timedelta(days=1), schedule=SCHEDULE) == 0


def test_it_sends_due_reminders_from_the_command(ended, settings):
    settings.SCORECARD_REMINDER_FIRST_MINUTES = 0
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "Sent 1 reminder" in out.getvalue() and len(mail.outbox) == 1
    call_command("send_reminders", "--dry-run", stdout=out)
    assert len(mail.outbox) == 1


def test_it_makes_the_scorecard_due_a_configurable_time_after_the_end(ended, settings):
    settings.SCORECARD_DUE_HOURS = 48
    assert ended.scorecard_due_at == ended.ended_at + timedelta(hours=48)


def test_it_shows_managers_the_overdue_list(ended, client, manager, interviewer, settings):
    from interviews.models import Interview

    client.force_login(manager)
    before = client.get("/scorecards/overdue/")
    assert before.status_code == 200 and b"Ada Lovelace" not in before.content
    Interview.objects.filter(pk=ended.pk).update(ended_at=timezone.now() - timedelta(hours=30))
    response = client.get("/scorecards/overdue/")
    assert b"Ada Lovelace" in response.content and b"late" in response.content
    dashboard = client.get("/")
    assert b"1 scorecard overdue across the team" in dashboard.content
    client.force_login(interviewer)
    assert client.get("/scorecards/overdue/").status_code == 404


def test_it_shows_my_scorecards_due_on_the_dashboard(ended, client, interviewer):
    client.force_login(interviewer)
    response = client.get("/")
    assert b"Scorecards due" in response.content
    assert f"/interviews/{ended.code}/summary/".encode() in response.content
