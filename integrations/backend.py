"""A database backend for django-tasks: enqueue writes a row, `manage.py worker` runs it.

django-tasks 0.12 moved its database backend out into the separate `django-tasks-db` package,
which this project does not lock (see README, "Background tasks"). This is the same idea kept
small: rows in integrations.QueuedTask, claimed with a conditional UPDATE (so two workers never
run one task), `run_after` for retries with backoff, priorities, and results readable from any
process. A task whose worker died mid-run is claimed again once its lease lapses, so every task
must be idempotent; ours are (webhook deliveries are claimed per delivery, reminders per slot).
"""

import logging
import os
import socket
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.utils import get_exception_traceback, get_module_path, normalize_json

from integrations.models import QueuedTask, TaskStatus

logger = logging.getLogger(__name__)
# Longer than any of our tasks can take (a webhook attempt is bounded by its timeout).
DEFAULT_LEASE = timedelta(minutes=10)


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_get_result = True
    supports_priority = True

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        row = QueuedTask.objects.create(
            task_path=task.module_path,
            args_kwargs=normalize_json({"args": list(args), "kwargs": dict(kwargs)}),
            queue_name=task.queue_name,
            priority=task.priority,
            run_after=task.run_after,
        )
        return self._result(row, task)

    def get_result(self, result_id: str) -> TaskResult:
        try:
            row = QueuedTask.objects.get(pk=uuid.UUID(str(result_id)))
        except (QueuedTask.DoesNotExist, ValueError):
            raise TaskResultDoesNotExist(result_id) from None
        return self._result(row, import_string(row.task_path))

    def _result(self, row: QueuedTask, task: Task) -> TaskResult:
        errors = [TaskError(exception_class_path="builtins.Exception", traceback=row.error)]
        result = TaskResult(
            task=task.using(backend=self.alias),
            id=str(row.pk),
            status=TaskResultStatus(row.status),
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            last_attempted_at=row.started_at,
            args=row.args_kwargs["args"],
            kwargs=row.args_kwargs["kwargs"],
            backend=self.alias,
            errors=errors if row.error else [],
            worker_ids=[row.worker_id] * row.attempts if row.worker_id else [],
        )
        object.__setattr__(result, "_return_value", row.return_value)
        return result

    # The worker's side ---------------------------------------------------------------------

    def requeue_stale(self, lease: timedelta = DEFAULT_LEASE) -> int:
        """Tasks left RUNNING by a worker that died: ready again (the worker does this on start
        and every tick, not on every poll, so an idle worker does not write)."""
        return QueuedTask.objects.stale(lease).update(status=TaskStatus.READY)

    def claim_next(self, worker_id: str) -> QueuedTask | None:
        """Take the next ready task, or nothing. Safe with several workers: the UPDATE only
        succeeds for the worker whose condition still holds."""
        now = timezone.now()
        for pk in QueuedTask.objects.ready(self.queues, now).values_list("pk", flat=True)[:5]:
            claimed = QueuedTask.objects.filter(pk=pk, status=TaskStatus.READY).update(
                status=TaskStatus.RUNNING, started_at=now, worker_id=worker_id
            )
            if claimed:
                QueuedTask.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
                return QueuedTask.objects.get(pk=pk)
        return None

    def run(self, row: QueuedTask) -> None:
        """Run a claimed task and record how it ended. A failure is recorded, never raised."""
        task = import_string(row.task_path)
        args, kwargs = row.args_kwargs["args"], row.args_kwargs["kwargs"]
        try:
            if task.takes_context:
                value = task.call(TaskContext(task_result=self._result(row, task)), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
        except Exception as e:
            logger.exception("Task %s (%s) failed", row.task_path, row.pk)
            row.status, row.error = TaskStatus.FAILED, get_exception_traceback(e)[-5000:]
            row.error = f"{get_module_path(type(e))}\n{row.error}"
        else:
            row.status, row.return_value = TaskStatus.SUCCESSFUL, normalize_json(value)
        row.finished_at = timezone.now()
        with transaction.atomic():
            row.save(update_fields=["status", "error", "return_value", "finished_at"])


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
