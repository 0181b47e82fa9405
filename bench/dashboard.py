"""The budgets of issue 17 in one run: live view, autosave and dashboard at volume, against the floor.

    .venv/bin/python bench/dashboard.py --postgres [--interviews 10000] [--rounds 3] [--seconds 4]

seed_volume (10,000 candidates, --interviews interviews across 50 interviewers; VACUUM ANALYZE
after, so the planner has a database in use's statistics), then wrk: what live.py measures, plus
the dashboard as an interviewer (their own ~2%), as a hiring manager (all) and the manager's search
by candidate name. Budgets, shares of the floor's req/s: live >= 25%, autosave >= 50%, dashboard
>= 25% (the slower of interviewer and manager). RESULT live=<s> autosave=<s> dashboard=<s>
"""

import io
import time

import harness as h

PAGES = {"dashboard, interviewer": "/", "dashboard, manager (all)": "/"}
PAGES["search ?q=candidate 0421"] = "/?q=candidate+0421"  # "Volume Candidate 04210" to "...04219"


def scenario() -> int:
    parser = h.options(__doc__, seconds=4, wrk=True)
    parser.add_argument("--interviews", type=int, default=10_000)
    args = parser.parse_args()
    if args.interviews < 10_000:
        parser.error("--interviews: at least 10,000 (the budget's volume)")
    with h.scratch("dashboard", args) as run:
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from accounts import roles

        started = time.monotonic()
        call_command("seed_volume", interviews=args.interviews, verbosity=0, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"seed_volume: {args.interviews:,} interviews in {time.monotonic() - started:.0f} s")
        manager = h.login_session(h.user_in(roles.HIRING_MANAGERS, "bench-manager"))
        interviewer = h.login_session(User.objects.get(username="volume-interviewer-000"))
        sessions = dict(zip(PAGES, [interviewer, manager, manager], strict=True))
        seats, sql = h.seed_seats(args.connections, 2 * args.connections), {}
        for name, path in PAGES.items():
            client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=f"sessionid={sessions[name]}")
            sql[name] = h.queries(lambda client=client, path=path: client.get(path))
        run.serve()
        print(
            f"Measuring: wrk -t{args.threads} -c{args.connections}, {args.rounds} x {args.seconds} s each"
        )
        urls, live_sql = h.live_urls(run, args, seats)
        for name, path in PAGES.items():
            urls[name] = lambda path=path, name=name: run.get(
                args, path, [sessions[name]] * args.connections
            )
        results = h.rounds(args, urls)
    h.table(results, live_sql | sql)
    pages = {"live": ["GET live view"], "autosave": ["POST notes autosave"]}
    pages["dashboard"] = list(PAGES)[:2]
    return h.budgets(results, pages, {"live": 0.25, "autosave": 0.50, "dashboard": 0.25})


if __name__ == "__main__":
    h.main(scenario)
