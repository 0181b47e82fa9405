"""Capacity users feel: how many interviewers one box holds with p99 < 100 ms and no write lost.

    .venv/bin/python bench/load.py --postgres [--steps 250,500,1000,1500] [--seconds 25]

Each simulated interviewer owns one started interview and does what the live page does (bench/
README.md has the mix: 0.13 requests/s each). The client is asyncio in this process; latency runs
from the moment an action was due, so a generator falling behind counts against the app. After
each step every item is compared with what its interviewer was told. Steps go up until one misses
p99 < 100 ms, answers anything but 200, or loses a write. Last line (the largest that met it):
RESULT interviewers=N p99_ms=X lost_writes=0 generator_cpu=Y
"""

import asyncio
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import harness as h

P99_MS, GRACE = 100.0, 20
VERSION = re.compile(rb'name="version"[^>]*value="(\d+)"')
NOTES = "Explained attention as a weighted sum of values; knew why the scaling matters. " * 4
HEAD = "Cookie: sessionid={0.session}; csrftoken={0.csrf}\r\nX-CSRFToken: {0.csrf}\r\n"
HEAD += "HX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"


@dataclass
class Interviewer:
    number: int
    seat: h.Seat
    head: bytes  # cookie and CSRF headers
    version: int = 1  # seed_seats saved the notes once
    saves: int = 0
    text: str | None = None
    score: int | None = None


class Stats:
    def __init__(self):
        self.latency = {"autosave": [], "score": [], "view": []}
        self.statuses, self.failures = Counter(), Counter()


async def request(port, who, kind: str, path: str, body, due: float, stats) -> tuple[int, bytes]:
    data = (body or "").encode()
    head = f"{'GET' if body is None else 'POST'} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
        writer.write(f"{head}Content-Length: {len(data)}\r\n".encode() + who.head + data)
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
    score, text = rng.randint(1, 4), f"{who.number}, save {who.saves + 1}: {NOTES}"
    path, body = {
        "view": (who.seat.live_path, None),
        "score": (who.seat.notes_path.replace("/notes/", "/score/"), f"score={score}"),
        "autosave": (who.seat.notes_path, urlencode({"notes": text, "version": who.version})),
    }[kind]
    while (answer := await request(port, who, kind, path, body, due, stats))[0] != 200:
        if kind == "view":
            return
        if time.monotonic() > give_up:
            stats.failures[f"{kind}: gave up retrying"] += 1
            return
        await asyncio.sleep(1)
    if kind == "score":
        who.score = score
    elif kind == "autosave":
        who.version, who.text = int(VERSION.search(answer[1]).group(1)), text
        who.saves += 1


async def interviewer(port, who: Interviewer, seconds: float, stats: Stats) -> None:
    """Typing and listening periods of 30 s on average (exponential), an autosave every 5 s while
    typing, a score and a view of the live page about once a minute, each at a random phase."""
    rng, loop = random.Random(who.number), asyncio.get_running_loop()
    start = time.monotonic()
    typing, switch = rng.random() < 0.5, start + rng.expovariate(1 / 30)
    due = {"autosave": start + rng.uniform(0, 5), "score": start + rng.uniform(0, 60)}
    due["view"] = start + rng.uniform(0, 60)
    while True:
        at, kind = min((t, k) for k, t in due.items() if typing or k != "autosave")
        if switch < at:
            kind, at = "switch", switch
        if at >= start + seconds:
            return
        await asyncio.sleep(max(0.0, at - loop.time()))
        if kind == "switch":
            typing, switch, due["autosave"] = not typing, at + rng.expovariate(1 / 30), at + 5
            continue
        # Writes of one kind go one at a time, as the page's htmx queue sends them.
        await act(port, who, kind, at, rng, stats, start + seconds + GRACE)
        due[kind] = max(at + (5 if kind == "autosave" else 60), loop.time())


