from django.core.management.base import BaseCommand
from django.utils import timezone

from integrations import reminders
from interviews.models import Interview


class Command(BaseCommand):
    help = (
        "Email the scorecard reminders that are due (one per interviewer and slot, never twice). "
        "`manage.py periodic` runs this every minute; cron may run it too, it is safe to overlap."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            waiting = Interview.objects.awaiting_scorecard().count()
            overdue = Interview.objects.overdue(timezone.now()).count()
            self.stdout.write(f"{waiting} scorecard(s) awaited, {overdue} overdue.")
            return
        sent = reminders.send_due()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s)."))
