"""The budgets of issue 17 in one run: live view, autosave and dashboard at volume, against the floor.

    .venv/bin/python bench/dashboard.py --postgres [--interviews 10000] [--rounds 3] [--seconds 4]

wrk GETs /hello/ (no session, no database), /hello/user/ (the same logged in: the session and user
reads every page pays, the floor) and the live view, and POSTs the notes autosave (htmx, CSRF, the
compare-and-swap version; every save must answer 200 and land). With --interviews (at least
10,000; 0 skips this part, the quick check of the first two), after seed_volume (10,000
candidates, the interviews across 50 interviewers; VACUUM ANALYZE, so the planner has a database
in use's statistics): the dashboard as an interviewer (their own ~2%), as a hiring manager (all)
and the manager's search by candidate name. Budgets, shares of the floor's req/s: live >= 25%,
autosave >= 50%, dashboard >= 25% (the slower of interviewer and manager). Last line:
RESULT live=<s> autosave=<s> dashboard=<s>
"""

import io
import itertools
import time

import harness as h

PAGES = {"dashboard, interviewer": "/", "dashboard, manager (all)": "/"}
PAGES["search ?q=candidate 0421"] = "/?q=candidate+0421"  # "Volume Candidate 04210" to "...04219"
TARGETS = {"live": 0.25, "autosave": 0.50, "dashboard": 0.25}


def live_urls(run: h.Run, args, seats: list[h.Seat]) -> tuple[dict, dict]:
    """What rounds() measures, and the queries of each: the hellos, the live view, the autosave."""
    from django.test import Client

    seat, htmx = seats[0], {"X-CSRFToken": seats[0].csrf, "HX-Request": "true"}
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies.load({"sessionid": seat.session, "csrftoken": seat.csrf})
    saves = itertools.count(h.note_versions(seats[:1])[seat.item_code])

    def save():
        data = {"version": (v := next(saves)), "notes": f"Counting queries, save {v + 1}"}
        return client.post(seat.notes_path, data, headers=htmx)

    sql = {"GET /hello/ (bare)": h.queries(lambda: Client(HTTP_HOST="127.0.0.1").get("/hello/"))}
    sql[h.FLOOR] = h.queries(lambda: client.get("/hello/user/"))
    sql["GET live view"] = h.queries(lambda: client.get(seat.live_path))
    sql["POST notes autosave"] = h.queries(save)
    urls = {
        "GET /hello/ (bare)": lambda: run.get(args, "/hello/"),
        h.FLOOR: lambda: run.get(args, "/hello/user/", [s.session for s in seats]),
        "GET live view": lambda: run.wrk(args, "get", [s.line(0) for s in seats]),
        "POST notes autosave": lambda: run.wrk(args, "notes", [], seats),
    }
    return urls, sql


def dashboard_urls(run: h.Run, args) -> tuple[dict, dict]:
    """seed_volume, then what rounds() measures of the dashboard, and the queries of each."""
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
    urls, sql = {}, {}
    for name, path in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=f"sessionid={sessions[name]}")
        sql[name] = h.queries(lambda client=client, path=path: client.get(path))
        urls[name] = lambda path=path, session=sessions[name]: run.get(
            args, path, [session] * args.connections
        )
    return urls, sql


def scenario() -> int:
    parser = h.options(__doc__, seconds=4, wrk=True)
    parser.add_argument("--interviews", type=int, default=10_000, help="0: no dashboard")
    args = parser.parse_args()
    if 0 < args.interviews < 10_000:
        parser.error("--interviews: at least 10,000 (the budget's volume), or 0")
    with h.scratch("dashboard", args) as run:
        volume = dashboard_urls(run, args) if args.interviews else ({}, {})
        seats = h.seed_seats(args.connections, 2 * args.connections)
        run.serve()
        print(f"wrk -t{args.threads} -c{args.connections}, {args.rounds} x {args.seconds} s each")
        urls, sql = live_urls(run, args, seats)
        results = h.rounds(args, urls | volume[0])
    h.table(results, sql | volume[1])
    pages = {"live": ["GET live view"], "autosave": ["POST notes autosave"]}
    if args.interviews:
        pages["dashboard"] = list(PAGES)[:2]
    return h.budgets(results, pages, TARGETS)


if __name__ == "__main__":
    h.main(scenario)
