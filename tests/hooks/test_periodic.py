"""`manage.py periodic`: the reminders and the webhook sweep, every tick, until it is stopped."""

import io
import os
import signal

import pytest
from django.core.management import call_command

from integrations.management.commands import periodic


@pytest.fixture
def restore_signals():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_it_runs_the_jobs_each_tick_and_stops_on_sigterm_between_runs(
    db, monkeypatch, restore_signals
):
    runs, sleeps = [], []
    monkeypatch.setattr(periodic, "run_once", lambda: runs.append(1) or (0, 0))

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # as `make run` stopping, or `docker stop`

    monkeypatch.setattr(periodic.time, "sleep", sleep)
    with pytest.raises(SystemExit) as stopped:
        call_command("periodic", "--tick", "7", stdout=io.StringIO())
    assert stopped.value.code == 0
    assert len(runs) == 2 and sleeps == [7.0, 7.0]


def test_it_lets_a_run_finish_when_sigterm_arrives_during_it(db, monkeypatch, restore_signals):
    finished = []

    def run_once():
        os.kill(os.getpid(), signal.SIGTERM)
        finished.append(1)  # reached: the handler did not cut the run short
        return 1, 2

    monkeypatch.setattr(periodic, "run_once", run_once)
    out = io.StringIO()
    call_command("periodic", stdout=out)  # returns instead of sleeping
    assert finished == [1] and "Sent 1 reminder(s), swept 2 delivery(ies)." in out.getvalue()
