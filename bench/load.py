"""Load and soak: many interviewers scoring and autosaving at once, with zero lost writes.

    .venv/bin/python bench/load.py [--clients 200] [--seconds 60] [--postgres] [--restart-postgres]

Gunicorn serves the app as in production (gunicorn.conf.py, DEBUG off) on 127.0.0.1. Each simulated
interviewer is logged in to their own interview and, every 1 to 3 seconds, either scores the current
question or autosaves its notes the way the live view does (htmx POST, CSRF, the notes version).
A write that fails (a 5xx, a refused connection) is sent again after a second, as the live view's
retry does, until it is acknowledged.

At the end the database is compared with what each client was told: every note and score must equal
the last write that got a 200. Any difference is a lost write. With --restart-postgres (PostgreSQL
only) the server is restarted in the middle of the run: requests during the outage must fail
cleanly (503), never with a 500, and the app must recover by itself. The server log may hold no
traceback: a refused request is one line.

Bounded: the load stops after --seconds, pending retries get --grace seconds more, gunicorn is
stopped at the end, also on errors and Ctrl-C. Loopback only. Exit status 0 when nothing was lost
and no request answered 500; 1 otherwise; 2 when the run itself failed.
"""

import argparse
import asyncio
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import (
    BenchError,
    build_database,
    close_connections,
    free_port,
    gunicorn_settings,
    pg_admin,
    prepare_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_until_up,
)

VERSION = re.compile(rb'name="version"[^>]*value="(\d+)"')


@dataclass
class Client:
    number: int
    session: str
    csrf: str
    notes_path: str
    score_path: str
    item_pk: int
    version: int = 0
    acknowledged_notes: str | None = None
    acknowledged_score: int | None = None
    writes: int = 0


@dataclass
class Stats:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    retries: int = 0
    started: float = 0.0
    outage: tuple[float, float] | None = None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--grace", type=int, default=20, help="Time for pending retries.")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--pg-db", default="interview_desk_load")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--restart-at", type=int, default=20, help="Seconds into the run.")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--worker-threads", type=int, default=0)
    args = parser.parse_args()
    if args.restart_postgres and not args.postgres:
        parser.error("--restart-postgres needs --postgres")
    # build_database (shared with live.py) makes one interview per connection.
    args.connections = args.interviews = args.clients
    return args


async def post(port: int, client: Client, path: str, body: str, stats: Stats, kind: str):
    """One HTTP/1.1 POST on a fresh connection, as a browser's htmx request would send it."""
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={client.session}; csrftoken={client.csrf}\r\n"
        f"X-CSRFToken: {client.csrf}\r\nHX-Request: true\r\nReferer: http://127.0.0.1/\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
    ).encode()
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
        writer.write(request)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), 30)
        writer.close()
    except (OSError, TimeoutError) as error:
        stats.failures[f"{kind}: {type(error).__name__}"] += 1
        return None, b""
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
    stats.latencies[kind].append((time.perf_counter() - started) * 1000)
    stats.statuses[(kind, status)] += 1
    return status, response.partition(b"\r\n\r\n")[2]


async def save_notes(port, client: Client, text: str, stats: Stats) -> bool:
    from urllib.parse import urlencode

    body = urlencode({"notes": text, "version": client.version})
    status, content = await post(port, client, client.notes_path, body, stats, "autosave")
    if status == 200:
        client.version = int(VERSION.search(content).group(1))
        client.acknowledged_notes = text
        return True
    if status == 409:
        stats.failures["autosave: 409 conflict (one writer per item: should never happen)"] += 1
    return False


async def save_score(port, client: Client, score: int, stats: Stats) -> bool:
    status, _ = await post(port, client, client.score_path, f"score={score}", stats, "score")
    if status == 200:
        client.acknowledged_score = score
        return True
    return False


async def interviewer(port: int, client: Client, stats: Stats, stop_at: float, give_up_at: float):
    rng = random.Random(client.number)
    while time.monotonic() < stop_at:
        await asyncio.sleep(rng.uniform(1, 3))
        if time.monotonic() >= stop_at:
            break
        client.writes += 1
        if rng.random() < 0.5:
            text = f"Client {client.number}, note {client.writes}: explained the trade-offs."
            write = lambda text=text: save_notes(port, client, text, stats)  # noqa: E731
        else:
            score = rng.randint(1, 4)
            write = lambda score=score: save_score(port, client, score, stats)  # noqa: E731
        # The live view keeps what failed in the page and sends it again until it is saved.
        while not await write():
            if time.monotonic() >= give_up_at:
                stats.failures["gave up retrying at the end of the grace period"] += 1
                return
            stats.retries += 1
            await asyncio.sleep(1)


async def restart_postgres(stats: Stats, at: float) -> None:
    await asyncio.sleep(at)
    cluster = Path("/etc/postgresql").iterdir().__next__().name
    began = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        "pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart", "-m", "fast"
    )
    await process.wait()
    stats.outage = (began - stats.started, time.monotonic() - stats.started)


