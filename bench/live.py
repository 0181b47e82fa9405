"""The live view and notes autosave through gunicorn and wrk, against the bare and logged-in hello.

    .venv/bin/python bench/live.py [--postgres] [--seconds 10] [--connections 16]

GET /hello/ (no session, no database), GET /hello/user/ (the same logged in: the session and user
reads every page pays, the floor), GET the live view and POST the autosave (htmx, CSRF, the
compare-and-swap version; every save must answer 200 and land). Budgets (issue 17): the live view
at least 25% of the floor's requests/s, the autosave at least 50%. Last line:
RESULT live=<share of the floor> autosave=<share>
"""

from harness import cpu_ms, live_urls, main, options, print_sql, scratch, seed_seats, table

LIVE, AUTOSAVE = 0.25, 0.50


def budgets(results: dict) -> tuple[float, float]:
    hello, floor, live, notes = results.values()
    print(
        f"\nlogged-in floor/hello {floor['rps'] / hello['rps']:6.1%} (the session and user reads)"
    )
    met = True
    for name, r, target in (("live", live, LIVE), ("autosave", notes, AUTOSAVE)):
        share, ok = r["rps"] / floor["rps"], r["rps"] / floor["rps"] >= target
        met &= ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {name}/floor {share:6.1%} (target >= {target:.0%}), "
            f"{name}/hello {r['rps'] / hello['rps']:.1%}, p99 {r['p99_us'] / 1000:.1f} ms; "
            f"by CPU per request {cpu_ms(floor) / cpu_ms(r):.1%} of the floor"
        )
    # On a CPU-bound box req/s is the inverse of CPU per request: what the budget leaves a page.
    query = (cpu_ms(floor) - cpu_ms(hello)) / 2
    for name, target in (("live", LIVE), ("autosave", AUTOSAVE)):
        room = cpu_ms(floor) / target - cpu_ms(floor)
        print(
            f"  {name} at {target:.0%} may cost {room:.2f} ms CPU beyond the floor, "
            f"{room / max(query, 1e-9):.1f} queries' worth (one query ~{query:.2f} ms here)"
        )
    return live["rps"] / floor["rps"], notes["rps"] / floor["rps"], met


def scenario() -> int:
    parser = options(__doc__)
    parser.add_argument("--interviews", type=int, default=64)
    args = parser.parse_args()
    with scratch("live", args) as run:
        seats = seed_seats(args.connections, max(args.interviews, 2 * args.connections))
        run.serve(args)
        print(f"Measuring: wrk -t{args.threads} -c{args.connections}, {args.seconds} s each")
        results, sql = live_urls(run, args, seats)
    table(results, sql, floor="GET /hello/user/ (floor)")
    live, autosave, met = budgets(results)
    print_sql(sql)
    print(f"RESULT live={live:.2f} autosave={autosave:.2f}")
    return 0 if met else 1


if __name__ == "__main__":
    main(scenario)
