"""The dashboard's reads, each one plain SQL statement: the interviews a user may read (counted,
and a page of them with their progress), and the scorecards they owe.

Through the ORM these reads cost more CPU than the rest of the dashboard together: compiling
the count, the page, the progress and the due list took about 6 ms a request, running them well
under one (bench/dashboard.py, README "Performance"). The rules are the ORM's, written out once
more: InterviewQuerySet.visible_to, matching and editable_by().awaiting_scorecard(), with the very
SQL Django writes for `candidate__name__icontains`. tests/interviews/test_listing.py holds each
read to the same rows as its ORM twin, on both databases.
"""

from django.db import connections
from django.utils import timezone

from interviews.models import Candidate, Interview, PlannedQuestion, Status, due_after

_COLUMNS = ["id", "code", "candidate_id", "position", "target_level", "scheduled_for", "status"]


class InterviewList:
    """What Paginator reads: count() and slices of the interviews `user` may read, newest first.

    `everyone` is whether the user reads every interview (a hiring manager); otherwise only those
    they are on. `name` and `status` are the search (InterviewQuerySet.matching). Each interview
    of a slice has its candidate (id and name), planned_count and scored_count.
    """

    def __init__(self, *, user, everyone: bool, name: str = "", status: str = ""):
        self.connection = connections[Interview.objects.db]
        q, self.params = self.connection.ops.quote_name, []
        self.source = f"{q(Interview._meta.db_table)} i"
        where = []
        if not everyone:
            self.source += f" JOIN {q(Interview.interviewers.through._meta.db_table)} m"
            self.source += " ON m.interview_id = i.id AND m.user_id = %s"
            self.params.append(user.pk)
        if name:
            self.source += f" JOIN {q(Candidate._meta.db_table)} c0 ON c0.id = i.candidate_id"
            name_sql = self.connection.ops.lookup_cast("icontains", "CharField") % "c0.name"
            where.append(f"{name_sql} {self.connection.operators['icontains']}")
            self.params.append(f"%{self.connection.ops.prep_for_like_query(name)}%")
        if status in Status.values:
            where.append("i.status = %s")
            self.params.append(status)
        self.where = f" WHERE {' AND '.join(where)}" if where else ""
        # Unsearched, the interviews one is on are counted on the link table alone: each of its
        # rows is one interview (a foreign key), so joining the interviews adds nothing but a
        # probe per row (205 of them for a volume interviewer).
        self.links = not everyone and not name and status not in Status.values

    def count(self) -> int:
        if self.links:
            through = self.connection.ops.quote_name(Interview.interviewers.through._meta.db_table)
            sql = f"SELECT COUNT(*) FROM {through} WHERE user_id = %s"  # noqa: S608 (model names)
        else:
            sql = f"SELECT COUNT(*) FROM {self.source}{self.where}"  # noqa: S608 (model names)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[Interview]:
        """Only slices, as Paginator asks: the page is chosen first, then its candidates and
        progress are read for its rows alone."""
        q, start, stop = self.connection.ops.quote_name, page.start or 0, page.stop
        items = q(PlannedQuestion._meta.db_table)
        columns = ", ".join(f"i.{q(c)}" for c in _COLUMNS)
        sql = (
            f"SELECT {', '.join(f'p.{q(c)}' for c in _COLUMNS)}, c.name AS candidate_name,"  # noqa: S608 (names from the models)
            f" (SELECT COUNT(*) FROM {items} pq WHERE pq.interview_id = p.id) AS planned_count,"
            f" (SELECT COUNT(pq.score) FROM {items} pq WHERE pq.interview_id = p.id)"
            " AS scored_count"
            f" FROM (SELECT {columns} FROM {self.source}{self.where}"
            # Numbers in the text, as the ORM writes them: a prepared statement's generic plan
            # cannot see a parameter's LIMIT, and may sort every row for 25 of them.
            f" ORDER BY i.scheduled_for DESC, i.id DESC LIMIT {int(stop - start)} OFFSET {int(start)}) p"
            f" JOIN {q(Candidate._meta.db_table)} c ON c.id = p.candidate_id"
            " ORDER BY p.scheduled_for DESC, p.id DESC"
        )
        extra = ["planned_count", "scored_count"]
        return _interviews(self.connection, sql, self.params, _COLUMNS, extra)


def awaiting_scorecard(user, *, limit: int) -> list[Interview]:
    """The first `limit` interviews `user` is on that ended and await a scorecard, in the order
    they fell due (Interview.objects.editable_by(user).awaiting_scorecard()), each with its
    candidate (id and name)."""
    connection = connections[Interview.objects.db]
    q = connection.ops.quote_name
    columns = ["id", "code", "candidate_id", "position", "ended_at"]
    sql = (
        f"SELECT {', '.join(f'p.{q(c)}' for c in columns)}, c.name AS candidate_name FROM"  # noqa: S608 (names from the models)
        f" (SELECT {', '.join(f'i.{q(c)}' for c in columns)} FROM {q(Interview._meta.db_table)} i"
        f" JOIN {q(Interview.interviewers.through._meta.db_table)} m"
        " ON m.interview_id = i.id AND m.user_id = %s"
        f" WHERE i.status = %s AND i.ended_at IS NOT NULL ORDER BY i.ended_at, i.id LIMIT {int(limit)}) p"
        f" JOIN {q(Candidate._meta.db_table)} c ON c.id = p.candidate_id"
        " ORDER BY p.ended_at, p.id"
    )
    return _interviews(connection, sql, [user.pk, Status.COMPLETED], columns)


def overdue_count() -> int:
    """How many interviews are overdue a scorecard (Interview.objects.overdue().count())."""
    connection = connections[Interview.objects.db]
    q = connection.ops.quote_name
    sql = (
        f"SELECT COUNT(*) FROM {q(Interview._meta.db_table)}"  # noqa: S608 (names from the models)
        " WHERE status = %s AND ended_at IS NOT NULL AND ended_at < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.COMPLETED, timezone.now() - due_after()])
        return cursor.fetchone()[0]


def _interviews(connection, sql: str, params, columns: list[str], extra=()) -> list[Interview]:
    """Interviews from rows of `columns` (Interview fields), the candidate's name, then `extra`
    values set by name. Made as Interview.objects.raw() makes them (from_db, with the fields'
    database converters: SQLite returns dates and UUIDs as text) at half its cost: raw() spent
    more on itself than the query took."""
    fields = [Interview._meta.get_field(name) for name in columns]
    cols = [field.get_col(Interview._meta.db_table) for field in fields]
    converters = [
        (i, col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        for i, col in enumerate(cols)
    ]
    converters = [(i, col, fns) for i, col, fns in converters if fns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    interviews, width = [], len(columns)
    for row in rows:
        values = list(row[:width])
        for i, col, fns in converters:
            for convert in fns:
                values[i] = convert(values[i], col, connection)
        interview = Interview.from_db(connection.alias, columns, values)
        interview.candidate = Candidate.from_db(
            connection.alias, ["id", "name"], [interview.candidate_id, row[width]]
        )
        for name, value in zip(extra, row[width + 1 :], strict=True):
            setattr(interview, name, value)
        interviews.append(interview)
    return interviews
