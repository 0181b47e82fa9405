"""What happens when things break: the database goes away, an import is killed halfway."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from questionbank.models import Bank, Question

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "banks" / "day6-transformers-llms.md"


class BrokenCursor:
    def __enter__(self):
        raise OperationalError("connection refused")

    def __exit__(self, *exc):
        return False


def test_it_answers_healthz_503_when_the_database_is_down(client, monkeypatch):
    from config import health

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_it_answers_healthz_ok_for_any_host(db):
    response = Client(HTTP_HOST="10.20.30.40").get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.fixture
def database_down_in_views(settings, monkeypatch):
    """Views fail as they would while PostgreSQL restarts; error pages render as in production."""
    settings.DEBUG = False
    from interviews.views import dashboard

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(dashboard.Paginator, "get_page", refuse)


def test_it_shows_a_503_page_not_a_traceback_when_the_database_is_down(
    database_down_in_views, interviewer
):
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"briefly unavailable" in response.content
    assert b"Traceback" not in response.content


def test_it_answers_htmx_with_a_plain_503_the_live_view_retries(
    database_down_in_views, interviewer
):
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)

    response = client.get("/", headers={"HX-Request": "true"})

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def test_it_keeps_other_errors_as_500(settings, interviewer, monkeypatch):
    settings.DEBUG = False
    from interviews.views import dashboard

    monkeypatch.setattr(dashboard.Paginator, "get_page", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)

    response = client.get("/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_it_changes_nothing_when_an_import_fails_halfway(seed_bank, monkeypatch):
    from questionbank.parser import parse_bank
    from questionbank.services import import_bank

    edited = parse_bank(SEED.read_text().replace("Parallelization:", "Parallelisation:"))
    before = list(Question.objects.order_by("pk").values_list("pk", "answer", "updated"))
    saves = 0
    original = Question.save

    def fail_on_the_twentieth_save(self, *args, **kwargs):
        nonlocal saves
        saves += 1
        if saves == 20:
            raise OperationalError("connection lost")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Question, "save", fail_on_the_twentieth_save)

    with pytest.raises(OperationalError):
        import_bank(edited, slug="a-copy")
    with pytest.raises(OperationalError):
        saves = 19  # the one changed question is the twentieth save
        import_bank(edited, slug=seed_bank.slug)

    assert not Bank.objects.filter(slug="a-copy").exists()
    assert list(Question.objects.order_by("pk").values_list("pk", "answer", "updated")) == before
    assert Bank.objects.get(pk=seed_bank.pk).revision == seed_bank.revision


KILLABLE_IMPORT = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
from questionbank.models import Question

original = Question.save
count = 0

def slow_save(self, *args, **kwargs):
    global count
    original(self, *args, **kwargs)
    count += 1
    if count == 20:
        print("halfway", flush=True)
        time.sleep(60)

Question.save = slow_save
call_command("import_bank", sys.argv[1], verbosity=0)
"""


def test_it_leaves_the_database_as_it_was_when_an_import_is_killed(tmp_path):
    """A real SIGKILL in the middle of the import transaction: nothing it wrote survives."""
    database = tmp_path / "killed.sqlite3"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE_IMPORT)
    process = subprocess.Popen(
        [sys.executable, str(script), str(SEED)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "halfway"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()

    deadline = time.monotonic() + 5
    with sqlite3.connect(database) as connection:
        while True:
            try:
                counts = [
                    connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                    for table in ("questionbank_bank", "questionbank_question")
                ]
                break
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    assert counts == [0, 0]


def test_it_logs_requests_without_queries_or_screen_tokens(client, interviewer, caplog):
    client.force_login(interviewer)

    with caplog.at_level("INFO", logger="interview_desk.requests"):
        client.get("/?q=Zebedee-Marker")
        client.get("/screen/secret-token-value/")

    lines = [r.getMessage() for r in caplog.records if r.name == "interview_desk.requests"]
    assert '"path": "/"' in lines[0] and '"status": 200' in lines[0]
    assert f'"user": {interviewer.pk}' in lines[0]
    assert "Zebedee" not in "".join(lines)
    assert "secret-token-value" not in "".join(lines)
    assert '"path": "/screen/<token>/"' in lines[1]


def test_it_logs_a_database_outage_as_one_line_per_request(
    database_down_in_views, interviewer, caplog
):
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)

    with caplog.at_level("ERROR", logger="django.request"):
        client.get("/")

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == (
        "Service Unavailable: / (database unavailable, OperationalError: "
        "server closed the connection unexpectedly)"
    )
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_it_keeps_tracebacks_of_other_errors_without_screen_tokens(settings, monkeypatch, caplog):
    settings.DEBUG = False
    from interviews.views import access

    monkeypatch.setattr(access, "screen_interview", lambda token: 1 / 0)
    client = Client(raise_request_exception=False)

    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/screen/secret-token-value/")

    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /screen/<token>/"
    assert record.exc_info[0] is ZeroDivisionError
    assert "secret-token-value" not in caplog.text
