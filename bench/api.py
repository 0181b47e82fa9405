"""Throughput and latency of the REST API's list and read endpoints, against the logged-in floor.

    .venv/bin/python bench/api.py [--seconds 8] [--connections 16] [--postgres]

bench/live.py's harness (scratch database, gunicorn with production settings on 127.0.0.1, wrk
through live.lua, CPU accounting, cleanup) measures in turn GET /hello/user/ (a bare view behind
the session and user lookup every logged-in page pays: the floor) and each API read with a write
key: candidates and interviews lists (50 per page), one candidate, one interview, its plan, its
submitted scorecard, the candidate's debrief. Every API call also counts against the key's rate
limit (one UPDATE) and is audited (one INSERT): they are part of what is measured. The rate limit
is raised for the run. It prints requests/s, latency, CPU per request, queries per request, and each
endpoint's throughput as a ratio of the floor; the last line is RESULT.

Exit status: 0 the run succeeded, 2 it failed (every request must answer 200).
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import (
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
    wait_until_up,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--worker-threads", type=int, help="threads per gunicorn worker")
    parser.add_argument(
        "--postgres", action="store_true", help=f"a throwaway database at {PG_SERVER}"
    )
    parser.add_argument("--pg-db", default="interview_desk_api_bench", help="dropped and recreated")
    args = parser.parse_args()
    if not args.pg_db.endswith("_bench"):
        parser.error("--pg-db must end in _bench: the bench drops it")
    if not 1 <= args.seconds <= 300 or not 0 <= args.warmup <= 60 or args.candidates < 10:
        parser.error("--seconds 1..300, --warmup 0..60, --candidates at least 10")
    return args


def build_database(args) -> tuple[str, str, dict[str, str]]:
    """Candidates, each with one interview (every other one submitted); a manager and a key."""
    import django

    django.setup()
    import logging

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from api.models import ApiKey
    from interviews import roles, services
    from interviews.models import Candidate, PlannedQuestion
    from questionbank.models import Bank

    logging.getLogger("interview_desk.requests").setLevel(logging.WARNING)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loaddata", "day6-transformers-llms", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    bank = Bank.objects.get(slug="day6-transformers-llms")
    interviewer = User.objects.create_user("bench-interviewer", "i@example.com")
    interviewer.groups.add(Group.objects.get(name=roles.INTERVIEWERS))
    manager = User.objects.create_user("bench-manager", "m@example.com")
    manager.groups.add(Group.objects.get(name=roles.HIRING_MANAGERS))
    submitted = None
    for n in range(args.candidates):
        candidate = Candidate.objects.create(name=f"Bench Candidate {n}", external_id=f"ATS-{n}")
        interview = services.create_interview(
            candidate=candidate,
            position="ML Engineer",
            target_level=3,
            bank=bank,
            planned_minutes=45,
            interviewers=[interviewer],
            created_by=interviewer,
            seed=n,
        )
        if n % 2 == 0:
            interview.items.update(score=3)
            PlannedQuestion.objects.filter(interview=interview).update(notes="Solid.")
            services.submit_scorecard(
                interview=interview, by=interviewer, recommendation="hire", rationale="Good."
            )
            submitted = submitted or interview
    _, token = ApiKey.issue(user=manager, name="bench", scope="write")
    code, who = submitted.code, submitted.candidate.code
    paths = {
        "candidates list": "/api/v1/candidates?limit=50",
        "candidate": f"/api/v1/candidates/{who}",
        "interviews list": "/api/v1/interviews?limit=50",
        "interview": f"/api/v1/interviews/{code}",
        "plan": f"/api/v1/interviews/{code}/plan",
        "scorecard": f"/api/v1/interviews/{code}/scorecard",
        "debrief": f"/api/v1/candidates/{who}/debrief",
    }
    session = login_session(manager)
    close_connections()
    return token, session, paths


def count_queries(token: str, paths: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(
                f"GET {path} answered {response.status_code}: {response.content[:300]}"
            )
        counts[name] = len(queries)
    close_connections()
    return counts


def measure(wrk, args, base, mode: str, line: str, scratch: Path, pids: Pids) -> dict:
    data = scratch / "lines.txt"
    data.write_text(f"{line}\n" * args.connections)
    for seconds in ([args.warmup] if args.warmup else []) + [args.seconds]:
        result = run_wrk(wrk, args, base, mode, data, seconds, pids)
    result["problems"] = problems_in(result)
    return result


def report(args, setup: dict, results: dict, queries: dict) -> None:
    floor = results["/hello/user/ (floor)"]
    print(f"\nDatabase: {setup['database']};  code {setup['code']};  load {setup['load']:.2f}")
    print(f"Load: wrk -t{args.threads} -c{args.connections}, {args.seconds} s per endpoint\n")
    print(
        f"{'':<24}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}{'other':>7}{'queries':>8}{'/floor':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<24}{r['rps']:>8.0f}{r['p50_us'] / 1000:>8.1f}{r['p99_us'] / 1000:>8.1f}"
            f"{1000 * cpu_per_request(r):>8.2f}{other_load(r):>7.0%}"
            f"{queries.get(name, 2):>8}{r['rps'] / floor['rps']:>8.0%}"
        )
    ratios = {n: r["rps"] / floor["rps"] for n, r in results.items() if n in queries}
    worst = min(ratios, key=ratios.get)
    print(
        f"\nRESULT api reads at {min(ratios.values()):.0%}..{max(ratios.values()):.0%} of the "
        f"logged-in floor ({floor['rps']:.0f} req/s); slowest: {worst}"
    )


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    wrk = ensure_wrk()
    scratch = Path(tempfile.mkdtemp(prefix="interview-desk-api-bench-"))
    server = database = None
    setup = {"load": os.getloadavg()[0], "code": code_version()}
    try:
        database = prepare_environment(args, scratch)
        os.environ["API_RATE_LIMIT"] = str(10**9)
        print(f"Setting up {database} ...", flush=True)
        token, session, paths = build_database(args)
        queries = count_queries(token, paths)
        gunicorn_settings(args)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = scratch / "gunicorn.log"
        server = start_gunicorn(port, log)
        wait_until_up(server, base, log)
        pids = Pids(server=server.pid, database=args.pg_db if args.postgres else None)
        results = {
            "/hello/user/ (floor)": measure(
                wrk, args, base, "user", f"{session} - - - - 0", scratch, pids
            )
        }
        for name, path in paths.items():
            results[name] = measure(wrk, args, base, "api", f"{token} - {path}", scratch, pids)
        setup["database"] = "PostgreSQL (throwaway)" if args.postgres else "SQLite (temporary file)"
        report(args, setup, results, queries)
        problems = [f"{m}: {p}" for m, r in results.items() for p in r["problems"]]
        if problems:
            print("\nINVALID RUN:\n  " + "\n  ".join(problems))
            print(server_messages(log))
            return 2
        return 0
    except BenchError as e:
        print(f"bench failed: {e}", file=sys.stderr)
        return 2
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
