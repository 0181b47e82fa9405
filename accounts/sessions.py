"""Django's database sessions, read with one plain SQL statement.

Every request of a logged-in user reads its session before anything else. Through the ORM that read
builds the same SELECT each time. Measured again for issue 11 (bench/auth_reads.py at c09a95c, 2026-12-01):
this read and the user read of accounts/backends.py together cost 0.18 ms against Django's 0.73
ms, and a logged-in GET /hello/user/ took 0.58 ms against 0.89 ms (a third less), so they stay.
The price: `_get_session_from_db` is private; tests/security/test_sessions.py holds it to
Django's behaviour. Only the read is replaced: creating, saving and deleting sessions, expiry and
`clearsessions` are Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie is not a well-formed key
        if key is not None:
            model = self.model
            connection = connections[router.db_for_read(model)]
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 (the table name is the model's)
                    [key, timezone.now()],
                )
                row = cursor.fetchone()
            if row:
                return model(session_key=key, session_data=row[0])
        self._session_key = None
        return None
