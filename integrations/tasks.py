"""The background tasks (django-tasks), run by django-tasks-db's `manage.py db_worker`.

Each is idempotent: a task run twice does no harm, because the work itself is claimed row by row
(integrations/webhooks.py: claim) or slot by slot (integrations/reminders.py). django-tasks-db
does not rerun a task whose worker died (it stays RUNNING); the work is not lost, because
`manage.py periodic` sweeps the outbox for deliveries that are due or whose claim lapsed.
"""

from django_tasks import default_task_backend, task

from integrations import reminders, webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = webhooks.attempt(delivery_id)
    if delivery is None:
        return "not due"
    if delivery.status == "pending" and default_task_backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    return delivery.status


@task()
def deliver_due_webhooks() -> int:
    """The sweep: every due delivery, whether or not its own task survived."""
    return webhooks.sweep()


@task()
def send_reminders() -> int:
    return reminders.send_due()
