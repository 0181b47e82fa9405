"""The analytics pages at volume: refresh cost, p50 per page, queries per page.

    .venv/bin/python bench/analytics.py --postgres [--interviews 50000] [--requests 30]

seed_volume (10,000 candidates, --interviews interviews), refresh_analytics timed, then each page
and its CSV --requests times in process, as the role that may see it, after a warm-up request.
Target: p50 under 300 ms, queries independent of the volume. Last line:
RESULT worst_p50_ms=N max_queries=Q refresh_s=S
"""

import io
import statistics
import time

import harness as h

PAGES = {"calibration": "manager", "agreement": "manager", "mine": "interviewer"}
PAGES["questions"] = "editor"


def scenario() -> int:
    parser = h.options(__doc__)
    parser.add_argument("--interviews", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with h.scratch("analytics", args):
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from accounts import roles

        for command, options in (
            ("seed_volume", {"interviews": args.interviews}),
            ("refresh_analytics", {}),
        ):
            started = time.perf_counter()
            call_command(command, verbosity=0, stdout=io.StringIO(), **options)
            print(f"{command}: {time.perf_counter() - started:.1f} s")
        refresh = time.perf_counter() - started
        clients = {"interviewer": Client(), "manager": Client(), "editor": Client()}
        clients["interviewer"].force_login(User.objects.get(username="volume-interviewer-000"))
        for name, role in (("manager", roles.HIRING_MANAGERS), ("editor", roles.BANK_EDITORS)):
            clients[name].force_login(h.user_in(role, f"bench-{name}", is_staff=True))
        print(f"{'page':42} {'p50 ms':>8} {'p90 ms':>8} {'queries':>8}")
        worst = most = 0
        for name, role in (
            (f"interviews:analytics_{p}{csv}", r) for p, r in PAGES.items() for csv in ("", "_csv")
        ):
            client, path = clients[role], reverse(name)
            sql = h.queries(lambda client=client, path=path: client.get(path))
            times = h.timed(lambda client=client, path=path: client.get(path), args.requests)[0]
            p50, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
            worst, most = max(worst, p50), max(most, sql)
            print(f"{name:42} {p50:8.1f} {p90:8.1f} {sql:8}")
    print(f"RESULT worst_p50_ms={worst:.1f} max_queries={most} refresh_s={refresh:.1f}")
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    h.main(scenario)