def lost_writes(people: list[Interviewer]) -> list[str]:
    """The notes and version of the last acknowledged autosave (a version other than the start
    plus the acknowledged saves: one was lost or landed unacknowledged) and the last score."""
    from interviews.models import PlannedQuestion

    rows, lost = PlannedQuestion.objects.in_bulk([p.seat.item_pk for p in people]), []
    for p in people:
        item, who = rows[p.seat.item_pk], f"interviewer {p.number}:"
        if p.text is not None and (item.notes, item.notes_version) != (p.text, p.version):
            lost.append(f"{who} notes at version {item.notes_version}, told {p.version}")
        if item.notes_version != 1 + p.saves:
            lost.append(f"{who} {p.saves} saves acknowledged, version {item.notes_version}")
        if p.score is not None and item.score != p.score:
            lost.append(f"{who} score {item.score}, told {p.score}")
    h.close_connections()
    return lost


def percentile(values: list[float], share: float = 0.99) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def step(run: h.Run, people: list[Interviewer], seconds: int) -> tuple[float, int, float, bool]:
    """Everyone for `seconds`; prints where the time went. p99, lost writes, generator, failed."""
    stats, before, started = Stats(), run.cpu(), time.monotonic()

    async def everyone():
        await asyncio.gather(*(interviewer(run.port, p, seconds, stats) for p in people))

    asyncio.run(everyone())
    cpu, elapsed = run.cpu_since(before), time.monotonic() - started
    every = [x for values in stats.latency.values() for x in values]
    share = {k: cpu[k] / cpu["total"] for k in ("app", "db", "self", "other")}
    ms = 1000 * (cpu["app"] + cpu["db"]) / max(len(every), 1)
    print(
        f"\n{len(people)} interviewers, {elapsed:.0f} s: {len(every) / elapsed:.0f} req/s, p50 "
        f"{statistics.median(every):.1f} ms, p99 {percentile(every):.1f} ms; server CPU {ms:.2f} "
        f"ms per request; CPU of the machine: gunicorn {share['app']:.0%}, Postgres "
        f"{share['db']:.0%}, generator {share['self']:.0%}, other {share['other']:.0%}"
    )
    for kind, v in stats.latency.items():
        p50 = statistics.median(v or [0])
        print(f"  {kind:<9} n={len(v):<6} p50 {p50:7.1f} ms  p99 {percentile(v):7.1f} ms")
    print("  statuses:", ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(stats.statuses.items())))
    lost = lost_writes(people)
    for problem in [*(f"{k}: {n}" for k, n in stats.failures.items()), *lost[:10]]:
        print("  PROBLEM", problem)
    failed = bool(stats.failures) or any(status != 200 for _, status in stats.statuses)
    return percentile(every), len(lost), share["self"], failed


async def warm(port: int, people: list[Interviewer]) -> None:
    """Every worker renders each kind once (templates compile at first use) before any step."""
    rng, stats = random.Random(0), Stats()
    for _ in range(4):
        for kind in ("view", "autosave", "score"):
            due = time.monotonic()
            await asyncio.gather(*(act(port, p, kind, due, rng, stats, due) for p in people[:10]))


def scenario() -> int:
    parser = h.options(__doc__, seconds=25)
    parser.add_argument("--steps", default="250,500,1000,1500", help="interviewers per step")
    args = parser.parse_args()
    steps, people, best = [int(n) for n in args.steps.split(",")], [], None
    with h.scratch("load", args) as run:
        run.serve(recycle=True)  # max_requests on, as in production
        print(f"gunicorn as gunicorn.conf.py runs it; {args.seconds} s per step")
        for n in steps:
            for seat in h.seed_seats(n - len(people), n - len(people), first=len(people)):
                people.append(Interviewer(len(people), seat, HEAD.format(seat).encode()))
            if n == steps[0]:
                asyncio.run(warm(run.port, people))
            p99, lost, generator, failed = step(run, people, args.seconds)
            if p99 >= P99_MS or lost or failed:
                print(f"  the goal is missed at {n} interviewers")
                break
            best = n, p99, generator
    if best is None:
        print(f"RESULT interviewers=0 p99_ms={p99:.1f} lost_writes={lost}")
        return 1
    n, p99, generator = best
    print(f"RESULT interviewers={n} p99_ms={p99:.1f} lost_writes=0 generator_cpu={generator:.2f}")
    return 0 if n >= 1000 else 1


if __name__ == "__main__":
    h.main(scenario)
