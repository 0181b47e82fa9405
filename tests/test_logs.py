"""What reaches a log: no candidate-screen token, and no line a client can start (%0A in a path),
in the app's request log, its error log, or anything gunicorn writes."""

import json
import logging
import runpy
from pathlib import Path

from django.test import Client

from config.request_log import ErrorLogFilter

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
CRAFTED = "/screen/secret-token-value/x%0A%7B%22forged%22%3A%201%7D%0D%0AInternal Server Error: /"


def test_it_writes_no_gunicorn_access_log(monkeypatch):
    """gunicorn's access log printed every polled screen URL, token and all; the app's request
    log (one JSON line, token masked) replaces it, and an environment variable cannot bring it
    back."""
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "-")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf.get("accesslog") is None
    assert "access_log_format" not in conf


def test_it_trusts_the_same_proxies_in_gunicorn_as_in_the_app(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.2,172.18.0.0/16")
    assert runpy.run_path(str(GUNICORN_CONF))["forwarded_allow_ips"] == "10.0.0.2,172.18.0.0/16"
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert runpy.run_path(str(GUNICORN_CONF))["forwarded_allow_ips"] == "127.0.0.1"


def test_it_keeps_a_crafted_path_on_one_request_log_line(client, db, caplog):
    with caplog.at_level("INFO", logger="interview_desk.requests"):
        client.get(CRAFTED)

    [record] = [r for r in caplog.records if r.name == "interview_desk.requests"]
    line = logging.Formatter().format(record)
    assert "\n" not in line and "\r" not in line
    assert "secret-token-value" not in line
    assert (
        json.loads(line)["path"]
        == '/screen/<token>/x\\n{"forged": 1}\\r\\nInternal Server Error: /'
    )


def test_it_keeps_a_crafted_path_on_one_error_log_line(settings, monkeypatch, caplog):
    settings.DEBUG = False
    from interviews.views import access

    monkeypatch.setattr(access, "screen_interview", lambda token: 1 / 0)
    path = "/screen/secret%0AForged: line/"
    client = Client(raise_request_exception=False)

    with caplog.at_level("ERROR", logger="django.request"):
        client.get(path)

    [record] = [r for r in caplog.records if r.name == "django.request"]
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message
    assert message == "Internal Server Error: /screen/<token>/"


def test_it_escapes_every_control_character_in_the_error_log():
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Not Found: %s",
        ("/a\r\nb\x1b[31m\x00",),
        None,
    )
    ErrorLogFilter().filter(record)
    assert record.getMessage() == "Not Found: /a\\r\\nb\\x1b[31m\\x00"
