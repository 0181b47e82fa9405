"""Throughput and latency of the live view and of notes autosave, against a bare Django view.

    .venv/bin/python bench/live.py [--seconds 15] [--connections 16] [--postgres]

In one run, on one gunicorn (the project's gunicorn.conf.py, bound to 127.0.0.1 only; production
settings: DEBUG off, a secret key, ALLOWED_HOSTS=127.0.0.1), wrk measures in turn: GET /hello/ (a
bare view from bench/urls.py, no session, no database), GET /interviews/<code>/ (the live view,
logged in) and the notes autosave POST (htmx, CSRF, the compare-and-swap version). It prints
requests/s, p50/p90/p99, the ratios to hello against the targets of issue 3, the queries each
request runs, and the CPU each request costs gunicorn, Postgres and wrk: on two shared cores, the
figure that other load disturbs least.

The data lives in a scratch database made for the run and removed after it: a temporary SQLite file,
or with --postgres a throwaway database on 127.0.0.1 (created, then dropped). The developer's
db.sqlite3 is never touched. Gunicorn is stopped at the end, also on errors, Ctrl-C and SIGTERM.

Exit status: 0 every target met, 1 a target missed, 2 the run itself failed (a request that did
not answer 200 makes the figures meaningless, so it fails the run too).
"""

import argparse
import contextlib
import json
import logging
import os
import re
import resource
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "live.lua"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
BIN = Path(sys.prefix) / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

LIVE_TARGET = 0.30
AUTOSAVE_TARGET = 0.40
P99_TARGET_MS = 25.0


class BenchError(Exception):
    pass


