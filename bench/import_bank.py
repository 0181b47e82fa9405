"""Parsing the seed bank (target under 100 ms) and importing it (target under 1 s on PostgreSQL).

    .venv/bin/python bench/import_bank.py [--postgres] [--runs 7]

Medians of --runs (parsing: 30) in the scratch database. Last line: RESULT parse_ms=P import_ms=I
"""

import statistics

import harness as h

SEED = h.ROOT / "fixtures" / "banks" / "day6-transformers-llms.md"


def scenario() -> int:
    parser = h.options(__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with h.scratch("import", args):
        from questionbank.models import Bank
        from questionbank.parser import parse_bank
        from questionbank.services import import_bank_file

        text = SEED.read_text(encoding="utf-8")
        parse = statistics.median(h.timed(lambda: parse_bank(text, source=SEED.name), 30)[0])
        banks = Bank.objects.filter(slug="bench")
        imported = h.timed(lambda: import_bank_file(SEED, slug="bench"), args.runs, banks.delete)
        imported = statistics.median(imported[0])
    for name, ms, target in (("parse", parse, 100), ("import", imported, 1000)):
        print(
            f"{'PASS' if ms < target else 'FAIL'}  {name} the seed: {ms:.1f} ms (target < {target} ms)"
        )
    print(f"RESULT parse_ms={parse:.1f} import_ms={imported:.1f}")
    return 0 if parse < 100 and imported < 1000 else 1


if __name__ == "__main__":
    h.main(scenario)
