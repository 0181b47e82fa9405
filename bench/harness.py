"""What every benchmark shares, written once: scratch database, gunicorn, wrk, CPU accounting, cleanup.

A scenario parses its options with `options()`, opens `scratch(name, args)` (a temporary SQLite file,
or with --postgres the database wt_bench_<name> on 127.0.0.1, dropped before and after; migrated, the
seed bank loaded, static files collected, Django set up in this process with bench.settings: the
production settings plus /hello/ and /hello/user/), and measures. On leaving the block, also on an
error, Ctrl-C or SIGTERM, gunicorn is stopped, the database dropped and the scratch folder removed.
"""

import argparse
import contextlib
import json
import logging
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
LUA = ROOT / "bench" / "wrk.lua"
TICK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    pass


def options(doc: str, seconds: int = 10, connections: int = 16) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help=f"a throwaway database at {PG}")
    parser.add_argument("--seconds", type=int, default=seconds, help="measured seconds per URL")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds per URL")
    parser.add_argument("--connections", type=int, default=connections, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--worker-threads", type=int, help="threads per worker (gthread if > 1)")
    return parser


@dataclass
class Seat:
    """One interviewer in their own started interview: the page, and the item they type into."""

    session: str
    csrf: str
    live_path: str
    notes_path: str
    item_code: str
    item_pk: int

    def line(self, version: int) -> str:
        """The line wrk.lua reads."""
        return f"{self.session} {self.csrf} {self.live_path} {self.notes_path} {self.item_code} {version}"


def _interrupted(signum, frame):
    raise KeyboardInterrupt


@contextlib.contextmanager
def scratch(name: str, args: argparse.Namespace, **env: str):
    signal.signal(signal.SIGTERM, _interrupted)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    # BENCH_PG_PREFIX lets two sessions on one server bench at once without dropping each other's.
    prefix = os.environ.get("BENCH_PG_PREFIX", "wt_bench")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", prefix):
        raise SystemExit(f"BENCH_PG_PREFIX must be a plain lower-case name, got {prefix!r}")
    database = f"{prefix}_{name}" if getattr(args, "postgres", False) else None
    run = None
    try:
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            _pg(f"CREATE DATABASE {database}")
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,testserver",
            DATABASE_URL=f"{PG}/{database}" if database else f"sqlite:///{folder / 'db.sqlite3'}",
            BENCH_STATIC_ROOT=str(folder / "static"),
            PYTHONPATH=str(ROOT),
            **env,
        )
        import django

        django.setup()
        from django.core.management import call_command

        # Requests made in this process format their log line, as production does, unprinted.
        log = logging.getLogger("interview_desk.requests")
        log.handlers, log.propagate = [logging.NullHandler()], False
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddata", "day6-transformers-llms", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        run = Run(folder, database)
        vendor = f"PostgreSQL {database}" if database else "SQLite, a temporary file"
        print(f"Database: {vendor}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
        yield run
    finally:
        if run:
            run.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


def login_session(user) -> str:
    """A session key as django.contrib.auth.login() leaves one, without hashing a password."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the one after axes
    session.create()
    return session.session_key


def user_in(role: str, username: str, **fields):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.com", **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def interview_for(user, n: int, level: int = 3, **candidate):
    """A 45-minute plan from the seed bank for a new candidate, with user as its interviewer."""
    from interviews.models import Candidate
    from interviews.services import create_interview
    from questionbank.models import Bank

    return create_interview(
        candidate=Candidate.objects.create(name=f"Bench Candidate {n}", **candidate),
        position="ML Engineer",
        target_level=level,
        bank=Bank.objects.get(slug="day6-transformers-llms"),
        planned_minutes=45,
        interviewers=[user],
        created_by=user,
        seed=n,
    )


def seed_seats(interviewers: int, interviews: int, first: int = 0) -> list[Seat]:
    """Interviewers with interviews of their own, started, two questions scored, notes begun."""
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from accounts.roles import INTERVIEWERS

    seats = []
    for n in range(first, first + interviewers):
        user = user_in(INTERVIEWERS, f"bench-interviewer-{n}")
        session, csrf = login_session(user), get_random_string(32)
        for k in range(n, first + interviews, interviewers):
            interview = interview_for(user, k, level=2 + k % 3)
            interview.start()
            items = list(interview.items.order_by("position"))
            interview.items.filter(pk__in=[i.pk for i in items[:2]]).update(score=3)
            items[0].save_notes("Warm-up went fine; clear on tokenisation.", 0)
            live = reverse("interviews:live", args=[interview.code])
            notes = reverse("interviews:item_notes", args=[interview.code, items[0].code])
            seats.append(Seat(session, csrf, live, notes, str(items[0].code), items[0].pk))
    close_connections()
    return seats


def seed_submitted():
    """An interviewer, a submitted Senior interview scored with notes, and a live one."""
    from accounts.roles import INTERVIEWERS
    from interviews.services import submit_scorecard

    user = user_in(INTERVIEWERS, "bench-interviewer")
    submitted, live = interview_for(user, 1), interview_for(user, 2)
    for interview in (submitted, live):
        for i, item in enumerate(interview.items.order_by("position")):
            item.score, item.notes_shared = [3, 4, 2, 3, 1][i % 5], i % 3 != 0
            item.notes = ["Explained the latency/recall trade-off.", "Needed a prompt."][i % 2]
            item.save(update_fields=["score", "notes", "notes_shared"])
    submit_scorecard(interview=submitted, by=user, recommendation="hire", rationale="Solid.")
    return user, submitted, live


def note_versions(seats: list[Seat]) -> dict[str, int]:
    from interviews.models import PlannedQuestion

    rows = PlannedQuestion.objects.filter(pk__in=[s.item_pk for s in seats])
    versions = {str(code): v for code, v in rows.values_list("code", "notes_version")}
    close_connections()
    return versions


def queries(send) -> list[str]:
    """The SQL of one call of send() (a test-client request) after a warm-up call; it must be 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    if response.status_code != 200:
        raise BenchError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    close_connections()
    return [q["sql"] for q in captured.captured_queries]


class Run:
    def __init__(self, folder: Path, database: str | None):
        self.folder, self.database, self.server, self.base = folder, database, None, None
        self.log = folder / "gunicorn.log"

    def serve(self, args, recycle: bool = False) -> str:
        """Gunicorn as production runs it (gunicorn.conf.py), on loopback.

        Unless recycle, max_requests is off: a worker restarting mid-run would bill its start-up
        (imports, the template cache) to whichever URL was being measured.
        """
        if args.workers:
            os.environ["GUNICORN_WORKERS"] = str(args.workers)
        if args.worker_threads:
            os.environ["GUNICORN_THREADS"] = str(args.worker_threads)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        command = [Path(sys.prefix) / "bin" / "gunicorn", "config.wsgi:application"]
        command += ["--config", ROOT / "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        command += ["--graceful-timeout", "5"] + ([] if recycle else ["--max-requests", "0"])
        with self.log.open("ab") as out:  # its own session: Ctrl-C reaches only us
            self.server = subprocess.Popen(
                command, cwd=ROOT, start_new_session=True, stdout=out, stderr=out
            )
        self.base = f"http://127.0.0.1:{port}"
        # A worker imports the views at its first request (seconds on a busy box): up when every
        # worker has forked and a round of two requests per worker all answer within half a second.
        workers = int(os.environ.get("GUNICORN_WORKERS", 2 * os.cpu_count() + 1))
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(2 * workers) as pool:
            while time.monotonic() < deadline and self.server.poll() is None:
                time.sleep(0.5)
                with contextlib.suppress(OSError):
                    slowest = max(pool.map(self._hello, range(2 * workers)))
                    if self.cpu()["workers"] == workers and slowest < 0.5:
                        return self.base
        raise BenchError(f"gunicorn did not start:\n{self.server_log()[-3000:]}")

    def _hello(self, _) -> float:
        started = time.monotonic()
        with urllib.request.urlopen(f"{self.base}/hello/", timeout=30) as response:
            response.read()
        return time.monotonic() - started

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.server.wait(timeout=8)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=5)
        self.server = None

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")

    def cpu(self) -> dict:
        """CPU seconds so far of gunicorn (master and workers) and our Postgres backends, per
        process; of this process's children (wrk) and this process; and of the whole machine."""
        procs, workers = {}, 0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                fields = stat.rsplit(")")[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / TICK
                if self.server and self.server.pid in (int(entry.name), int(fields[1])):
                    procs[entry.name] = ("app", seconds)
                    workers += int(fields[1]) == self.server.pid
                elif name == "postgres" and f" {self.database} " in self._title(entry):
                    procs[entry.name] = ("db", seconds)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:8]]
        return {
            "procs": procs,
            "workers": workers,
            "wrk": children.ru_utime + children.ru_stime,
            "self": time.process_time(),
            "busy": (sum(ticks) - ticks[3] - ticks[4]) / TICK,
            "total": sum(ticks) / TICK,
        }

    @staticmethod
    def _title(entry) -> str:
        """A backend's title: "postgres: 15/main: user database host(port) state"."""
        return Path(entry.path, "cmdline").read_text(errors="replace")

    @staticmethod
    def cpu_between(before: dict, after: dict) -> dict:
        """Per process, so one that starts in between counts; one that ends in between is lost,
        hence no recycled workers while wrk measures."""
        used = {k: after[k] - before[k] for k in ("wrk", "self", "busy", "total")}
        used["app"] = used["db"] = 0.0
        for pid, (group, seconds) in after["procs"].items():
            used[group] += seconds - before["procs"].get(pid, (group, 0.0))[1]
        used["other"] = max(
            0.0, used["busy"] - used["app"] - used["db"] - used["wrk"] - used["self"]
        )
        return used

    def wrk(self, args, mode: str, lines: list[str], seats: list[Seat] | None = None) -> dict:
        """wrk through wrk.lua in `mode`, warm-up then measured. With seats (mode notes), each run
        starts from the versions the server last acknowledged, and none of its saves may be lost."""
        data = self.folder / "wrk.txt"
        for seconds in [args.warmup] * bool(args.warmup) + [args.seconds]:
            if seats:
                versions = note_versions(seats)
                lines = [s.line(versions[s.item_code]) for s in seats]
            data.write_text("\n".join(lines) + "\n")
            command = (
                f"wrk -t{args.threads} -c{args.connections} -d{seconds}s --timeout 5s -s {LUA}"
            )
            command += f" {self.base}/ -- {mode} {data} {args.threads}"
            before = self.cpu()
            done = subprocess.run(command.split(), capture_output=True, text=True)
            cpu = self.cpu_between(before, self.cpu())
        line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
        if done.returncode or line is None:
            raise BenchError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
        r = json.loads(line.removeprefix("BENCH_JSON "))
        r["rps"], r["cpu"] = r["requests"] / (r["duration_us"] / 1e6), cpu
        r["problems"] = [f"{n} answered {s}" for s, n in r["statuses"].items() if s != "200"]
        r["problems"] += [f"{r[k]} {k}" for k in ("errors", "starved", "unmatched") if r[k]]
        if seats:
            stored = note_versions(seats)
            if any(stored[code] < v for code, v in r["versions"].items()):
                r["problems"].append("an acknowledged save is not in the database")
        return r


