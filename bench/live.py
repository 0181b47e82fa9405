"""The live view and notes autosave through gunicorn and wrk, against the bare and logged-in hello.

    .venv/bin/python bench/live.py [--postgres] [--rounds 3] [--seconds 4] [--connections 16]

GET /hello/ (no session, no database), GET /hello/user/ (the same logged in: the session and user
reads every page pays, the floor), GET the live view and POST the autosave (htmx, CSRF, the
compare-and-swap version; every save must answer 200 and land). Budgets (issue 17): the live view
at least 25% of the floor's requests/s, the autosave at least 50%. Last line:
RESULT live=<share of the floor> autosave=<share>
"""

import harness as h


def scenario() -> int:
    parser = h.options(__doc__, seconds=4, wrk=True)
    parser.add_argument("--interviews", type=int, default=64)
    args = parser.parse_args()
    with h.scratch("live", args) as run:
        seats = h.seed_seats(args.connections, max(args.interviews, 2 * args.connections))
        run.serve()
        print(
            f"Measuring: wrk -t{args.threads} -c{args.connections}, {args.rounds} x {args.seconds} s each"
        )
        urls, sql = h.live_urls(run, args, seats)
        results = h.rounds(args, urls)
    h.table(results, sql)
    pages = {"live": ["GET live view"], "autosave": ["POST notes autosave"]}
    return h.budgets(results, pages, {"live": 0.25, "autosave": 0.50})


if __name__ == "__main__":
    h.main(scenario)
