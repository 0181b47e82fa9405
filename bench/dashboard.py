"""The budgets of issue 17 in one run: live view, autosave and dashboard at volume, against the floor.

    .venv/bin/python bench/dashboard.py --postgres [--interviews 10000] [--seconds 10]

seed_volume fills the scratch database (10,000 candidates, --interviews interviews across 50
interviewers, 8 scored questions each; VACUUM ANALYZE after, so the planner has a database in use's
statistics), then wrk measures GET /hello/, GET /hello/user/ (the logged-in floor), the live view,
the autosave, and the dashboard as an interviewer (their own ~2%), as a hiring manager (all) and
the manager's search by candidate name (ten candidates). Prints the table, the queries and the
plans of the dashboard's count, page and progress queries (EXPLAIN ANALYZE on PostgreSQL, QUERY
PLAN on SQLite). Budgets, as shares of the floor's requests/s: live >= 25%, autosave >= 50%,
dashboard >= 25% (the slower of interviewer and manager). Last line:
RESULT live=<share> autosave=<share> dashboard=<share>
"""

import io
import time
from urllib.parse import urlencode

import harness as h

SEARCH = "candidate 0421"  # seed_volume's "Volume Candidate 04210" to "...04219"
TARGETS = {"live": 0.25, "autosave": 0.50, "dashboard": 0.25}


def seed(interviews: int) -> dict[str, tuple[str, str]]:
    """seed_volume, statistics, and the dashboard URLs with the session each is asked with."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from accounts import roles

    started = time.monotonic()
    call_command("seed_volume", interviews=interviews, verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"seed_volume: {interviews:,} interviews in {time.monotonic() - started:.0f} s")
    manager = h.login_session(h.user_in(roles.HIRING_MANAGERS, "bench-manager"))
    interviewer = h.login_session(User.objects.get(username="volume-interviewer-000"))
    h.close_connections()
    return {
        "dashboard, interviewer": (interviewer, "/"),
        "dashboard, manager (all)": (manager, "/"),
        f"search ?q={SEARCH}": (manager, "/?" + urlencode({"q": SEARCH})),
    }


def plans(sql: list[str]) -> None:
    """The plans of the dashboard's count, page and progress queries."""
    from django.db import connection

    found = {}
    for query in sql:
        if 'FROM "interviews_interview"' in query and ("COUNT(*)" in query or "LIMIT" in query):
            # The first of each: the scorecards-due list and the overdue count that follow
            # have a LIMIT and a COUNT(*) too.
            found.setdefault("count" if "COUNT(*)" in query else "page", query)
        elif 'FROM "interviews_plannedquestion"' in query and "GROUP BY" in query:
            found["progress"] = query
    postgres = connection.vendor == "postgresql"
    for kind, query in found.items():
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN {'(ANALYZE, BUFFERS OFF)' if postgres else 'QUERY PLAN'} {query}"
            )
            rows = [r[0] if postgres else r[-1] for r in cursor.fetchall()]
        print(f"\n  {kind}: {query[:300]}\n" + "\n".join(f"      {r}" for r in rows))
    h.close_connections()


def scenario() -> int:
    parser = h.options(__doc__)
    parser.add_argument("--interviews", type=int, default=10_000)
    args = parser.parse_args()
    if args.interviews < 10_000:
        parser.error("--interviews: at least 10,000 (the budget's volume)")
    with h.scratch("dashboard", args) as run:
        from django.test import Client

        pages = seed(args.interviews)
        seats = h.seed_seats(args.connections, 2 * args.connections)
        sql = {}
        for name, (session, path) in pages.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.cookies["sessionid"] = session
            sql[name] = h.queries(lambda client=client, path=path: client.get(path))
        for name in pages:
            print(f"\nQuery plans, {name}:")
            plans(sql[name])
        run.serve(args)
        print(f"Measuring: wrk -t{args.threads} -c{args.connections}, {args.seconds} s each")
        results, live_sql = h.live_urls(run, args, seats)
        for name, (session, path) in pages.items():
            results[name] = run.wrk(args, "live", [f"{session} - {path} - - 0"] * args.connections)
    sql = {**live_sql, **sql}
    floor = results["GET /hello/user/ (floor)"]["rps"]
    h.table(results, sql, floor="GET /hello/user/ (floor)")
    names = {
        "live": ["GET live view"],
        "autosave": ["POST notes autosave"],
        "dashboard": list(pages)[:2],
    }
    shares = {k: min(results[n]["rps"] for n in v) / floor for k, v in names.items()}
    # Other load disturbs req/s far more than CPU per request: the same share by CPU alongside.
    by_cpu = {
        k: h.cpu_ms(results["GET /hello/user/ (floor)"]) / max(h.cpu_ms(results[n]) for n in v)
        for k, v in names.items()
    }
    for name, share in shares.items():
        print(
            f"{'PASS' if share >= TARGETS[name] else 'FAIL'}  {name:<10}{share:6.1%} of the floor"
            f" (target >= {TARGETS[name]:.0%}); by CPU per request {by_cpu[name]:.1%}"
        )
    h.print_sql(sql)
    print("RESULT " + " ".join(f"{k}={v:.2f}" for k, v in shares.items()))
    return 0 if all(v >= TARGETS[k] for k, v in shares.items()) else 1


if __name__ == "__main__":
    h.main(scenario)