def live_urls(run: Run, args, seats: list[Seat]) -> tuple[dict, dict]:
    """wrk results and SQL of /hello/, /hello/user/ (the floor), the live view and the autosave."""
    from django.test import Client

    seat, version = seats[0], note_versions(seats[:1])[seats[0].item_code]
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies.load({"sessionid": seat.session, "csrftoken": seat.csrf})

    def autosave():
        nonlocal version
        version += 1
        form = {"notes": f"Counting queries, save {version}", "version": version - 1}
        return client.post(
            seat.notes_path, form, headers={"X-CSRFToken": seat.csrf, "HX-Request": "true"}
        )

    sql = {
        "GET /hello/ (bare)": queries(lambda: Client(HTTP_HOST="127.0.0.1").get("/hello/")),
        "GET /hello/user/ (floor)": queries(lambda: client.get("/hello/user/")),
        "GET live view": queries(lambda: client.get(seat.live_path)),
        "POST notes autosave": queries(autosave),
    }
    lines, modes = [s.line(0) for s in seats], ("hello", "user", "live", "notes")
    return {
        name: run.wrk(args, mode, lines, seats if mode == "notes" else None)
        for name, mode in zip(sql, modes, strict=True)
    }, sql


def per_request(r: dict, key: str) -> float:
    return 1000 * r["cpu"][key] / max(r["requests"], 1)


