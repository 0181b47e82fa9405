"""The analytics pages at volume on PostgreSQL: refresh cost, page p50, queries per page.

    .venv/bin/python bench/analytics.py [--database-url postgres://postgres@127.0.0.1:5432/wt_analytics]
                                        [--interviews 50000] [--requests 30] [--keep]

Drops and recreates the scratch database named in the URL (never the default one), migrates it,
loads the seed bank, seeds 10,000 candidates and --interviews interviews across 50 interviewers
with `seed_volume`, then times `refresh_analytics` (the snapshot the pages read). Each analytics
page and its CSV is then requested --requests times in-process through Django's test client, as
the role that may see it, after one warm-up request; the script prints p50 and p90 in
milliseconds and the number of SQL queries of one request. Target: p50 under 300 ms per page with
a query count that does not depend on the volume.

The last line: RESULT worst_p50_ms=N max_queries=Q refresh_s=S
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = [
    ("interviews:analytics_calibration", "bench-manager"),
    ("interviews:analytics_calibration_csv", "bench-manager"),
    ("interviews:analytics_agreement", "bench-manager"),
    ("interviews:analytics_agreement_csv", "bench-manager"),
    ("interviews:analytics_mine", "volume-interviewer-000"),
    ("interviews:analytics_mine_csv", "volume-interviewer-000"),
    ("interviews:analytics_questions", "bench-editor"),
    ("interviews:analytics_questions_csv", "bench-editor"),
]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wt_analytics")
    parser.add_argument("--interviews", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Reuse the seeded database if there.")
    args = parser.parse_args()
    url = urlparse(args.database_url)
    name = url.path.lstrip("/")
    if name in ("", "postgres", "interview_desk"):
        parser.error("give a scratch database name, not the default one")
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "true"}
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    host = ["-h", url.hostname or "127.0.0.1", "-U", url.username or "postgres"]
    if not args.keep:
        subprocess.run(["dropdb", *host, "--if-exists", name], check=True)
        subprocess.run(["createdb", *host, name], check=True)
        manage("migrate", "-v", "0", env=env)
        manage("loaddata", "day6-transformers-llms", "-v", "0", env=env)
        started = time.perf_counter()
        manage("seed_volume", "--interviews", str(args.interviews), env=env)
        print(f"seed_volume: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    manage("refresh_analytics", env=env)
    refresh = time.perf_counter() - started

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts import roles

    setup_test_environment()
    settings.DEBUG = True  # to count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    for username, role in (
        ("bench-manager", roles.HIRING_MANAGERS),
        ("bench-editor", roles.BANK_EDITORS),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=role))
    worst, most = 0.0, 0
    print(f"refresh_analytics: {refresh:.1f} s (including process start)")
    print(f"{'page':42} {'p50 ms':>8} {'p90 ms':>8} {'queries':>8}")
    for name, username in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        path = reverse(name)
        assert client.get(path).status_code == 200, name
        times = []
        for _ in range(args.requests):
            reset_queries()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        queries = len(connection.queries)
        p50 = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        worst, most = max(worst, p50), max(most, queries)
        print(f"{name:42} {p50:8.1f} {p90:8.1f} {queries:8}")
    print(f"RESULT worst_p50_ms={worst:.1f} max_queries={most} refresh_s={refresh:.1f}")
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
