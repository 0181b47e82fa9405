"""Run background tasks from the database queue, and the periodic jobs, until stopped."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks import task_backends

from integrations import reminders, webhooks
from integrations.backend import DatabaseBackend, worker_id


class Command(BaseCommand):
    help = (
        "Run queued tasks (webhook deliveries) as they come, and every --tick seconds the "
        "periodic jobs: due reminders, and a sweep for webhook deliveries whose task was lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="default", help="The TASKS alias to run.")
        parser.add_argument("--interval", type=float, default=1.0, help="Idle poll, seconds.")
        parser.add_argument("--tick", type=float, default=60.0, help="Periodic jobs, seconds.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--no-periodic", action="store_true", help="Only queued tasks.")

    def handle(self, *args, backend, interval, tick, batch, no_periodic, **options):
        queue = task_backends[backend]
        if not isinstance(queue, DatabaseBackend):
            raise SystemExit(f"TASKS[{backend!r}] is {type(queue).__name__}, not the database one.")
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        me = worker_id()
        self.stdout.write(f"Worker {me} on queues {sorted(queue.queues)}")
        next_tick = 0.0
        while not self.stopping:
            if not connection.in_atomic_block:  # (a test runs the worker inside one)
                close_old_connections()  # drop connections that died or aged, as requests do
            if time.monotonic() >= next_tick:
                queue.requeue_stale()
                if not no_periodic:
                    self._periodic()
                next_tick = time.monotonic() + tick
            row = queue.claim_next(me)
            if row is not None:
                queue.run(row)
                self.stdout.write(f"{row.task_path} {row.status}")
                continue
            if batch:
                break
            time.sleep(interval)
        self.stdout.write(self.style.SUCCESS("Worker stopped."))

    def _stop(self, signum, frame):
        self.stopping = True

    def _periodic(self) -> None:
        sent = reminders.send_due()
        swept = sum(1 for pk in webhooks.due_ids() if webhooks.attempt(pk) is not None)
        if sent or swept:
            self.stdout.write(f"Sent {sent} reminder(s), swept {swept} delivery(ies).")
