import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionbank.parser import BankFormatError
from questionbank.services import ImportReport, import_bank_file


class Command(BaseCommand):
    help = (
        "Import a question bank written in the series' Markdown format. Re-importing updates the "
        "bank in place; a malformed file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The bank's Markdown file.")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--slug", default="", help="Bank slug (default: the file name).")
        parser.add_argument(
            "--mapping",
            type=Path,
            help="A reviewed level/criteria mapping (JSON) to apply; marks those questions reviewed.",
        )

    def handle(self, *args, path, dry_run, json, slug, mapping, **options):
        try:
            report = import_bank_file(path, slug=slug, mapping_path=mapping, dry_run=dry_run)
        except BankFormatError as e:
            raise CommandError(str(e)) from None
        if json:
            self.stdout.write(_json(report.as_json()))
        else:
            self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        counts = (
            f"{report.sections} sections, {report.questions} questions, "
            f"{report.rubric_levels} rubric levels, {report.criteria} criteria"
        )
        prefix = "Dry run, nothing saved: " if report.dry_run else ""
        self.stdout.write(f"{prefix}{report.bank} ({report.slug}): {counts}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Created the bank with {len(report.added)} questions.")
            )
        elif report.unchanged:
            self.stdout.write(self.style.SUCCESS("Already up to date: nothing changed."))
        else:
            for label, keys in (
                ("added", report.added),
                ("changed", report.changed),
                ("removed", report.removed),
            ):
                if keys:
                    self.stdout.write(f"{label}: {', '.join(keys)}")
            if report.rubric_changed:
                self.stdout.write("rubric changed")
            if report.details_changed:
                self.stdout.write("title, description or sections changed")
            self.stdout.write(self.style.SUCCESS(f"Bank is now at revision {report.revision}."))


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
