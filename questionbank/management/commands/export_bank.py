from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionbank.models import Bank
from questionbank.parser import export_bank
from questionbank.services import bank_to_parsed


class Command(BaseCommand):
    help = (
        "Write a bank back out in the series' Markdown format (importing it gives the same bank)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path, help="Write here instead of stdout.")

    def handle(self, *args, slug, output, **options):
        try:
            bank = Bank.objects.get(slug=slug)
        except Bank.DoesNotExist:
            raise CommandError(f"No bank with slug {slug!r}.") from None
        text = export_bank(bank_to_parsed(bank))
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
        else:
            self.stdout.write(text, ending="")