def cpu_ms(r: dict) -> float:
    """CPU milliseconds one request costs everything that serves it: gunicorn, database, wrk."""
    return sum(per_request(r, k) for k in ("app", "db", "wrk"))


def table(results: dict[str, dict], sql: dict[str, list[str]], floor: str | None = None) -> None:
    """req/s, latency (wrk's), queries, CPU ms per request and the share of the machine others used.

    The CPU-bound estimate (cores / CPU per request) is what an otherwise idle machine reaches; it
    moves much less than req/s when other load shares the cores, so compare it between noisy runs.
    """
    head = f"{'':<30}{'req/s':>7}{'p50':>7}{'p90':>7}{'p99':>7}{'max':>7}{'SQL':>4}"
    print(f"\n{head}  CPU ms:{'app':>6}{'db':>6}{'wrk':>6}{'other':>7}{'bound':>7}")
    for name, r in results.items():
        ms = [r[f"{p}_us"] / 1000 for p in ("p50", "p90", "p99", "max")]
        share = f"{r['rps'] / results[floor]['rps']:>7.0%}" if floor else ""
        print(
            f"{name:<30}{r['rps']:>7.0f}"
            + "".join(f"{x:>7.1f}" for x in ms)
            + f"{len(sql[name]):>4}"
            f"{'':>9}"
            + "".join(f"{per_request(r, k):>6.2f}" for k in ("app", "db", "wrk"))
            + f"{r['cpu']['other'] / r['cpu']['total']:>7.0%}{os.cpu_count() / cpu_ms(r) * 1000:>7.0f}"
            + share
        )
    if floor:
        print(f"(last column: req/s as a share of {floor})")
    if any(r["cpu"]["other"] / r["cpu"]["total"] > 0.10 for r in results.values()):
        print("WARNING: other processes used over 10% of the CPU: req/s and latency are disturbed.")
    problems = [f"{n}: {p}" for n, r in results.items() for p in r["problems"]]
    if problems:
        raise BenchError("invalid run, not every request succeeded:\n  " + "\n  ".join(problems))


def print_sql(sql: dict[str, list[str]]) -> None:
    print("\nQueries per request (after a warm-up request):")
    for name, lines in sql.items():
        print(f"  {name}: {len(lines)}" + "".join(f"\n    {x[:110]}" for x in lines))


def main(scenario) -> None:
    """Run scenario() and exit with its status: 0 met, 1 missed, 2 the run failed, 130 interrupted."""
    try:
        sys.exit(scenario())
    except BenchError as e:
        print(f"bench failed: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
