"""The background tasks (django-tasks), run by `manage.py worker`.

Each is idempotent: a task run twice (a worker killed after the work, before recording it) does no
harm, because the work itself is claimed row by row (integrations/webhooks.py: claim) or slot by
slot (integrations/reminders.py).
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
    return sum(1 for pk in webhooks.due_ids() if webhooks.attempt(pk) is not None)


@task()
def send_reminders() -> int:
    return reminders.send_due()
