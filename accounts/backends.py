"""The authentication backend: Django's ModelBackend, loading each request's user more cheaply."""

from django.contrib.auth import backends, get_user_model
from django.db import connection


class ModelBackend(backends.ModelBackend):
    """Loads the user of a logged-in request with plain SQL instead of a query built by the ORM.

    Every logged-in request runs get_user(). Building its SELECT through the ORM costs about as
    much as the session read; a raw query costs a third of that and still converts each column as
    the ORM does (bench/auth_reads.py at c09a95c; figures in accounts/sessions.py). Logging in, permissions and everything else are the
    ModelBackend's own.
    """

    def get_user(self, user_id):
        User = get_user_model()
        table = connection.ops.quote_name(User._meta.db_table)
        pk = connection.ops.quote_name(User._meta.pk.column)
        sql = f"SELECT * FROM {table} WHERE {pk} = %s"  # noqa: S608 (names from the model)
        user = next(iter(User._default_manager.raw(sql, [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
