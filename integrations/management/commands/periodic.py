"""The periodic jobs, every --tick seconds until stopped: due reminders, the webhook sweep, and
the PDFs past the hour they are kept (interviews.models.Printout).

django-tasks has no scheduler, and django-tasks-db's `db_worker` only runs what was enqueued, so
this runs beside it (`make run` starts both; `compose.yaml` has a service for each). The sweep is
what makes the outbox the source of truth: a delivery whose task was never enqueued, or whose
worker died mid-task (django-tasks-db leaves that task RUNNING and never runs it again), is found
here once it is due or its claim has lapsed, and attempted; `webhooks.claim` makes sure no two
senders ever hold one delivery, so nothing is sent twice.
"""

import signal
import sys
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from integrations import reminders, webhooks
from interviews.models import Printout


def run_once() -> tuple[int, int]:
    """(reminders sent, deliveries attempted by the sweep); expired PDFs are deleted too."""
    Printout.objects.expired().delete()
    return reminders.send_due(), webhooks.sweep()


class Command(BaseCommand):
    help = (
        "Every --tick seconds, email the due scorecard reminders, attempt the webhook "
        "deliveries that are due or whose task died, and delete the PDFs kept over an hour. "
        "Run it beside `manage.py db_worker`; "
        "safe to run twice or from cron with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=60.0, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run the jobs once, then exit.")

    def handle(self, *args, tick, once, **options):
        if once:
            self._run()
            return
        self.busy = self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"Periodic jobs every {tick:g} s.")
        while not self.stopping:
            close_old_connections()  # drop connections that died or aged, as requests do
            self.busy = True
            self._run()
            self.busy = False
            if not self.stopping:
                time.sleep(tick)

    def _run(self) -> None:
        sent, swept = run_once()
        if sent or swept:
            self.stdout.write(f"Sent {sent} reminder(s), swept {swept} delivery(ies).")

    def _stop(self, signum, frame):
        """Between runs, stop at once; during one, after it (a reminder is never half-sent)."""
        self.stopping = True
        if not self.busy:
            sys.exit(0)
