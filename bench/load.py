"""Capacity users feel: how many interviewers one box holds with p99 < 100 ms and no write lost.

    .venv/bin/python bench/load.py --postgres [--steps 250,500,1000,1500] [--seconds 25]
    .venv/bin/python bench/load.py --postgres --restart-postgres --steps 200 --seconds 60

Gunicorn exactly as gunicorn.conf.py runs it in production (loopback only). Each simulated
interviewer owns one started interview and behaves as the live page does: typing in bursts
(typing and listening periods of 30 s on average, exponential: typing half the time), an
autosave every 5 s while typing (htmx, CSRF, the notes version), a score about once a minute and
a page view (the live page) about once a minute, each at a random phase: 0.13 requests/s per
interviewer, 133 req/s for 1,000. A write that fails is sent again a second later, as the page
does. The client is asyncio in this process; latency runs from the moment an action was due to
the end of its answer, so a generator falling behind counts against it. Its CPU share is printed.

Each step runs --seconds, then every item is compared with what its interviewer was told: the
notes and version of the last acknowledged autosave (a version that is not the start plus the
number of acknowledged saves means one was lost or landed unacknowledged) and the last score.
Steps go up until one misses p99 < 100 ms, answers anything but 200, or loses a write. Last line:
RESULT interviewers=N p99_ms=X lost_writes=0 generator_cpu=Y (the largest step that met the goal)

With --restart-postgres, PostgreSQL restarts a third into the one step: the outage may answer 503
(never 500), every write must land after retries, the server log may hold no traceback. Last
line: RESULT: PASS or FAIL.
"""

import asyncio
import os
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from harness import close_connections, main, options, scratch, seed_seats

P99_MS, GRACE = 100.0, 20
VERSION = re.compile(rb'name="version"[^>]*value="(\d+)"')
NOTES = "Explained attention as a weighted sum of values; knew why the scaling matters. " * 4


@dataclass
class Interviewer:
    number: int
    head: bytes  # cookie and CSRF headers
    live: str
    notes: str
    item_pk: int
    version: int = 1
    saves: int = 0
    text: str | None = None
    score: int | None = None


@dataclass
class Stats:
    latency: dict = field(default_factory=lambda: {"autosave": [], "score": [], "view": []})
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)


async def request(port, who: Interviewer, kind, path, body, due, stats) -> tuple[int, bytes]:
    method = "GET" if body is None else "POST"
    data = (body or "").encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(data)}\r\n"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
        writer.write(head.encode() + who.head + data)
        response = await asyncio.wait_for(reader.read(), 30)  # sync workers close after answering
        writer.close()
    except (OSError, TimeoutError) as error:
        stats.failures[f"{kind}: {type(error).__name__}"] += 1
        return 0, b""
    status = int(response[9:12]) if response.startswith(b"HTTP/1.1 ") else 0
    stats.latency[kind].append((time.monotonic() - due) * 1000)
    stats.statuses[(kind, status)] += 1
    return status, response.partition(b"\r\n\r\n")[2]


async def act(port, who: Interviewer, kind: str, due: float, rng, stats, give_up: float) -> None:
    """One action; a failed write is sent again every second, as the page does, until it lands."""
    score = rng.randint(1, 4)
    while True:
        if kind == "view":
            await request(port, who, kind, who.live, None, due, stats)
            return
        if kind == "score":
            path = who.notes.replace("/notes/", "/score/")
            status, _ = await request(port, who, kind, path, f"score={score}", due, stats)
            if status == 200:
                who.score = score
                return
        else:
            text = f"{who.number}, save {who.saves + 1}: {NOTES}"
            body = urlencode({"notes": text, "version": who.version})
            status, content = await request(port, who, kind, who.notes, body, due, stats)
            if status == 200:
                who.version, who.text = int(VERSION.search(content).group(1)), text
                who.saves += 1
                return
        if time.monotonic() > give_up:
            stats.failures[f"{kind}: gave up retrying"] += 1
            return
        await asyncio.sleep(1)