@dataclass
class Seat:
    """One interviewer in one interview: the page they load and the notes item they type into."""

    session: str
    csrf: str
    live_path: str
    notes_path: str
    item_code: str
    item_pk: int


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--interviews", type=int, default=64, help="interviews to seed")
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
    parser.add_argument("--pg-db", default="interview_desk_bench", help="dropped and recreated")
    args = parser.parse_args()
    if not args.pg_db.endswith("_bench") or not re.fullmatch(r"[a-z_][a-z0-9_]*", args.pg_db):
        parser.error("--pg-db must be a plain name ending in _bench: the bench drops it")
    if args.interviews < 2 * args.connections:
        parser.error("--interviews must be at least twice --connections (one free item per save)")
    if not 1 <= args.seconds <= 300 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1..300 and --warmup 0..60")
    return args


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    command = "apt-get update && apt-get install -y wrk"
    if os.geteuid() != 0:
        raise BenchError(f"wrk is missing. Install it with:\n  sudo sh -c '{command}'")
    print(f"Installing wrk: {command}")
    subprocess.run(["sh", "-c", command], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    # BENCH_PORT pins it, for a machine where each user of it has a range of ports.
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The scratch database -----------------------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def prepare_environment(args: argparse.Namespace, scratch: Path) -> str:
    if args.postgres:
        pg_admin(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {args.pg_db}")
        database_url = f"{PG_SERVER}/{args.pg_db}"
    else:
        database_url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(scratch / "static"),
        PYTHONPATH=str(ROOT),
    )
    sys.path.insert(0, str(ROOT))
    return database_url


def build_database(args: argparse.Namespace) -> list[Seat]:
    """Migrate, load the seed bank, collect static files, then seed interviewers and interviews."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from accounts import roles
    from interviews import services
    from interviews.models import Candidate, Score
    from questionbank.models import Bank, Level

    # This process only sets up and counts queries; its requests are not the ones to log.
    logging.getLogger("interview_desk.requests").setLevel(logging.WARNING)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loaddata", "day6-transformers-llms", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    bank = Bank.objects.get(slug="day6-transformers-llms")
    interviewers = Group.objects.get(name=roles.INTERVIEWERS)
    levels = [Level.MID, Level.SENIOR, Level.PRINCIPAL]
    seats = []
    for n in range(args.connections):
        user = User.objects.create_user(f"bench-interviewer-{n}", f"bench{n}@example.com")
        user.groups.add(interviewers)
        session_key = login_session(user)
        csrf = get_random_string(32)
        for k in range(n, args.interviews, args.connections):
            candidate = Candidate.objects.create(name=f"Bench Candidate {k}", created_by=user)
            interview = services.create_interview(
                candidate=candidate,
                position="Machine Learning Engineer",
                target_level=levels[k % len(levels)],
                bank=bank,
                planned_minutes=45,
                interviewers=[user],
                created_by=user,
                seed=k,
            )
            interview.start()
            items = list(interview.items.order_by("position"))
            # A few minutes in: the first questions scored, notes on the one being asked now.
            for item in items[:2]:
                item.score = Score.SOLID
                item.covered_points = [0]
                item.save(update_fields=["score", "covered_points"])
            current = items[0]
            current.save_notes("Warm-up went fine; clear on tokenisation.", 0)
            seats.append(
                Seat(
                    session=session_key,
                    csrf=csrf,
                    live_path=reverse("interviews:live", args=[interview.code]),
                    notes_path=reverse(
                        "interviews:item_notes", args=[interview.code, current.code]
                    ),
                    item_code=str(current.code),
                    item_pk=current.pk,
                )
            )
    close_connections()
    return seats


def login_session(user) -> str:
    """A session key for user, as django.contrib.auth.login() leaves it, without a password hash."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The last backend authenticates; axes, listed first, only refuses locked-out logins.
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


def note_versions(seats: list[Seat]) -> dict[str, int]:
    from interviews.models import PlannedQuestion

    rows = PlannedQuestion.objects.filter(pk__in=[s.item_pk for s in seats])
    versions = {str(code): v for code, v in rows.values_list("code", "notes_version")}
    close_connections()
    return versions


def count_queries(seat: Seat) -> dict[str, list[str]]:
    """The SQL each measured request runs, through Django's test client on the scratch database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = seat.session
    client.cookies["csrftoken"] = seat.csrf
    headers = {"X-CSRFToken": seat.csrf, "HX-Request": "true"}
    version = note_versions([seat])[seat.item_code]

    def autosave():
        nonlocal version
        version += 1
        return client.post(
            seat.notes_path,
            {"notes": f"Counting queries, save {version}.", "version": version - 1},
            headers=headers,
        )

    requests = {
        "hello": lambda: Client(HTTP_HOST="127.0.0.1").get("/hello/"),  # no cookies, as wrk
        "hello, logged in": lambda: client.get("/hello/user/"),
        "live": lambda: client.get(seat.live_path),
        "autosave": autosave,
    }
    queries = {}
    for name, send in requests.items():
        send()  # the first request also fills the template cache
        with CaptureQueriesContext(connection) as captured:
            response = send()
        if response.status_code != 200:
            raise BenchError(f"{name} answered {response.status_code} in the query count")
        queries[name] = [q["sql"] for q in captured.captured_queries]
    close_connections()
    return queries


# Gunicorn -----------------------------------------------------------------------------------------


def gunicorn_settings(args: argparse.Namespace) -> dict:
    """Workers and threads as gunicorn.conf.py sets them, after the command-line overrides."""
    overrides = {}
    if args.workers:
        overrides["GUNICORN_WORKERS"] = str(args.workers)
    if args.worker_threads:
        overrides["GUNICORN_THREADS"] = str(args.worker_threads)
    os.environ.update(overrides)
    conf = runpy.run_path(str(GUNICORN_CONF)) if GUNICORN_CONF.exists() else {}
    return {"workers": conf.get("workers", 1), "threads": conf.get("threads", 1)}


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    """Gunicorn as production runs it (gunicorn.conf.py), bound to loopback, never recycling workers.

    max_requests is off because a worker restarting mid-run would bill its start-up (imports, the
    template cache) to whichever endpoint happened to be measured.
    """
    command = [str(BIN / "gunicorn"), "config.wsgi:application"]
    if GUNICORN_CONF.exists():
        command += ["--config", str(GUNICORN_CONF)]
    command += [
        "--bind",
        f"127.0.0.1:{port}",
        "--max-requests",
        "0",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]
    # Its own session, so a Ctrl-C in the terminal reaches only us and we stop it in order. The
    # access log and the app's request log are written as in production, to a scratch file.
    with log.open("ab") as output:
        return subprocess.Popen(
            command, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
        )


def server_messages(log: Path, limit: int = 30) -> str:
    """What gunicorn and the app logged besides one line per request: errors, tracebacks."""
    request_line = re.compile(r'^(\{"method"|\S+ "[A-Z]+ /)')
    with log.open(errors="replace") as lines:
        other = [line.rstrip() for line in lines if not request_line.match(line)]
    return "\n".join(other[-limit:]) or "(nothing)"


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=8)
    # Anything left (a hung master, workers of a master that died) is in the process group that
    # start_gunicorn made for it, and only there.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=5)


def wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{server_messages(log)}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within 30 s:\n{server_messages(log)}")


def smoke_test(base: str, seat: Seat, version: int) -> None:
    """One request of each kind through gunicorn, so a broken setup fails before the load does."""
    cookie = f"sessionid={seat.session}; csrftoken={seat.csrf}"
    checks = [
        urllib.request.Request(f"{base}/hello/"),
        urllib.request.Request(f"{base}{seat.live_path}", headers={"Cookie": cookie}),
        urllib.request.Request(
            f"{base}{seat.notes_path}",
            data=urllib.parse.urlencode({"notes": "Smoke test.", "version": version}).encode(),
            headers={"Cookie": cookie, "X-CSRFToken": seat.csrf, "HX-Request": "true"},
        ),
    ]
    for check in checks:
        try:
            with urllib.request.urlopen(check, timeout=10) as response:
                body = response.read().decode()
                # urllib follows redirects: landing elsewhere (the login page) is a failure too.
                status = response.status if response.url == check.full_url else response.url
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read().decode(errors="replace")
        if status != 200 or (check.data and f'value="{version + 1}"' not in body):
            raise BenchError(
                f"{check.get_method()} {check.full_url} answered {status}: {body[:500]}"
            )


# Load ---------------------------------------------------------------------------------------------


def write_seats(path: Path, seats: list[Seat], versions: dict[str, int]) -> None:
    lines = [
        f"{s.session} {s.csrf} {s.live_path} {s.notes_path} {s.item_code} {versions[s.item_code]}"
        for s in seats
    ]
    path.write_text("\n".join(lines) + "\n")


def run_wrk(wrk: str, args, base: str, mode: str, seats_file: Path, seconds: int, pids) -> dict:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        f"{base}/",
        "--",
        mode,
        str(seats_file),
        str(args.threads),
    ]
    before = cpu_snapshot(pids)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    after = cpu_snapshot(pids)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["cpu"] = cpu_used(before, after)
    return result


# CPU accounting -----------------------------------------------------------------------------------
# Two cores are shared by gunicorn, the database, wrk and whatever else runs on the machine. CPU time
# per request is the figure that other load disturbs least, and "other" shows how much there was.

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Pids:
    server: int
    database: str | None  # the Postgres database whose backends count as "db"


def cpu_snapshot(pids: Pids) -> dict:
    """CPU seconds so far of gunicorn (master and workers), our Postgres backends, wrk, the machine."""
    processes = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            cpu = (int(fields[11]) + int(fields[12])) / TICK
            if int(entry.name) == pids.server or int(fields[1]) == pids.server:
                processes[int(entry.name)] = ("app", cpu)
            elif name == "postgres" and pids.database:
                title = Path(entry.path, "cmdline").read_bytes().decode(errors="replace")
                if f" {pids.database} " in title:
                    processes[int(entry.name)] = ("db", cpu)
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while we looked
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:8]]
    idle = ticks[3] + ticks[4]
    return {
        "processes": processes,
        "wrk": children.ru_utime + children.ru_stime,
        "busy": (sum(ticks) - idle) / TICK,
        "total": sum(ticks) / TICK,
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds between two snapshots, per process, so a process that starts between counts."""
    used = {"app": 0.0, "db": 0.0}
    for pid, (group, cpu) in after["processes"].items():
        used[group] += cpu - before["processes"].get(pid, (group, 0.0))[1]
    for key in ("wrk", "busy", "total"):
        used[key] = after[key] - before[key]
    return used


def problems_in(result: dict) -> list[str]:
    problems = [
        f"{n} answered {status}" for status, n in result["statuses"].items() if status != "200"
    ]
    for kind in ("connect_errors", "read_errors", "write_errors", "timeouts"):
        if result[kind]:
            problems.append(f"{result[kind]} {kind.replace('_', ' ')}")
    if result["starved"]:
        problems.append(f"{result['starved']} requests found no free item")
    if result["unmatched"]:
        problems.append(f"{result['unmatched']} responses named no item")
    answered = sum(result["statuses"].values())
    if answered != result["requests"]:
        problems.append(f"live.lua saw {answered} responses, wrk counted {result['requests']}")
    return problems


def measure(wrk, args, base, mode, seats, scratch, pids) -> dict:
    seats_file = scratch / f"{mode}.txt"
    for seconds in ([args.warmup] if args.warmup else []) + [args.seconds]:
        versions = note_versions(seats)
        write_seats(seats_file, seats, versions)
        result = run_wrk(wrk, args, base, mode, seats_file, seconds, pids)
    result["problems"] = problems_in(result)
    if mode == "notes":
        result["problems"] += lost_saves(seats, result["versions"], args.connections)
    return result


def lost_saves(seats: list[Seat], acknowledged: dict[str, int], connections: int) -> list[str]:
    """Each item's version in the database is the last one wrk got a 200 for.

    Only a save still in flight when wrk stopped may have landed unseen: at most one per connection.
    """
    stored = note_versions(seats)
    if len(acknowledged) != len(stored):
        return [f"live.lua reported versions for {len(acknowledged)} of {len(stored)} items"]
    behind = [code for code, v in acknowledged.items() if stored[code] < v]
    unseen = sum(stored[code] - v for code, v in acknowledged.items() if stored[code] > v)
    problems = [f"{len(behind)} items lost an acknowledged save"] if behind else []
    if unseen > connections:
        problems.append(f"{unseen} saves landed that no response acknowledged")
    return problems


# Report -------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


NAMES = {
    "hello": "GET /hello/ (bare Django)",
    "user": "GET /hello/user/ (logged in)",
    "live": "GET live view",
    "notes": "POST notes autosave",
}
QUERY_NAMES = {"hello": "hello", "user": "hello, logged in", "live": "live", "notes": "autosave"}


def report(args, setup: dict, results: dict, queries: dict) -> bool:
    print()
    print(f"Database: {setup['database']}")
    print(f"Server:   gunicorn {setup['server']}, DEBUG=false, bound to 127.0.0.1")
    print(
        f"Load:     wrk -t{args.threads} -c{args.connections}, {args.seconds} s per endpoint "
        f"after {args.warmup} s of warm-up; {args.interviews} interviews, "
        f"{args.connections} interviewers"
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
    for mode, r in results.items():
        per_request = {k: 1000 * v / max(r["requests"], 1) for k, v in r["cpu"].items()}
        print(
            f"{NAMES[mode]:<30}{r['rps']:>8.0f}{r['p50_us'] / 1000:>7.1f}{r['p90_us'] / 1000:>7.1f}"
            f"{r['p99_us'] / 1000:>7.1f}{r['max_us'] / 1000:>7.0f}  "
            f"{len(queries[QUERY_NAMES[mode]]):>7}  "
            f"{per_request['app']:>6.2f}{per_request['db']:>7.2f}{per_request['wrk']:>7.2f}"
            f"{other_load(r):>7.0%}"
        )
    hello, live, notes = results["hello"], results["live"], results["notes"]
    checks = [
        (
            f"live/hello      {live['rps'] / hello['rps']:6.1%}  (target >= {LIVE_TARGET:.0%})",
            live["rps"] / hello["rps"] >= LIVE_TARGET,
        ),
        (
            f"autosave/hello  {notes['rps'] / hello['rps']:6.1%}  (target >= {AUTOSAVE_TARGET:.0%})",
            notes["rps"] / hello["rps"] >= AUTOSAVE_TARGET,
        ),
        (
            f"live p99        {live['p99_us'] / 1000:6.1f} ms (target < {P99_TARGET_MS:.0f} ms)",
            live["p99_us"] / 1000 < P99_TARGET_MS,
        ),
        (
            f"autosave p99    {notes['p99_us'] / 1000:6.1f} ms (target < {P99_TARGET_MS:.0f} ms)",
            notes["p99_us"] / 1000 < P99_TARGET_MS,
        ),
    ]
    print()
    for text, ok in checks:
        print(f"{verdict(ok)}  {text}")
    floor = results["user"]["rps"] / hello["rps"]
    print(
        f"      logged-in hello/hello {floor:6.1%}  (no target: what reading the session and the"
        " user leaves of hello, before a page does anything)"
    )
    # Everything that serves a request (gunicorn, Postgres, wrk) shares the cores, so cores / CPU
    # per request is what an otherwise idle machine would reach. Other load disturbs it much less
    # than req/s; it leaves out time spent waiting on the disk (SQLite's commits).
    ceiling = {m: os.cpu_count() / max(cpu_per_request(r), 1e-9) for m, r in results.items()}
    print(
        f"\nCPU-bound estimate (cores / CPU per request): hello {ceiling['hello']:.0f} req/s, "
        f"live {ceiling['live']:.0f} ({ceiling['live'] / ceiling['hello']:.1%} of hello), "
        f"autosave {ceiling['notes']:.0f} ({ceiling['notes'] / ceiling['hello']:.1%})."
    )
    print(budget_arithmetic(results))
    busy = [NAMES[m] for m, r in results.items() if other_load(r) > OTHER_LOAD_WARNING]
    if busy:
        print(
            "WARNING: other processes were using the CPU (column 'other', share of all cores) during: "
            + ", ".join(busy)
            + ". Throughput and latency are disturbed; CPU per request much less so."
        )
    print("\nQueries per request (after a warm-up request):")
    for name, sqls in queries.items():
        print(f"  {name}: {len(sqls)}")
        for sql in sqls:
            print(f"    {sql[:110]}")
    return all(ok for _, ok in checks)


OTHER_LOAD_WARNING = 0.10


def budget_arithmetic(results: dict) -> str:
    """What each budget leaves a page once it has read its session and user, in CPU per request.

    On a CPU-bound machine throughput is the inverse of the CPU a request costs, so "at least 30% of
    hello" means "at most hello's CPU / 0.30". The logged-in hello pays for two queries and nothing
    else, which also gives the cost of one query on this database.
    """
    hello, floor = cpu_per_request(results["hello"]), cpu_per_request(results["user"])
    query = (floor - hello) / 2
    lines = [
        f"\nBudget arithmetic (CPU ms per request, gunicorn + database + wrk): hello "
        f"{1000 * hello:.2f}, logged-in hello {1000 * floor:.2f}, so one query costs about "
        f"{1000 * query:.2f} here."
    ]
    for name, target in (("live view", LIVE_TARGET), ("autosave", AUTOSAVE_TARGET)):
        allowed = hello / target
        lines.append(
            f"  {name} at {target:.0%} of hello may cost {1000 * allowed:.2f}: "
            f"{1000 * (allowed - floor):+.2f} beyond the session and user, "
            f"room for {max(0.0, (allowed - floor) / query):.1f} more queries and no rendering."
        )
    return "\n".join(lines)


def cpu_per_request(result: dict) -> float:
    cpu = result["cpu"]
    return (cpu["app"] + cpu["db"] + cpu["wrk"]) / max(result["requests"], 1)


def other_load(result: dict) -> float:
    """Share of the machine's CPU used by processes other than gunicorn, our database and wrk."""
    cpu = result["cpu"]
    return max(0.0, cpu["busy"] - cpu["app"] - cpu["db"] - cpu["wrk"]) / cpu["total"]


def code_version() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty=, with uncommitted changes"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except OSError:
        return "unknown (no git)"
    return done.stdout.strip() or "unknown"


def interrupted(signum, frame):
    """SIGTERM stops the run like Ctrl-C does, through the cleanup in main()."""
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    wrk = ensure_wrk()
    scratch = Path(tempfile.mkdtemp(prefix="interview-desk-bench-"))
    server = None
    database = None
    started = time.monotonic()
    setup = {"load": os.getloadavg()[0], "code": code_version()}
    try:
        database = prepare_environment(args, scratch)
        print(f"Setting up {database} ...", flush=True)
        seats = build_database(args)
        queries = count_queries(seats[0])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = scratch / "gunicorn.log"
        gunicorn = gunicorn_settings(args)
        server = start_gunicorn(port, log)
        wait_until_up(server, base, log)
        smoke_test(base, seats[0], note_versions(seats[:1])[seats[0].item_code])
        print(f"Set up in {time.monotonic() - started:.0f} s; measuring ...", flush=True)
        pids = Pids(server=server.pid, database=args.pg_db if args.postgres else None)
        results = {}
        for mode in ("hello", "user", "live", "notes"):
            results[mode] = measure(wrk, args, base, mode, seats, scratch, pids)
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
        met = report(args, setup, results, queries)
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
