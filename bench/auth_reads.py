"""Do the plain-SQL session and user reads (accounts/sessions.py, accounts/backends.py) still pay?

    .venv/bin/python bench/auth_reads.py [--repeats 5]

In one process, on a scratch SQLite database with the production settings (bench/settings.py),
alternating in each repetition: (1) the two reads alone, a session load and get_user(), ours
and Django's; (2) a whole logged-in GET /hello/user/ through the test client, with our session
engine and backend and with Django's. Prints the median and every run, in microseconds, and a
last RESULT line with what the two reads save per logged-in request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            DEBUG="false",
            SECRET_KEY="bench-" * 8,
            ALLOWED_HOSTS="testserver",
            DATABASE_URL=f"sqlite:///{scratch}/bench.sqlite3",
            DJANGO_SETTINGS_MODULE="bench.settings",
            BENCH_STATIC_ROOT=f"{scratch}/static",
            REQUEST_LOG="false",
        )
        import django

        django.setup()
        run(args.repeats)


def run(repeats: int) -> None:
    from django.contrib.auth.backends import ModelBackend as DjangoBackend
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.backends import ModelBackend as OurBackend
    from accounts.sessions import SessionStore as OurStore

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("alice", "alice@example.com", "password")
    session = DjangoStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()

    def reads(store, backend, n=3000) -> float:
        backend = backend()
        started = time.perf_counter()
        for _ in range(n):
            store(session.session_key).load()
            backend.get_user(user.pk)
        return (time.perf_counter() - started) / n * 1e6

    def request(engine: str, backend: str, n=500) -> float:
        with override_settings(SESSION_ENGINE=engine, AUTHENTICATION_BACKENDS=[backend]):
            client = Client()
            client.force_login(user)
            for _ in range(50):
                client.get("/hello/user/")
            started = time.perf_counter()
            for _ in range(n):
                assert client.get("/hello/user/").status_code == 200
            return (time.perf_counter() - started) / n * 1e6

    ours, django_ = "accounts.sessions", "django.contrib.sessions.backends.db"
    figures: dict[str, list[float]] = {
        k: [] for k in ("reads ours", "reads Django", "request ours", "request Django")
    }
    for _ in range(repeats):
        figures["reads ours"].append(reads(OurStore, OurBackend))
        figures["reads Django"].append(reads(DjangoStore, DjangoBackend))
        figures["request ours"].append(request(ours, "accounts.backends.ModelBackend"))
        figures["request Django"].append(
            request(django_, "django.contrib.auth.backends.ModelBackend")
        )
    medians = {k: statistics.median(v) for k, v in figures.items()}
    for name, runs in figures.items():
        print(f"{name:15} median {medians[name]:7.0f} µs   runs {[round(r) for r in runs]}")
    saved = medians["request Django"] - medians["request ours"]
    share = saved / medians["request Django"]
    print(f"RESULT plain-SQL reads save {saved:.0f} µs per logged-in request ({share:.0%} of it)")


if __name__ == "__main__":
    main()
