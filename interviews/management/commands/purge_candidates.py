from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.lockout import purge_expired_attempts
from interviews import services


class Command(BaseCommand):
    help = (
        "Erase candidates whose last interview is older than --older-than DAYS (retention). "
        "Personal data and free text go; anonymous question statistics stay. Also forgets the "
        "failed logins whose lock has expired (user names and addresses)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--dry-run", action="store_true", help="List, erase nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        candidates = list(services.candidates_to_purge(older_than_days=older_than))
        verb = "Would erase" if dry_run else "Erased"
        with transaction.atomic():
            for candidate in candidates:
                label = f"candidate {candidate.code} (created {candidate.created:%Y-%m-%d})"
                if not dry_run:
                    services.erase_candidate(candidate=candidate, by=None)
                self.stdout.write(f"{verb} {label}")
            attempts = 0 if dry_run else purge_expired_attempts()
        summary = f"{verb} {len(candidates)} candidate(s) with no interview in {older_than} days."
        if not dry_run:
            summary += f" Forgot {attempts} expired login lock(s)."
        self.stdout.write(self.style.SUCCESS(summary))