async def run_load(port: int, clients: list[Client], args) -> Stats:
    stats = Stats(started=time.monotonic())
    stop_at = stats.started + args.seconds
    tasks = [interviewer(port, c, stats, stop_at, stop_at + args.grace) for c in clients]
    if args.restart_postgres:
        tasks.append(restart_postgres(stats, args.restart_at))
    await asyncio.gather(*tasks)
    return stats


def lost_writes(clients: list[Client]) -> list[str]:
    """Compare the database with the last acknowledged write of every client."""
    from interviews.models import PlannedQuestion

    close_connections()
    rows = PlannedQuestion.objects.in_bulk([c.item_pk for c in clients])
    lost = []
    for c in clients:
        item = rows[c.item_pk]
        if c.acknowledged_notes is not None and item.notes != c.acknowledged_notes:
            lost.append(f"client {c.number}: notes {item.notes!r} != {c.acknowledged_notes!r}")
        if c.acknowledged_score is not None and item.score != c.acknowledged_score:
            lost.append(f"client {c.number}: score {item.score} != {c.acknowledged_score}")
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(args, stats: Stats, clients: list[Client], lost: list[str], elapsed: float) -> bool:
    total = sum(len(v) for v in stats.latencies.values())
    server_errors = {k: n for k, n in stats.statuses.items() if k[1] >= 500}
    crashes = {k: n for k, n in server_errors.items() if k[1] != 503}
    print(f"\n{args.clients} interviewers, {args.seconds} s of load on {args.database}")
    print(f"requests: {total} answered in {elapsed:.1f} s, {total / elapsed:.1f} req/s")
    for kind, values in sorted(stats.latencies.items()):
        print(
            f"  {kind:<9} n={len(values):<6} p50={statistics.median(values):6.1f} ms"
            f"  p99={percentile(values, 0.99):6.1f} ms"
        )
    print("statuses:", ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(stats.statuses.items())))
    if stats.failures:
        print("no answer:", ", ".join(f"{k}: {n}" for k, n in stats.failures.items()))
    print(f"retries after a failed save: {stats.retries}")
    if stats.outage:
        print(f"PostgreSQL restarted from {stats.outage[0]:.1f} s to {stats.outage[1]:.1f} s")
    acknowledged = sum(
        (c.acknowledged_notes is not None) + (c.acknowledged_score is not None) for c in clients
    )
    print(f"items checked against their last acknowledged write: {acknowledged}")
    print(f"lost writes: {len(lost)}")
    for line in lost[:10]:
        print("  ", line)
    expected_5xx = args.restart_postgres
    ok = not lost and not crashes and (expected_5xx or not server_errors)
    ok = ok and not any("gave up" in k or "409" in k for k in stats.failures)
    print(
        f"5xx: {sum(server_errors.values())} ({'503 during the outage only' if expected_5xx else 'must be 0'})"
        f", 500: {sum(crashes.values())}"
    )
    print("RESULT:", "PASS" if ok else "FAIL")
    return ok


def main() -> int:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="interview-desk-load-"))
    args.database = "PostgreSQL" if args.postgres else "SQLite"
    server = None
    try:
        prepare_environment(args, scratch)
        print("Setting up the scratch database and interviews…", flush=True)
        seats = build_database(args)
        clients = [
            Client(
                number=n,
                session=s.session,
                csrf=s.csrf,
                notes_path=s.notes_path,
                score_path=s.notes_path.replace("/notes/", "/score/"),
                item_pk=s.item_pk,
                version=1,
            )
            for n, s in enumerate(seats)
        ]
        conf = gunicorn_settings(args)
        port = free_port()
        log = scratch / "gunicorn.log"
        server = start_gunicorn(port, log)
        wait_until_up(server, f"http://127.0.0.1:{port}", log)
        print(f"gunicorn: {conf['workers']} workers x {conf['threads']} threads on port {port}")
        started = time.monotonic()
        stats = asyncio.run(run_load(port, clients, args))
        elapsed = time.monotonic() - started
        ok = report(args, stats, clients, lost_writes(clients), elapsed)
        server_log = log.read_text(errors="replace")
        tracebacks = server_log.count("Traceback")
        outages = re.findall(r"\(database unavailable, (\w+: .*)\)$", server_log, re.M)
        print(f"tracebacks in the server log: {tracebacks}")
        print(f"requests logged as 'database unavailable': {len(outages)}")
        for line in sorted(set(outages))[:5]:
            print("  server error:", line[:160])
        # A database restart logs one line per refused request; any traceback is a bug.
        return 0 if ok and not tracebacks else 1
    except BenchError as error:
        print(f"bench/load.py: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            stop_gunicorn(server)
        close_connections()
        if args.postgres:
            try:
                pg_admin(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
            except Exception as error:
                print(f"could not drop {args.pg_db}: {error}", file=sys.stderr)
        subprocess.run(["rm", "-rf", str(scratch)], check=False)


if __name__ == "__main__":
    sys.exit(main())