async def interviewer(port, who: Interviewer, seconds: float, stats: Stats) -> None:
    rng = random.Random(who.number)
    start, loop = time.monotonic(), asyncio.get_running_loop()
    stop = start + seconds
    typing, switch = rng.random() < 0.5, start + rng.expovariate(1 / 30)
    due = {"autosave": start + rng.uniform(0, 5), "score": start + rng.uniform(0, 60)}
    due["view"] = start + rng.uniform(0, 60)
    while True:
        kind, at = min(
            ((k, t) for k, t in due.items() if typing or k != "autosave"), key=lambda x: x[1]
        )
        if switch < at:
            kind, at = "switch", switch
        if at >= stop:
            break
        await asyncio.sleep(max(0.0, at - loop.time()))
        if kind == "switch":
            typing, switch = not typing, at + rng.expovariate(1 / 30)
            due["autosave"] = at + 5
            continue
        # Writes of one kind go one at a time, as the page's htmx queue sends them.
        await act(port, who, kind, at, rng, stats, stop + GRACE)
        due[kind] = max(at + (5 if kind == "autosave" else 60), loop.time())


def lost_writes(people: list[Interviewer]) -> list[str]:
    from interviews.models import PlannedQuestion

    rows = PlannedQuestion.objects.in_bulk([p.item_pk for p in people])
    lost = []
    for p in people:
        item = rows[p.item_pk]
        if p.text is not None and (item.notes, item.notes_version) != (p.text, p.version):
            lost.append(
                f"interviewer {p.number}: notes at version {item.notes_version}, told {p.version}"
            )
        if item.notes_version != 1 + p.saves:
            lost.append(
                f"interviewer {p.number}: {p.saves} saves acknowledged, version {item.notes_version}"
            )
        if p.score is not None and item.score != p.score:
            lost.append(f"interviewer {p.number}: score {item.score}, told {p.score}")
    close_connections()
    return lost


async def warm(port: int, people: list[Interviewer]) -> None:
    """Every worker renders each kind once (templates compile at first use) before any step."""
    rng, stats = random.Random(0), Stats()
    for _ in range(4):
        for kind in ("view", "autosave", "score"):
            due = time.monotonic()
            await asyncio.gather(*(act(port, p, kind, due, rng, stats, due) for p in people[:10]))


def step(run, port: int, people: list[Interviewer], seconds: int) -> dict:
    stats, before = Stats(), run.cpu()
    started = time.monotonic()

    async def everyone():
        await asyncio.gather(*(interviewer(port, p, seconds, stats) for p in people))

    asyncio.run(everyone())
    cpu = run.cpu_between(before, run.cpu())
    elapsed = time.monotonic() - started
    every = [x for values in stats.latency.values() for x in values]
    lost = lost_writes(people)
    share = {k: cpu[k] / cpu["total"] for k in ("app", "db", "self", "other")}
    print(
        f"\n{len(people)} interviewers, {elapsed:.0f} s: {len(every) / elapsed:.0f} req/s, "
        f"p50 {statistics.median(every):.1f} ms, p99 {percentile(every):.1f} ms; "
        f"CPU of the machine: gunicorn {share['app']:.0%}, Postgres {share['db']:.0%}, "
        f"generator {share['self']:.0%}, other {share['other']:.0%}"
    )
    ms = 1000 * (cpu["app"] + cpu["db"]) / max(len(every), 1)
    for kind, values in stats.latency.items():
        print(
            f"  {kind:<9} n={len(values):<6} p50 {statistics.median(values or [0]):7.1f} ms"
            f"  p99 {percentile(values):7.1f} ms"
        )
    # What an otherwise idle box would hold: its cores over the CPU one interviewer costs.
    bound = os.cpu_count() * len(people) / max(cpu["app"] + cpu["db"] + cpu["self"], 1e-9) * elapsed
    print(
        f"  server CPU per request (gunicorn + Postgres, all kinds): {ms:.2f} ms; CPU-bound "
        f"estimate with the generator: {bound:.0f} interviewers at 100% of {os.cpu_count()} cores"
    )
    print("  statuses:", ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(stats.statuses.items())))
    for problem in [*(f"{k}: {n}" for k, n in stats.failures.items()), *lost[:10]]:
        print("  PROBLEM", problem)
    return {"p99": percentile(every), "lost": len(lost), "generator": share["self"], "stats": stats}


