"""Throughput and latency of the dashboard at volume, against a bare Django view, with query plans.

    .venv/bin/python bench/dashboard.py [--seconds 10] [--connections 16] [--postgres]

The scratch database (a temporary SQLite file, or with --postgres a throwaway database on
127.0.0.1, created then dropped) is seeded by `manage.py seed_volume`: 10,000 candidates and
50,000 interviews across 50 interviewers, 8 scored questions each (issue 6: "dashboard with 10,000
interviews in the database at least 25%"; --interviews may lower it, not below 10,000). Then, on
one gunicorn as bench/live.py starts it (gunicorn.conf.py, production settings, loopback only), wrk
measures in turn:

- GET /hello/: the bare view of bench/urls.py;
- GET / as an interviewer: their own interviews (about 1 in 50), page 1;
- GET / as a hiring manager: every interview, page 1;
- GET /?q=... as a hiring manager: a search by candidate name (about ten candidates match).

It prints requests/s, p50/p90/p99, the ratio of each dashboard to hello against the 25% target and
p99 against 25 ms, the queries each request runs (the dashboard's are constant in the size of the
data: tests/interviews/test_dashboard.py holds that budget) and the plans of the dashboard's
queries (the count, the page, the progress of the page's interviews): EXPLAIN ANALYZE on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite, so a reader sees which indexes serve them.

Exit status: 0 every target met, 1 a target missed, 2 the run itself failed.
"""

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import (
    GUNICORN_CONF,
    P99_TARGET_MS,
    PG_SERVER,
    BenchError,
    Pids,
    close_connections,
    code_version,
    cpu_per_request,
    ensure_wrk,
    free_port,
    gunicorn_settings,
    interrupted,
    login_session,
    other_load,
    pg_admin,
    prepare_environment,
    problems_in,
    run_wrk,
    server_messages,
    start_gunicorn,
    stop_gunicorn,
    verdict,
    wait_until_up,
)

DASHBOARD_TARGET = 0.25
MIN_INTERVIEWS = 10_000
# Matches "Volume Candidate 04210" to "...04219": ten of seed_volume's 10,000 candidates.
SEARCH = "candidate 0421"


@dataclass
class Page:
    """One measured URL and the session it is requested with (None: no cookies, as hello)."""

    name: str
    path: str
    session: str | None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--candidates", type=int, default=10_000, help="candidates to seed")
    parser.add_argument("--interviews", type=int, default=50_000, help="interviews to seed")
    parser.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--worker-threads",
        type=int,
        help="threads per worker, more than 1 = gthread workers (default: gunicorn.conf.py's)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"run on a throwaway Postgres database at {PG_SERVER} instead of SQLite",
    )
    parser.add_argument(
        "--pg-db", default="interview_desk_dash_bench", help="dropped and recreated"
    )
    args = parser.parse_args()
    if not args.pg_db.endswith("_bench") or not re.fullmatch(r"[a-z_][a-z0-9_]*", args.pg_db):
        parser.error("--pg-db must be a plain name ending in _bench: the bench drops it")
    if args.interviews < MIN_INTERVIEWS:
        parser.error(f"--interviews must be at least {MIN_INTERVIEWS:,} (issue 6's budget)")
    if args.candidates < 10_000:
        parser.error("--candidates must be at least 10,000: the search expects that many names")
    if not 1 <= args.seconds <= 300 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1..300 and --warmup 0..60")
    return args


def build_database(args: argparse.Namespace) -> list[Page]:
    """Migrate, load the seed bank, collect static files, seed the volume, log in two readers."""
    import django

    django.setup()
    import logging

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from accounts import roles

    logging.getLogger("interview_desk.requests").setLevel(logging.WARNING)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loaddata", "day6-transformers-llms", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    call_command(
        "seed_volume",
        candidates=args.candidates,
        interviews=args.interviews,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115 (a progress line per 2,000 interviews)
    )
    with connection.cursor() as cursor:
        # Statistics as a database in use has them, so the planner chooses as it would there.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"Seeded in {time.monotonic() - started:.0f} s.", flush=True)

    interviewer = User.objects.get(username="volume-interviewer-000")
    manager = User.objects.create_user("bench-manager")
    manager.groups.add(Group.objects.get(name=roles.HIRING_MANAGERS))
    dashboard = reverse("interviews:dashboard")
    pages = [
        Page("hello", "/hello/", None),
        # The logged-in floor (issue 17 restates the budget against it): session and user only.
        Page("user", "/hello/user/", login_session(interviewer)),
        Page("interviewer", dashboard, login_session(interviewer)),
        Page("manager", dashboard, login_session(manager)),
        Page("search", f"{dashboard}?{urllib.parse.urlencode({'q': SEARCH})}", None),
    ]
    pages[4].session = pages[3].session  # the search is the manager's: every interview
    close_connections()
    return pages


