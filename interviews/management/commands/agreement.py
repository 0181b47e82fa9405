import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews import agreement

LABELS = {
    "icc1": "ICC(1,1)  one-way random, single rater",
    "icc2": "ICC(2,1)  two-way random, absolute agreement, single rater",
    "icc3": "ICC(3,1)  two-way mixed, consistency, single rater",
    "icc1k": "ICC(1,k)  one-way random, mean of the raters",
    "icc2k": "ICC(2,k)  two-way random, absolute agreement, mean of the raters",
    "icc3k": "ICC(3,k)  two-way mixed, consistency, mean of the raters",
    "alpha_nominal": "Krippendorff's alpha, nominal",
    "alpha_ordinal": "Krippendorff's alpha, ordinal",
    "alpha_interval": "Krippendorff's alpha, interval",
    "alpha_ratio": "Krippendorff's alpha, ratio",
}


class Command(BaseCommand):
    help = (
        "Rater agreement of a ratings table: a CSV with the header 'subject,<rater>,<rater>…', one "
        "row per subject, an empty cell for a missing rating. Prints Shrout & Fleiss' six ICCs (on "
        "the rows without missing cells) and Krippendorff's alpha at four levels (all rows), each "
        "with a 95 % interval. Exits non-zero, naming the line, on a malformed file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ratings CSV ('-' reads standard input).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, file, **options):
        try:
            table = agreement.parse_table(self._read(file))
        except agreement.TableError as error:
            raise CommandError(f"{file}: {error}") from None
        result = agreement.report(table.ratings)
        if options["json"]:
            self.stdout.write(_dumps(result))
            return
        complete = len(agreement.complete_rows(table.ratings))
        self.stdout.write(
            f"{len(table.subjects)} subjects, {len(table.raters)} raters, "
            f"{complete} subjects rated by everyone (the ICCs use those)."
        )
        for name, label in LABELS.items():
            value, ci = result[name], result[f"{name}_ci"]
            shown = "n/a" if value is None else f"{value:.3f}"
            interval = f"  95 % CI [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
            reading = f"  ({agreement.koo_li(value)})" if value is not None else ""
            self.stdout.write(f"{label:<66} {shown:>7}{interval}{reading}")
        size = agreement.panel_size_for(result["icc2"])
        if size:
            self.stdout.write(f"Raters needed for a reliability of .80 (Spearman–Brown): {size}")

    def _read(self, file: str) -> str:
        import sys

        try:
            if file == "-":
                return sys.stdin.read()
            return Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None


def _dumps(result: dict) -> str:
    return json.dumps(result, indent=2)
