"""Settings come from the environment and fail loudly, naming the variable, on a bad value."""

import importlib.util
import os
import subprocess
import sys
from types import ModuleType

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOW_INSECURE_SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "DB_RANDOM_PAGE_COST",
    "DB_PREPARE_THRESHOLD",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "REQUEST_LOG",
    "TRUSTED_PROXIES",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_LOCKOUT_MINUTES",
    "LOGIN_LOCKOUT_MAX_HOURS",
)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "desk.example.com"}


def load_settings(monkeypatch, **env: str) -> ModuleType:
    """Run config/settings.py afresh under `env`, beside (not instead of) the loaded settings."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "settings_under_test", settings.BASE_DIR / "config" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BAD = {
    "DEBUG not a boolean": ({"DEBUG": "maybe"}, "DEBUG must be one of"),
    "DATABASE_URL for MySQL": (
        {"DEBUG": "true", "DATABASE_URL": "mysql://root@127.0.0.1/desk"},
        "DATABASE_URL must start with postgres:// or sqlite://",
    ),
    "REDIS_URL not Redis": (
        {"DEBUG": "true", "REDIS_URL": "http://cache:6379"},
        "REDIS_URL must start with redis://, rediss:// or unix://, got 'http'",
    ),
    "SECRET_KEY missing in production": (
        {**PRODUCTION, "SECRET_KEY": ""},
        "SECRET_KEY is not set",
    ),
    "SECRET_KEY too short in production": (
        {**PRODUCTION, "SECRET_KEY": "short"},
        "SECRET_KEY must be at least 32 characters",
    ),
    "SECRET_KEY_FILE unreadable": (
        {**PRODUCTION, "SECRET_KEY_FILE": "/nonexistent/secret"},
        "SECRET_KEY_FILE='/nonexistent/secret' cannot be read",
    ),
    "DB_CONN_MAX_AGE not an integer": (
        {"DEBUG": "true", "DATABASE_URL": "postgres://u@db/desk", "DB_CONN_MAX_AGE": "abc"},
        "DB_CONN_MAX_AGE must be an integer, got 'abc'",
    ),
    "ALLOWED_HOSTS missing in production": (
        {**PRODUCTION, "ALLOWED_HOSTS": " , "},
        "ALLOWED_HOSTS must list",
    ),
    "SECURE_HSTS_SECONDS not an integer": (
        {**PRODUCTION, "SECURE_HSTS_SECONDS": "1y"},
        "SECURE_HSTS_SECONDS must be an integer",
    ),
    "TRUSTED_PROXIES not addresses": (
        {**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.2, proxy.internal"},
        "TRUSTED_PROXIES: 'proxy.internal' is not an IP address or network",
    ),
    "DB_RANDOM_PAGE_COST not a number": (
        {**PRODUCTION, "DATABASE_URL": "postgres://desk@db/desk", "DB_RANDOM_PAGE_COST": "low"},
        "DB_RANDOM_PAGE_COST must be a positive number, got 'low'",
    ),
    "DB_PREPARE_THRESHOLD not a number": (
        {**PRODUCTION, "DATABASE_URL": "postgres://desk@db/desk", "DB_PREPARE_THRESHOLD": "often"},
        "DB_PREPARE_THRESHOLD must be an integer, got 'often'",
    ),
    "LOGIN_FAILURE_LIMIT zero": (
        {**PRODUCTION, "LOGIN_FAILURE_LIMIT": "0"},
        "LOGIN_FAILURE_LIMIT and the LOGIN_LOCKOUT_\\* values must be at least 1",
    ),
}


def test_it_reads_trusted_proxies(monkeypatch):
    loaded = load_settings(monkeypatch, **PRODUCTION, TRUSTED_PROXIES=" 10.0.0.2 ,172.18.0.0/16,")
    assert loaded.TRUSTED_PROXIES == ["10.0.0.2", "172.18.0.0/16"]
    assert load_settings(monkeypatch, **PRODUCTION).TRUSTED_PROXIES == []


@pytest.mark.parametrize(("env", "message"), BAD.values(), ids=BAD.keys())
def test_it_fails_loudly_naming_the_variable(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        load_settings(monkeypatch, **env)


def test_it_uses_sqlite_without_a_database_url(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="true")

    assert loaded.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded.DATABASES["default"]["NAME"] == settings.BASE_DIR / "db.sqlite3"


def test_it_uses_postgres_for_a_postgres_url(monkeypatch):
    loaded = load_settings(
        monkeypatch, DEBUG="true", DATABASE_URL="postgres://desk@db.internal:5433/desk"
    )

    database = loaded.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "desk",
        "desk",
        "db.internal",
        5433,
    )
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    assert database["OPTIONS"] == {
        "options": "-c random_page_cost=1.1",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_it_keeps_the_servers_random_page_cost_when_told_to(monkeypatch):
    loaded = load_settings(
        monkeypatch, DEBUG="true", DATABASE_URL="postgres://desk@db/desk", DB_RANDOM_PAGE_COST=""
    )

    assert "options" not in loaded.DATABASES["default"].get("OPTIONS", {})


def test_it_keeps_a_cache_per_process_unless_given_redis(monkeypatch):
    alone = load_settings(monkeypatch, DEBUG="true")
    shared = load_settings(monkeypatch, DEBUG="true", REDIS_URL="redis://cache:6379/0")

    assert alone.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert shared.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared.CACHES["default"]["LOCATION"] == "redis://cache:6379/0"


def test_it_prepares_no_statements_when_told_to(monkeypatch):
    url = "postgres://desk@db/desk"
    loaded = load_settings(monkeypatch, DEBUG="true", DATABASE_URL=url, DB_PREPARE_THRESHOLD="")

    options = loaded.DATABASES["default"]["OPTIONS"]
    assert "prepare_threshold" not in options and "server_side_binding" not in options


def test_it_runs_in_production_with_everything_set(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k" * 40 + "\n")

    loaded = load_settings(
        monkeypatch, **{**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    )

    assert not loaded.DEBUG
    assert loaded.SECRET_KEY == "k" * 40
    assert loaded.ALLOWED_HOSTS == ["desk.example.com"]
    assert loaded.SESSION_COOKIE_SECURE and loaded.CSRF_COOKIE_SECURE


def test_it_needs_no_hosts_or_secret_in_development(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="yes")

    assert loaded.DEBUG
    assert loaded.SECRET_KEY
    assert not loaded.SESSION_COOKIE_SECURE


def test_it_refuses_to_start_with_a_bad_value():
    env = {**os.environ, "DEBUG": "maybe", "DJANGO_SETTINGS_MODULE": "config.settings"}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be one of true/false" in result.stderr


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="prepared statements are PostgreSQL's",
)
def test_it_prepares_the_statements_a_connection_repeats(django_user_model):
    from django.db import connection

    for _ in range(6):
        assert not django_user_model.objects.filter(username="nobody-at-all").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"auth_user"."username" = $2' in statement for statement in prepared)