def count_queries(pages: list[Page]) -> dict[str, list[str]]:
    """The SQL each measured request runs, through Django's test client, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.session:
            client.cookies["sessionid"] = page.session
        client.get(page.path)  # fills the template cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        if response.status_code != 200:
            raise BenchError(f"{page.name} answered {response.status_code} in the query count")
        if page.name not in ("hello", "user") and b"scored</td>" not in response.content:
            raise BenchError(f"{page.name} listed no interviews")
        queries[page.name] = [q["sql"] for q in captured.captured_queries]
    close_connections()
    return queries


def dashboard_queries(sqls: list[str]) -> dict[str, str]:
    """The count, the page and the progress query among one dashboard request's SQL."""
    found = {}
    for sql in sqls:
        if 'FROM "interviews_interview"' in sql and "COUNT(*)" in sql:
            found["count"] = sql
        elif 'FROM "interviews_interview"' in sql and "LIMIT" in sql and "page" not in found:
            found["page"] = sql  # the first: the scorecards-due list that follows has a LIMIT too
        elif 'FROM "interviews_plannedquestion"' in sql and "GROUP BY" in sql:
            found["progress"] = sql
    return found


def query_plans(queries: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """EXPLAIN ANALYZE (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite) of each dashboard query."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    plans = {}
    with connection.cursor() as cursor:
        for name, sqls in queries.items():
            if name in ("hello", "user"):
                continue
            plans[name] = {}
            for kind, sql in dashboard_queries(sqls).items():
                if postgres:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
                    lines = [row[0] for row in cursor.fetchall()]
                else:
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                    lines = sqlite_plan(cursor.fetchall())
                plans[name][kind] = [sql, *lines]
    close_connections()
    return plans


def sqlite_plan(rows) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN rows (id, parent, notused, detail), indented as a tree."""
    depths = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depths[node] = depths.get(parent, -1) + 1
        lines.append(f"{'  ' * depths[node]}{detail}")
    return lines


# Measuring ----------------------------------------------------------------------------------------


def smoke_test(base: str, pages: list[Page]) -> None:
    for page in pages:
        headers = {"Cookie": f"sessionid={page.session}"} if page.session else {}
        request = urllib.request.Request(f"{base}{page.path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read().decode()
                status = response.status if response.url == request.full_url else response.url
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read().decode(errors="replace")
        if status != 200:
            raise BenchError(f"GET {request.full_url} answered {status}: {body[:500]}")


def measure(wrk, args, base, page: Page, scratch: Path, pids: Pids) -> dict:
    """wrk through live.lua: "hello" mode for /hello/, "live" mode (GET a path with a cookie) else."""
    mode = "hello" if page.session is None else "live"
    urls = scratch / f"{page.name}.txt"
    # live.lua's line format (session, csrf, path, ...); one line per wrk thread at least.
    urls.write_text(f"{page.session} - {page.path} - - 0\n" * args.connections)
    for seconds in ([args.warmup] if args.warmup else []) + [args.seconds]:
        result = run_wrk(wrk, args, base, mode, urls, seconds, pids)
    result["problems"] = problems_in(result)
    return result


# Report -------------------------------------------------------------------------------------------

NAMES = {
    "hello": "GET /hello/ (bare Django)",
    "user": "GET /hello/user/ (logged in)",
    "interviewer": "dashboard, interviewer",
    "manager": "dashboard, manager (all)",
    "search": f"search ?q={SEARCH}",
}


def report(args, setup: dict, results: dict, queries: dict, plans: dict) -> bool:
    print()
    print(f"Database: {setup['database']}")
    print(f"Volume:   {setup['volume']}")
    print(f"Server:   gunicorn {setup['server']}, DEBUG=false, bound to 127.0.0.1")
    print(
        f"Load:     wrk -t{args.threads} -c{args.connections}, {args.seconds} s per endpoint "
        f"after {args.warmup} s of warm-up"
    )
    print(f"Code:     {setup['code']}")
    print(f"Machine:  {os.cpu_count()} CPUs, load average {setup['load']:.2f} before the run")
    print()
    print(
        f"{'':<30}{'req/s':>8}{'p50':>7}{'p90':>7}{'p99':>7}{'max':>7}  "
        f"{'queries':>7}  {'CPU ms per request':^20}{'other':>7}"
    )
    print(
        f"{'':<30}{'':>8}{'ms':>7}{'ms':>7}{'ms':>7}{'ms':>7}  {'':>7}  {'app':>6}{'db':>7}{'wrk':>7}"
    )
    for name, r in results.items():
        per_request = {k: 1000 * v / max(r["requests"], 1) for k, v in r["cpu"].items()}
        print(
            f"{NAMES[name]:<30}{r['rps']:>8.0f}{r['p50_us'] / 1000:>7.1f}{r['p90_us'] / 1000:>7.1f}"
            f"{r['p99_us'] / 1000:>7.1f}{r['max_us'] / 1000:>7.0f}  {len(queries[name]):>7}  "
            f"{per_request['app']:>6.2f}{per_request['db']:>7.2f}{per_request['wrk']:>7.2f}"
            f"{other_load(r):>7.0%}"
        )
    hello = results["hello"]
    checks = []
    for name in ("interviewer", "manager", "search"):
        ratio = results[name]["rps"] / hello["rps"]
        p99 = results[name]["p99_us"] / 1000
        checks.append(
            (
                f"{name + '/hello':<18}{ratio:6.1%}  (target >= {DASHBOARD_TARGET:.0%})",
                ratio >= DASHBOARD_TARGET,
            )
        )
        checks.append(
            (
                f"{name + ' p99':<18}{p99:6.1f} ms (target < {P99_TARGET_MS:.0f} ms)",
                p99 < P99_TARGET_MS,
            )
        )
    print()
    for text, ok in checks:
        print(f"{verdict(ok)}  {text}")
    for name in ("interviewer", "manager", "search"):
        floor = results[name]["rps"] / results["user"]["rps"]
        print(f"      {name + '/hello/user':<18}{floor:6.1%}  (issue 17: the dashboard >= 25%)")
    ceiling = {m: os.cpu_count() / max(cpu_per_request(r), 1e-9) for m, r in results.items()}
    print(
        "\nCPU-bound estimate (cores / CPU per request): "
        + ", ".join(
            f"{m} {c:.0f} req/s" + ("" if m == "hello" else f" ({c / ceiling['hello']:.1%})")
            for m, c in ceiling.items()
        )
        + "."
    )
    busy = [NAMES[m] for m, r in results.items() if other_load(r) > 0.10]
    if busy:
        print(
            "WARNING: other processes were using the CPU (column 'other', share of all cores) "
            "during: " + ", ".join(busy) + ". Throughput and latency are disturbed; CPU per "
            "request much less so."
        )
    print("\nQueries per request (after a warm-up request; constant in the size of the data):")
    for name, sqls in queries.items():
        print(f"  {name}: {len(sqls)}")
        for sql in sqls:
            print(f"    {sql[:110]}")
    print("\nQuery plans of the dashboard's queries:")
    for name, kinds in plans.items():
        for kind, (sql, *lines) in kinds.items():
            print(f"\n  {name}, {kind} query:\n    {sql[:400]}")
            for line in lines:
                print(f"      {line}")
    return all(ok for _, ok in checks)


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    wrk = ensure_wrk()
    scratch = Path(tempfile.mkdtemp(prefix="interview-desk-dash-bench-"))
    server = None
    database = None
    started = time.monotonic()
    setup = {"load": os.getloadavg()[0], "code": code_version()}
    try:
        database = prepare_environment(args, scratch)
        print(f"Setting up {database} ...", flush=True)
        pages = build_database(args)
        queries = count_queries(pages)
        plans = query_plans(queries)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = scratch / "gunicorn.log"
        gunicorn = gunicorn_settings(args)
        server = start_gunicorn(port, log)
        wait_until_up(server, base, log)
        smoke_test(base, pages)
        print(f"Set up in {time.monotonic() - started:.0f} s; measuring ...", flush=True)
        pids = Pids(server=server.pid, database=args.pg_db if args.postgres else None)
        results = {page.name: measure(wrk, args, base, page, scratch, pids) for page in pages}
        setup["server"] = (
            f"{gunicorn['workers']} gthread workers x {gunicorn['threads']} threads"
            if gunicorn["threads"] > 1
            else f"{gunicorn['workers']} sync workers"
        ) + (" (gunicorn.conf.py)" if GUNICORN_CONF.exists() else "")
        setup["database"] = (
            f"PostgreSQL, throwaway database {args.pg_db} on 127.0.0.1:5432"
            if args.postgres
            else "SQLite, a temporary file"
        )
        setup["volume"] = (
            f"seed_volume: {args.candidates:,} candidates, {args.interviews:,} interviews, "
            f"{8 * args.interviews:,} planned questions; 50 interviewers"
        )
        met = report(args, setup, results, queries, plans)
        problems = [f"{m}: {p}" for m, r in results.items() for p in r["problems"]]
        print(f"\nTotal time {time.monotonic() - started:.0f} s.")
        if problems:
            print("\nINVALID RUN, not every request succeeded:\n  " + "\n  ".join(problems))
            print(f"\nServer log, last lines other than requests:\n{server_messages(log)}")
            return 2
        return 0 if met else 1
    except BenchError as e:
        print(f"bench failed: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop_gunicorn(server)
        if database is not None:
            close_connections()
        if args.postgres and database is not None:
            pg_admin(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
