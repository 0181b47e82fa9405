"""How long parsing and importing the seed bank take: the issue's targets, measured.

    .venv/bin/python bench/import_bank.py [--parse-runs 30] [--import-runs 7]

Prints the median time to parse the seed (target under 100 ms) and to import it into the configured
database (target under 1 s on PostgreSQL), with PASS or FAIL, and exits non-zero on a FAIL.

The import runs in a scratch database created by Django's test utilities (a temporary file for
SQLite; a database of its own, named after this process, on PostgreSQL, so a test run on the same
server is not disturbed), and the scratch database is dropped at the end: real data is never read
or written.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "banks" / "day6-transformers-llms.md"
PARSE_TARGET = 0.100
IMPORT_TARGET = 1.0


def median_seconds(runs: int, work: Callable[[int], object], after=None) -> float:
    """The median wall time of `work(run)`; `after(run)` tidies up outside the timing."""
    times = []
    for run in range(runs):
        start = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - start)
        if after:
            after(run)
    return statistics.median(times)


def verdict(label: str, seconds: float, target: float, runs: int) -> bool:
    passed = seconds < target
    print(
        f"{label} (median of {runs}): {seconds * 1000:.1f} ms "
        f"(target < {target * 1000:.0f} ms) {'PASS' if passed else 'FAIL'}"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parse-runs", type=int, default=30)
    parser.add_argument("--import-runs", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from questionbank.models import Bank
    from questionbank.parser import parse_bank
    from questionbank.services import import_bank_file

    text = SEED.read_text(encoding="utf-8")
    parse_ok = verdict(
        "Parse the seed",
        median_seconds(args.parse_runs, lambda run: parse_bank(text, source=SEED.name)),
        PARSE_TARGET,
        args.parse_runs,
    )

    real_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="bench-import-bank-") as scratch:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(scratch) / "bench.sqlite3")
        else:
            connection.settings_dict["TEST"]["NAME"] = f"bench_import_bank_{os.getpid()}"
        databases = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            scratch_name = connection.settings_dict["NAME"]
            if scratch_name == real_name:
                raise RuntimeError(f"refusing to benchmark in the real database {real_name!r}")
            # As in production: Django keeps a log of every query only when DEBUG is on.
            settings.DEBUG = False
            if connection.vendor == "postgresql":
                version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
            else:
                version = connection.Database.sqlite_version
            print(f"Database: {connection.display_name} {version} (scratch: {scratch_name})")
            import_ok = verdict(
                f"Import the seed into {connection.display_name}",
                median_seconds(
                    args.import_runs,
                    lambda run: import_bank_file(SEED, slug=f"bench-{run}"),
                    after=lambda run: Bank.objects.filter(slug=f"bench-{run}").delete(),
                ),
                IMPORT_TARGET,
                args.import_runs,
            )
            left = Bank.objects.count()
        finally:
            teardown_databases(databases, verbosity=0)
    if left:
        print(f"{left} banks were left in the scratch database (now dropped).")
    return 0 if parse_ok and import_ok else 1


if __name__ == "__main__":
    sys.exit(main())
