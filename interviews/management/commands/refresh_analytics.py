import time

from django.core.management.base import BaseCommand

from interviews import analytics


class Command(BaseCommand):
    help = (
        "Recompute interviewer calibration, rater agreement and question statistics over every "
        "submitted scorecard, store them for the analytics pages, and update the question flags "
        "the planner reads. Run it from cron (hourly is plenty) or after loading history."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        snapshot = analytics.refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Analytics of {snapshot.scorecards} scorecards ({snapshot.scores} scores) "
                f"computed in {seconds:.1f} s."
            )
        )