def percentile(values: list[float], share: float = 0.99) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def restart_postgres(after: float) -> None:
    await asyncio.sleep(after)
    cluster = next(Path("/etc/postgresql").iterdir()).name
    restart = f"pg_ctlcluster --skip-systemctl-redirect {cluster} main restart -m fast".split()
    await (await asyncio.create_subprocess_exec(*restart)).wait()
    print(f"PostgreSQL restarted at {after:.0f} s")


def scenario() -> int:
    parser = options(__doc__, seconds=25)
    parser.add_argument("--steps", default="250,500,1000,1500", help="interviewers per step")
    parser.add_argument("--restart-postgres", action="store_true")
    args = parser.parse_args()
    steps = [int(n) for n in args.steps.split(",")]
    if args.restart_postgres and not args.postgres:
        parser.error("--restart-postgres needs --postgres")
    best = None
    with scratch("load", args) as run:
        people = []
        port = int(run.serve(args, recycle=True).rsplit(":", 1)[1])
        print(
            f"gunicorn as gunicorn.conf.py runs it; mix per interviewer: autosave 5 s while typing "
            f"(half the time), score and page view once a minute; {args.seconds} s per step"
        )
        for n in steps[:1] if args.restart_postgres else steps:
            for s in seed_seats(n - len(people), n - len(people), first=len(people)):
                cookie = f"Cookie: sessionid={s.session}; csrftoken={s.csrf}\r\nX-CSRFToken: {s.csrf}\r\n"
                head = (
                    cookie
                    + "HX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
                )
                people.append(
                    Interviewer(len(people), head.encode(), s.live_path, s.notes_path, s.item_pk)
                )
            if n == steps[0]:
                asyncio.run(warm(port, people))
            if args.restart_postgres:
                return restarted(run, port, people, args)
            result = step(run, port, people, args.seconds)
            failures = result["stats"].failures
            statuses = {status for _, status in result["stats"].statuses}
            if result["p99"] >= P99_MS or result["lost"] or failures or statuses - {200}:
                print(f"  the goal is missed at {n} interviewers")
                break
            best = (n, result)
    if best is None:
        print(f"RESULT interviewers=0 p99_ms={result['p99']:.1f} lost_writes={result['lost']}")
        return 1
    n, r = best
    print(
        f"RESULT interviewers={n} p99_ms={r['p99']:.1f} lost_writes={r['lost']} generator_cpu={r['generator']:.2f}"
    )
    return 0 if n >= 1000 else 1


def restarted(run, port: int, people: list[Interviewer], args) -> int:
    async def with_restart():
        stats = Stats()
        await asyncio.gather(
            restart_postgres(args.seconds / 3),
            *(interviewer(port, p, args.seconds, stats) for p in people),
        )
        return stats

    stats = asyncio.run(with_restart())
    lost, log = lost_writes(people), run.server_log()
    crashes = {k: n for k, n in stats.statuses.items() if k[1] >= 500 and k[1] != 503}
    print("statuses:", ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(stats.statuses.items())))
    print(
        f"lost writes {len(lost)}, 500s {sum(crashes.values())}, tracebacks {log.count('Traceback')}, "
        f"refused as 'database unavailable' {log.count('(database unavailable')}"
    )
    ok = (
        not lost
        and not crashes
        and "Traceback" not in log
        and not any("gave up" in k for k in stats.failures)
    )
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    main(scenario)
