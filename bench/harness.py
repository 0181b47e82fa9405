"""What every benchmark shares: scratch database, seeding, gunicorn, wrk, CPU accounting, cleanup.

`scratch(name, args)` makes a temporary SQLite file, or with --postgres the database
<BENCH_PG_PREFIX>_<name> on 127.0.0.1; migrates it, loads the seed bank, collects static files and
sets Django up here with bench.settings. Leaving it, also on an error, Ctrl-C or SIGTERM, stops
gunicorn and drops the database. main(): exit 0 met, 1 missed, 2 the run failed.
"""

import argparse
import contextlib
import logging
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
TICK = os.sysconf("SC_CLK_TCK")
FLOOR = "GET /hello/user/ (floor)"


class BenchError(Exception):
    pass


def options(doc: str, seconds: int = 0, wrk: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help=f"a scratch database at {PG}")
    if seconds:
        parser.add_argument("--seconds", type=int, default=seconds, help="per URL or step")
    if wrk:
        parser.add_argument("--rounds", type=int, default=3, help="turns of every URL, interleaved")
        parser.add_argument("--warmup", type=int, default=1, help="unmeasured seconds per turn")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    return parser


@contextlib.contextmanager
def scratch(name: str, args: argparse.Namespace, **env: str):
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # as Ctrl-C
    # BENCH_PG_PREFIX lets sessions sharing one server bench at once without dropping each other's.
    database = f"{os.environ.get('BENCH_PG_PREFIX', 'wt_bench').rstrip('_')}_{name}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise SystemExit(f"BENCH_PG_PREFIX must be a plain lower-case name: {database!r}")
    database = database if args.postgres else None
    run = Run(folder := Path(tempfile.mkdtemp(prefix=f"bench-{name}-")), database)
    try:
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}")
        url = f"{PG}/{database}" if database else f"sqlite:///{folder / 'db.sqlite3'}"
        os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", DEBUG="false", **env)
        os.environ.update(SECRET_KEY=os.urandom(32).hex(), ALLOWED_HOSTS="127.0.0.1,testserver")
        os.environ.update(DATABASE_URL=url, BENCH_STATIC_ROOT=f"{folder}/static")
        os.environ["PYTHONPATH"] = str(ROOT)
        import django

        django.setup()
        from django.core.management import call_command

        # Requests made in this process format their log line, as production does, unprinted.
        log = logging.getLogger("interview_desk.requests")
        log.handlers, log.propagate = [logging.NullHandler()], False
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddata", "day6-transformers-llms", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        vendor = f"PostgreSQL {database}" if database else "SQLite, a temporary file"
        print(f"Database: {vendor}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
        yield run
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not skip the drop
            signal.signal(signum, signal.SIG_IGN)
        run.stop()
        with contextlib.suppress(Exception):
            close_connections()
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


def _pg(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        for sql in statements:
            conn.execute(sql)


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


def timed(call, runs: int, first=lambda: None) -> tuple[list[float], list[float]]:
    """Milliseconds of wall time and of this thread's CPU of each of `runs` calls, after first()."""
    wall, cpu = [], []
    for _ in range(runs):
        first()
        started, cpu_started = time.perf_counter(), time.thread_time()
        call()
        cpu.append((time.thread_time() - cpu_started) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


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

    candidate = Candidate.objects.create(name=f"Bench Candidate {n}", **candidate)
    bank = Bank.objects.get(slug="day6-transformers-llms")
    plan = dict(position="ML Engineer", target_level=level, planned_minutes=45, seed=n)
    return create_interview(
        candidate=candidate, bank=bank, interviewers=[user], created_by=user, **plan
    )


class Seat(NamedTuple):
    """One interviewer in their own started interview: the page, and the item they type into."""

    session: str
    csrf: str
    live_path: str
    notes_path: str
    item_code: str
    item_pk: int

    def line(self, version: int) -> str:
        """The line wrk.lua reads."""
        return " ".join(map(str, [*self[:5], version]))


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
    """The stored notes versions, once they stop changing: when wrk stops, the server may still be
    saving what it sent last, and a run started from an older version would answer 409."""
    from interviews.models import PlannedQuestion

    rows = PlannedQuestion.objects.filter(pk__in=[s.item_pk for s in seats])
    versions, deadline = None, time.monotonic() + 10
    while time.monotonic() < deadline:
        last, versions = versions, dict(rows.values_list("code", "notes_version"))
        if versions == last:
            break
        time.sleep(0.3)
    close_connections()
    return {str(code): v for code, v in versions.items()}


def queries(send) -> int:
    """How many queries one call of send() (a test-client request) makes after a warm-up call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    if response.status_code != 200:
        raise BenchError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    close_connections()
    return len(captured)


class Run:
    def __init__(self, folder: Path, database: str | None):
        self.folder, self.database, self.server, self.port = folder, database, None, 0

    def serve(self, recycle: bool = False) -> None:
        """Gunicorn as production runs it (gunicorn.conf.py), on loopback. Unless recycle,
        max_requests is off: a worker restarting mid-run would bill its start-up (imports, the
        template cache) to whichever URL was being measured."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        command = [Path(sys.prefix) / "bin" / "gunicorn", "config.wsgi:application", "--config"]
        command += [ROOT / "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--graceful-timeout", "5"] + ([] if recycle else ["--max-requests", "0"])
        log = self.folder / "gunicorn.log"
        with log.open("ab") as out:  # in its own session: Ctrl-C reaches only us
            self.server = subprocess.Popen(
                command, cwd=ROOT, start_new_session=True, stdout=out, stderr=out
            )
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
                        return
        raise BenchError(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")

    def _hello(self, _) -> float:
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/hello/", timeout=30) as r:
            r.read()
        return time.monotonic() - started

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.wait(timeout=8)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=5)
            self.server = None

    def cpu(self) -> dict:
        """CPU seconds so far of gunicorn (master and workers) and our Postgres backends, per
        process; of this process's children (wrk) and this process; and of the whole machine."""
        procs, workers = {}, 0
        for entry in (e for e in os.scandir("/proc") if e.name.isdigit()):
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                fields = stat.rsplit(")")[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / TICK
                if self.server and self.server.pid == int(entry.name):  # with its reaped workers
                    seconds += (int(fields[13]) + int(fields[14])) / TICK
                if self.server and self.server.pid in (int(entry.name), int(fields[1])):
                    procs[entry.name] = ("app", seconds)
                    workers += int(fields[1]) == self.server.pid
                elif "(postgres)" in stat and self._ours(entry):
                    procs[entry.name] = ("db", seconds)
        wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:8]]
        return {"procs": procs, "workers": workers, "self": time.process_time()} | {
            "wrk": wrk.ru_utime + wrk.ru_stime,
            "busy": (sum(ticks) - ticks[3] - ticks[4]) / TICK,
            "total": sum(ticks) / TICK,
        }

    def _ours(self, entry) -> bool:
        """A backend's title is "postgres: 15/main: user database host(port) state"."""
        return f" {self.database} " in Path(entry.path, "cmdline").read_text(errors="replace")

    def cpu_since(self, before: dict) -> dict:
        """Per process, so one that starts in between counts. A gunicorn worker that ends in
        between (recycled) is counted in the master's reaped children, less what it had used
        before; a Postgres backend that ends in between is lost."""
        after = self.cpu()
        used = {k: after[k] - before[k] for k in ("wrk", "self", "busy", "total")}
        used["app"] = used["db"] = 0.0
        for pid, (group, seconds) in after["procs"].items():
            used[group] += seconds - before["procs"].get(pid, (group, 0.0))[1]
        for pid, (group, seconds) in before["procs"].items():
            if group == "app" and pid not in after["procs"]:
                used[group] -= seconds
        rest = used["busy"] - used["app"] - used["db"] - used["wrk"] - used["self"]
        return used | {"other": max(0.0, rest)}

    def wrk(self, args, mode: str, lines: list[str], seats: list[Seat] | None = None) -> dict:
        """wrk through wrk.lua in `mode`, warm-up then measured. With seats (mode notes), each run
        starts from the versions the server last acknowledged, and none of its saves may be lost."""
        for seconds in [args.warmup] * bool(args.warmup) + [args.seconds]:
            if seats:
                versions = note_versions(seats)
                lines = [s.line(versions[s.item_code]) for s in seats]
            (self.folder / "wrk.txt").write_text("\n".join(lines) + "\n")
            command = f"wrk -t{args.threads} -c{args.connections} -d{seconds}s --timeout 5s -s "
            command += f"{ROOT}/bench/wrk.lua http://127.0.0.1:{self.port}/ -- {mode} "
            before = self.cpu()
            done = subprocess.run(
                (command + f"{self.folder}/wrk.txt {args.threads}").split(), capture_output=True
            )
            cpu = self.cpu_since(before)
        out = done.stdout.decode()
        if done.returncode:
            raise BenchError(f"wrk failed:\n{out}\n{done.stderr.decode()}")
        r = Counter()  # wrk.lua prints "BENCH key value ..." lines, per thread: add them up
        for fields in (x.split()[1:] for x in out.splitlines() if x.startswith("BENCH ")):
            r.update({k: float(v) for k, v in zip(fields[::2], fields[1::2], strict=True)})
        r = {**r, "rps": r["requests"] / (r["duration_us"] / 1e6), "cpu": cpu}
        statuses = {k[7:]: n for k, n in r.items() if k.startswith("status_")}
        r["problems"] = [f"{n:.0f} answered {s}" for s, n in statuses.items() if s != "200"]
        r["problems"] += [f"{r[k]:.0f} {k}" for k in ("errors", "starved", "unmatched") if r[k]]
        saved = {k[8:]: v for k, v in r.items() if k.startswith("version_")}
        if seats and any(note_versions(seats)[c] < v for c, v in saved.items()):
            r["problems"].append("an acknowledged save is not in the database")
        return r

    def get(self, args, path: str, sessions: list[str] | None = None) -> dict:
        """wrk GETting one path with these sessions, or none."""
        lines = [f"{s} - {path}" for s in sessions or ["-"] * args.connections]
        return self.wrk(args, "get", lines)


def rounds(args, urls: dict) -> dict[str, dict]:
    """Each URL measured in args.rounds turns, taken in order round after round. On a shared box
    the speed drifts during a run; interleaved, the drift weighs on every URL alike, and a share of
    the floor compares like with like. Requests, time and CPU add up; latencies are the slowest
    turn's."""
    results = {}
    for _ in range(args.rounds):
        for name, measure in urls.items():
            r, total = measure(), results.get(name)
            if total:
                r |= {k: total[k] + r[k] for k in ("requests", "duration_us", "problems")}
                r |= {k: max(total[k], r[k]) for k in ("p50_us", "p90_us", "p99_us", "max_us")}
                r["cpu"] = {k: total["cpu"][k] + v for k, v in r["cpu"].items()}
                r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            results[name] = r
    return results


def per_request(r: dict, key: str) -> float:
    return 1000 * r["cpu"][key] / max(r["requests"], 1)


def cpu_ms(r: dict) -> float:
    """CPU milliseconds one request costs everything that serves it: gunicorn, database, wrk."""
    return sum(per_request(r, k) for k in ("app", "db", "wrk"))


def table(results: dict[str, dict], sql: dict[str, int]) -> None:
    """req/s, wrk's latency, queries, CPU ms per request, the share of the CPU others used, "bound"
    and the share of the floor's req/s. Bound (cores / CPU per request) is what an idle machine
    would reach: it moves much less than req/s when other load shares the cores."""
    print(f"\n{'':<30}{'req/s':>7}{'p50':>7}{'p90':>7}{'p99':>7}{'max':>7}{'SQL':>4}", end="")
    print(f"  CPU ms:{'app':>6}{'db':>6}{'wrk':>6}{'other':>7}{'bound':>7}{'/floor':>7}")
    for name, r in results.items():
        ms = "".join(f"{r[f'{p}_us'] / 1000:>7.1f}" for p in ("p50", "p90", "p99", "max"))
        cpu = "".join(f"{per_request(r, k):>6.2f}" for k in ("app", "db", "wrk"))
        other, bound = r["cpu"]["other"] / r["cpu"]["total"], os.cpu_count() / cpu_ms(r) * 1000
        print(f"{name:<30}{r['rps']:>7.0f}{ms}{sql[name]:>4}{cpu:>27}{other:>7.0%}", end="")
        print(f"{bound:>7.0f}{r['rps'] / results[FLOOR]['rps']:>7.0%}")
    if any(r["cpu"]["other"] / r["cpu"]["total"] > 0.10 for r in results.values()):
        print("WARNING: other processes used over 10% of the CPU: req/s and latency are disturbed.")
    if problems := [f"{n}: {p}" for n, r in results.items() for p in r["problems"]]:
        raise BenchError("invalid run, not every request succeeded:\n  " + "\n  ".join(problems))


def budgets(results: dict[str, dict], pages: dict[str, list[str]], targets: dict) -> int:
    """Each budget's share of the floor's req/s (its slowest page), and the same by CPU per
    request, which other load on the box disturbs far less; then the RESULT line."""
    floor, shares = results[FLOOR], {}
    for name, names in pages.items():
        shares[name] = share = min(results[n]["rps"] for n in names) / floor["rps"]
        by_cpu = cpu_ms(floor) / max(cpu_ms(results[n]) for n in names)
        print(
            f"{'PASS' if share >= targets[name] else 'FAIL'}  {name:<10}{share:6.1%} of the floor"
            f" (target >= {targets[name]:.0%}); by CPU per request {by_cpu:.1%}"
        )
    print("RESULT " + " ".join(f"{k}={v:.2f}" for k, v in shares.items()))
    return 0 if all(v >= targets[k] for k, v in shares.items()) else 1


def main(scenario) -> None:
    try:
        sys.exit(scenario())
    except BenchError as e:
        print(f"bench failed: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
