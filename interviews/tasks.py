"""The interviews app's background task, run by django-tasks-db's `manage.py db_worker`."""

from django_tasks import task

from interviews import printouts


@task()
def render_printout(printout_id: int) -> str:
    """Idempotent: a printout already made, or erased, is left alone."""
    return printouts.render(printout_id)
