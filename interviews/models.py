import json
import logging
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import RedisError

from accounts import roles
from interviews.choices import Recommendation
from questionbank.models import Bank, Criterion, Level, Question, QuestionSnapshot

logger = logging.getLogger(__name__)


class Score(models.IntegerChoices):
    """The anchored 4-point scale. Not assessed is a decision, never a low score."""

    NOT_ASSESSED = 0, "Not assessed"
    NO_EVIDENCE = 1, "No evidence"
    PARTIAL = 2, "Partial"
    SOLID = 3, "Solid"
    EXCEPTIONAL = 4, "Exceptional"


SCORE_MEANINGS = {
    Score.NOT_ASSESSED: "Not covered in this interview; says nothing about the candidate.",
    Score.NO_EVIDENCE: "Could not answer, or the answer was wrong.",
    Score.PARTIAL: "Some key points, with gaps or prompting.",
    Score.SOLID: "Covered the key points correctly and unaided.",
    Score.EXCEPTIONAL: "Beyond the expected answer: depth, trade-offs, experience.",
}


class CandidateQuerySet(models.QuerySet):
    def loops_managed_by(self, user) -> "CandidateQuerySet":
        """Candidates whose loop this user may add interviewers to (plan an interview for).

        A hiring manager: every candidate. An interviewer: the candidates they added. Being on a
        candidate's panel is not enough: a panelist who could add themselves or others to the
        loop would open its debrief to anyone. Erased candidates take no new interviews.
        """
        live = self.filter(erased_at__isnull=True)
        if roles.has_role(user, roles.HIRING_MANAGERS):
            return live
        return live.filter(created_by=user) if user.is_authenticated else live.none()


class Candidate(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    external_id = models.CharField(
        "ATS id", max_length=100, blank=True, help_text="The candidate's id in the ATS, if any."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    # For sync over the API: `updated` moves on every save, `version` on every API update, so an
    # ATS that read version n cannot overwrite a change it has not seen (409).
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["updated", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="candidate_unique_ats_id",
                violation_error_message="Another candidate has this ATS id.",
            )
        ]

    def __str__(self):
        return self.name

    def panel_interviews(self, user, loop: list["Interview"]) -> list["Interview"]:
        """The interviews of `loop` (this candidate's) that legitimately put `user` on the panel.

        An interview counts only if `user` is one of its interviewers and it was set up by someone
        who may add interviewers to this loop: a hiring manager, or the interviewer who added the
        candidate; or `user` added the candidate. An interview someone planned for themselves on
        another interviewer's candidate (around the form, or before the rule) counts for nothing.
        """
        mine = [i for i in loop if any(u.pk == user.pk for u in i.interviewers.all())]
        if self.created_by_id is not None and user.pk == self.created_by_id:
            return mine
        legitimate = [i for i in mine if i.created_by_id and i.created_by_id == self.created_by_id]
        others = {i.created_by_id for i in mine if i not in legitimate and i.created_by_id}
        managers = (
            set(
                get_user_model()
                .objects.filter(pk__in=others, groups__name=roles.HIRING_MANAGERS)
                .values_list("pk", flat=True)
            )
            if others
            else set()
        )
        return [i for i in mine if i in legitimate or i.created_by_id in managers]

    def debrief_access(self, user, loop: list["Interview"]) -> str:
        """ "open", "pending" (on the panel, but no scorecard of theirs submitted yet) or "none".

        Hiring managers read every debrief. A panelist reads it once one of their legitimate
        panel interviews (panel_interviews) is submitted: independent scoring, nobody sees the
        others' scores before committing to their own.
        """
        if roles.has_role(user, roles.HIRING_MANAGERS):
            return "open"
        mine = self.panel_interviews(user, loop)
        if not mine:
            return "none"
        return "open" if any(i.status == Status.SUBMITTED for i in mine) else "pending"

    def loop(self) -> list["Interview"]:
        """Every interview of this candidate, oldest first, with their interviewers."""
        return list(
            self.interviews.select_related("bank")
            .prefetch_related("interviewers")
            .order_by("scheduled_for")
        )

    def asked_question_ids(self, exclude_interview=None) -> set[int]:
        """Questions this candidate already had, in any interview of the loop."""
        items = PlannedQuestion.objects.filter(interview__candidate=self, question__isnull=False)
        if exclude_interview is not None:
            items = items.exclude(interview=exclude_interview)
        return set(items.values_list("question_id", flat=True))


class Status(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    SUBMITTED = "submitted", "Submitted"


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InterviewQuerySet":
        """Hiring managers read every interview; interviewers only those they are on."""
        if roles.has_role(user, roles.HIRING_MANAGERS):
            return self
        return self.filter(interviewers=user)

    def editable_by(self, user) -> "InterviewQuerySet":
        return self.filter(interviewers=user)

    def awaiting_scorecard(self) -> "InterviewQuerySet":
        """Ended and not yet submitted: the scorecards that are due (or overdue)."""
        return self.filter(status=Status.COMPLETED, ended_at__isnull=False)

    def overdue(self, now=None) -> "InterviewQuerySet":
        return self.awaiting_scorecard().filter(ended_at__lt=(now or timezone.now()) - due_after())

    def matching(self, *, name: str = "", status: str = "") -> "InterviewQuerySet":
        """The dashboard's search: candidate names containing `name`, in `status` if it is one."""
        found = self.filter(candidate__name__icontains=name) if name else self
        return found.filter(status=status) if status in Status.values else found


def due_after():
    """How long after an interview ends its scorecard is due (settings.SCORECARD_DUE_HOURS)."""
    return timedelta(hours=settings.SCORECARD_DUE_HOURS)


class Interview(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="interviews")
    position = models.CharField("position title", max_length=200)
    target_level = models.PositiveSmallIntegerField(choices=Level.choices)
    bank = models.ForeignKey(Bank, models.PROTECT, related_name="+")
    specialist_areas = models.ManyToManyField(
        Criterion, blank=True, related_name="+", help_text="Specialist criteria to include."
    )
    planned_minutes = models.PositiveSmallIntegerField(default=45)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    scheduled_for = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPCOMING)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    current = models.ForeignKey(
        "PlannedQuestion", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_since = models.DateTimeField(null=True, blank=True)
    screen_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    plan_seed = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    # The interviewer's decision, and the summary frozen when the scorecard was submitted.
    recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, blank=True, default=""
    )
    rationale = models.TextField(blank=True)
    candidate_feedback = models.TextField(
        blank=True,
        help_text="Written for the candidate: the only free text the candidate-safe report shows, "
        "with the notes the interviewer shared.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(null=True, blank=True, help_text="Frozen at submission.")

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for"]
        # The dashboard's orders: newest first, the primary key breaking ties so pages are stable.
        # Candidate names also have a trigram index on PostgreSQL for the search (migration 0005).
        indexes = [
            models.Index(fields=["status", "-scheduled_for"]),
            models.Index(fields=["-scheduled_for", "-id"]),
            # The analytics pages count the scorecards submitted since their snapshot.
            models.Index(fields=["submitted_at"], name="interview_submitted_at_idx"),
            # The scorecards awaiting submission (the dashboard's "due" list, the overdue count),
            # in the order the dashboard lists them: only those rows, so it stays small.
            models.Index(
                fields=["ended_at", "id"],
                condition=Q(status="completed", ended_at__isnull=False),
                name="interview_awaiting_idx",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} – {self.position} ({self.get_target_level_display()})"

    def get_absolute_url(self):
        return reverse("interviews:live", args=[self.code])

    @property
    def is_open(self) -> bool:
        """Scores and notes can change until the scorecard is submitted."""
        return self.status != Status.SUBMITTED

    @property
    def is_running(self) -> bool:
        return self.status == Status.IN_PROGRESS

    def progress(self) -> dict:
        """{"scored": n, "planned": m} in one query."""
        return self.items.aggregate(
            planned=Count("id"), scored=Count("id", filter=Q(score__isnull=False))
        )

    def start(self) -> None:
        """Start the clock; the first question becomes current for the candidate screen."""
        if self.status != Status.UPCOMING:
            return
        now = timezone.now()
        self.status, self.started_at = Status.IN_PROGRESS, now
        if self.current_id is None:
            self.current = self.items.order_by("position").first()
        self.current_since = now
        self.save(update_fields=["status", "started_at", "current", "current_since"])

    def end(self) -> None:
        """Record the end time. Ending kills the candidate-screen link; scoring stays open."""
        if self.status not in (Status.UPCOMING, Status.IN_PROGRESS):
            return
        self.leave_current()
        self.status, self.ended_at, self.screen_token = Status.COMPLETED, timezone.now(), None
        self.save(update_fields=["status", "ended_at", "screen_token", "current_since"])

    def leave_current(self) -> None:
        """Add the time spent on the current question to its total."""
        if self.current_id and self.current_since and self.is_running:
            spent = int((timezone.now() - self.current_since).total_seconds())
            PlannedQuestion.objects.filter(pk=self.current_id).update(
                seconds_spent=F("seconds_spent") + max(spent, 0)
            )
        self.current_since = timezone.now() if self.is_running else None

    def plan(self) -> list["PlannedQuestion"]:
        """The plan's items in order (`items.order_by("position")`), read with raw SQL: the live
        view reads them on every load, and building the ORM's query cost as much as running it
        (bench/dashboard.py)."""
        table = connections[PlannedQuestion.objects.db].ops.quote_name(
            PlannedQuestion._meta.db_table
        )
        sql = f"SELECT * FROM {table} WHERE interview_id = %s ORDER BY position"  # noqa: S608 (the model's table)
        items = list(PlannedQuestion.objects.raw(sql, [self.pk]))
        for item in items:
            item.interview = self  # as the related manager would set it
        return items

    def current_in(self, items: list["PlannedQuestion"]) -> "PlannedQuestion | None":
        """The current question among the plan's `items`; the first one before the start."""
        return next((i for i in items if i.pk == self.current_id), items[0] if items else None)

    def move_to(self, item: "PlannedQuestion") -> None:
        if item.pk == self.current_id:
            return
        self.leave_current()
        self.current = item
        self.save(update_fields=["current", "current_since"])

    def open_screen(self) -> str:
        """A new candidate-screen link; any previous link stops working."""
        self.screen_token = secrets.token_urlsafe(32)
        self.save(update_fields=["screen_token"])
        return self.screen_token

    def revoke_screen(self) -> None:
        self.screen_token = None
        self.save(update_fields=["screen_token"])

    @property
    def scorecard_due_at(self):
        return self.ended_at + due_after() if self.ended_at else None

    def elapsed_seconds(self) -> int:
        if not self.started_at:
            return 0
        end = self.ended_at or timezone.now()
        return int((end - self.started_at).total_seconds())


class PlannedQuestionQuerySet(models.QuerySet):
    def for_autosave(self, *, interview_code, item_code, user) -> "PlannedQuestion | None":
        """The item `user` types notes into, if they are on its interview, in one plain SQL read.

        Autosave is the app's most frequent request (every few seconds while an interviewer
        types). Building this read through the ORM (select_related, only(), the interviewers join)
        cost more than a third of the request's CPU, as much as the session and user reads; the
        same SELECT written out costs a tenth of that (bench/dashboard.py, README "Performance").
        It loads what the autosave checks and answers with: the item's score, notes and version,
        its interview's status and the candidate's erasure. Every other column is deferred, so
        whatever else touches these objects loads it on demand, as with only().
        """
        connection = connections[self.db]
        q = connection.ops.quote_name
        item_code_db = PlannedQuestion._meta.get_field("code").get_db_prep_value(
            item_code, connection
        )
        interview_code_db = Interview._meta.get_field("code").get_db_prep_value(
            interview_code, connection
        )
        sql = (
            "SELECT q.id, q.interview_id, q.score, q.notes, q.notes_version,"  # noqa: S608 (table names from the models)
            " i.candidate_id, i.status, c.erased_at"
            f" FROM {q(PlannedQuestion._meta.db_table)} q"
            f" JOIN {q(Interview._meta.db_table)} i ON i.id = q.interview_id"
            f" JOIN {q(Candidate._meta.db_table)} c ON c.id = i.candidate_id"
            f" JOIN {q(Interview.interviewers.through._meta.db_table)} m ON m.interview_id = i.id"
            " WHERE q.code = %s AND i.code = %s AND m.user_id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [item_code_db, interview_code_db, user.pk])
            row = cursor.fetchone()
        if row is None:
            return None
        pk, interview_id, score, notes, version, candidate_id, status, erased_at = row
        erased_field = Candidate._meta.get_field("erased_at")
        erased_at = _converted(erased_field, erased_at, connection)
        candidate = Candidate.from_db(self.db, ["id", "erased_at"], [candidate_id, erased_at])
        interview = Interview.from_db(
            self.db,
            ["id", "code", "candidate_id", "status"],
            [
                interview_id,
                Interview._meta.get_field("code").to_python(interview_code),
                candidate_id,
                status,
            ],
        )
        interview.candidate = candidate
        item = PlannedQuestion.from_db(
            self.db,
            ["id", "code", "interview_id", "score", "notes", "notes_version"],
            [
                pk,
                PlannedQuestion._meta.get_field("code").to_python(item_code),
                interview_id,
                score,
                notes,
                version,
            ],
        )
        item.interview = interview
        return item

    def save_running_notes(
        self, *, interview_code, item_code, user, text: str, base_version: int
    ) -> "PlannedQuestion | None":
        """The autosave of a running interview in one statement, or None if it saved nothing.

        What for_autosave reads and save_notes writes, as one UPDATE: the item's notes change
        only if `user` is on its interview, the interview is in progress, the candidate is not
        erased, nobody saved since `base_version`, and the text is new. Anything else (not theirs,
        not running, a conflict, text already saved) saves nothing and returns None, and the
        caller takes the read-then-save path, which tells those apart. The interview comes back
        with its id, code, candidate and status; its other fields load on demand.
        """
        connection = connections[self.db]
        if not connection.features.can_return_columns_from_insert:  # RETURNING: SQLite < 3.35
            return None
        q, table = connection.ops.quote_name, PlannedQuestion._meta.db_table
        now = timezone.now()
        values = [
            text,
            PlannedQuestion._meta.get_field("updated").get_db_prep_value(now, connection),
            PlannedQuestion._meta.get_field("code").get_db_prep_value(item_code, connection),
            Interview._meta.get_field("code").get_db_prep_value(interview_code, connection),
            Status.IN_PROGRESS,
            user.pk,
            base_version,
            text,
        ]
        # The updated table is not aliased: SQLite's RETURNING names only the table itself.
        sql = (
            f"UPDATE {q(table)} SET notes = %s, notes_version = notes_version + 1, updated = %s"  # noqa: S608 (table names from the models)
            f" FROM {q(Interview._meta.db_table)} i, {q(Candidate._meta.db_table)} c,"
            f" {q(Interview.interviewers.through._meta.db_table)} m"
            f" WHERE {q(table)}.code = %s AND {q(table)}.interview_id = i.id AND i.code = %s"
            " AND i.status = %s AND c.id = i.candidate_id AND c.erased_at IS NULL"
            " AND m.interview_id = i.id AND m.user_id = %s"
            f" AND {q(table)}.notes_version = %s AND {q(table)}.notes <> %s"
            f" RETURNING {q(table)}.id, {q(table)}.interview_id, {q(table)}.score,"
            f" {q(table)}.notes_version,"
            # The audit row names the candidate (AuditEvent.record): without this, its first
            # autosave in a worker read the interview's candidate_id, then the candidate.
            f" (SELECT i2.candidate_id FROM {q(Interview._meta.db_table)} i2"
            f" WHERE i2.id = {q(table)}.interview_id)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is None:
            return None
        pk, interview_id, score, version, candidate_id = row
        code = Interview._meta.get_field("code").to_python(interview_code)
        interview = Interview.from_db(
            self.db,
            ["id", "code", "candidate_id", "status"],
            [interview_id, code, candidate_id, Status.IN_PROGRESS],
        )
        item = PlannedQuestion.from_db(
            self.db,
            ["id", "code", "interview_id", "score", "notes", "notes_version", "updated"],
            [
                pk,
                PlannedQuestion._meta.get_field("code").to_python(item_code),
                interview_id,
                score,
                text,
                version,
                now,
            ],
        )
        item.interview = interview
        return item


def _converted(field, value, connection):
    """A value read with plain SQL, converted as the ORM converts that field's column."""
    column = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


class PlannedQuestion(models.Model):
    """One question of an interview's plan, pinned as it was when planned, with its scoring."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interview = models.ForeignKey(Interview, models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="planned"
    )
    position = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(help_text="The question as it was when planned.")
    score = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    hint_given = models.BooleanField(default=False)
    covered_points = models.JSONField(default=list, help_text="Indexes of ticked key points.")
    notes = models.TextField(blank=True)
    notes_version = models.PositiveIntegerField(default=0)
    notes_shared = models.BooleanField(
        "notes shared with the candidate",
        default=False,
        help_text="Interview notes are written for colleagues: only notes marked here go to the "
        "candidate-safe report.",
    )
    seconds_spent = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    objects = PlannedQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["interview", "position"]
        indexes = [models.Index(fields=["question"])]

    def __str__(self):
        return f"{self.snapshot.get('number', '?')} in {self.interview_id}"

    @property
    def pinned(self) -> QuestionSnapshot:
        return QuestionSnapshot.from_dict(self.snapshot)

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def needs_evidence(self) -> bool:
        """A score at either end of the scale must be backed by a note."""
        return self.score in (Score.NO_EVIDENCE, Score.EXCEPTIONAL) and not self.notes.strip()

    def save_notes(self, text: str, base_version: int) -> bool:
        """Save notes only if nobody saved since `base_version` (compare-and-swap, no lost update).

        One UPDATE in plain SQL: autosave runs it every few seconds per interviewer, and building it
        through the ORM cost several times its execution (see PlannedQuestionQuerySet.for_autosave).
        """
        now = timezone.now()
        connection = connections[PlannedQuestion.objects.db]
        q = connection.ops.quote_name
        updated = PlannedQuestion._meta.get_field("updated").get_db_prep_value(now, connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {q(PlannedQuestion._meta.db_table)} SET notes = %s, notes_version = %s,"  # noqa: S608 (the table name is the model's)
                " updated = %s WHERE id = %s AND notes_version = %s",
                [text, base_version + 1, updated, self.pk, base_version],
            )
            saved = cursor.rowcount
        if saved:
            self.notes, self.notes_version, self.updated = text, base_version + 1, now
        else:
            self.refresh_from_db(fields=["notes", "notes_version", "updated"])
        return bool(saved)

    def set_point(self, index: int, covered: bool) -> None:
        """Tick or untick one key point; locked, so two tabs ticking different points both count."""
        with transaction.atomic():
            locked = PlannedQuestion.objects.select_for_update().get(pk=self.pk)
            points = set(locked.covered_points)
            (points.add if covered else points.discard)(index)
            locked.covered_points = sorted(points)
            locked.save(update_fields=["covered_points", "updated"])
        self.covered_points = locked.covered_points


class Reopening(models.Model):
    """A submitted scorecard opened again: who, when, why, and the summary it had."""

    interview = models.ForeignKey(Interview, models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    previous_summary = models.JSONField(null=True)
    previous_recommendation = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"Reopened {self.at:%Y-%m-%d %H:%M}"


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    EXPORTED = "exported", "Exported"
    CHANGED = "changed", "Changed"
    SUBMITTED = "submitted", "Submitted"
    REOPENED = "reopened", "Reopened"
    ERASED = "erased", "Erased"


ERASED_TEXT = "(erased)"


class AuditEventQuerySet(models.QuerySet):
    def matching(self, *, candidate: str = "", actor: str = "", action: str = ""):
        """Events about candidates whose name contains `candidate` (or whose code it is), by the
        user named `actor`, of kind `action`; an empty value does not filter."""
        events = self
        if candidate:
            try:
                events = events.filter(candidate_code=uuid.UUID(candidate))
            except ValueError:
                codes = Candidate.objects.filter(name__icontains=candidate).values("code")
                events = events.filter(candidate_code__in=codes)
        if actor:
            events = events.filter(actor_name=actor)
        if action:
            events = events.filter(action=action)
        return events

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def erase_free_text(self) -> int:
        """The one change the log allows: erasing a candidate blanks the free text that rows
        about them quote (reopen reasons, notes and rationales before and after an edit).
        Who did what, and when, stays."""
        rows = self.filter(has_free_text=True).exclude(detail=ERASED_TEXT)
        return models.QuerySet.update(rows, detail=ERASED_TEXT)


class AuditEvent(models.Model):
    """Who viewed, exported, changed, reopened or erased a scorecard or candidate, and when.

    Append-only from the app: rows are created, never updated or deleted (the model refuses, and
    the admin is read-only). The summary never holds a candidate's name, so erasure can keep it.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=20)
    object_id = models.CharField(max_length=64, db_index=True)
    candidate_code = models.UUIDField(null=True, blank=True, db_index=True)
    detail = models.TextField(blank=True)
    has_free_text = models.BooleanField(
        default=False, help_text="The detail quotes what someone typed; erasure blanks it."
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    @staticmethod
    def describe(events: list["AuditEvent"]) -> list["AuditEvent"]:
        """Give each event the candidate's name and what it was about, in words with a link.

        Two queries for any number of events. The log stores codes only, so an erased candidate's
        entries read "an erased candidate" once the name is gone.
        """
        candidates = {
            c.code: c for c in Candidate.objects.filter(code__in={e.candidate_code for e in events})
        }
        interview_codes = {e.object_id for e in events if e.object_type == "interview"}
        interviews = {
            str(i.code): i
            for i in Interview.objects.filter(code__in=interview_codes).only("code", "position")
        }
        for event in events:
            candidate = candidates.get(event.candidate_code)
            event.candidate_name = (
                candidate.name if candidate and not candidate.erased_at else "an erased candidate"
            )
            interview = interviews.get(event.object_id)
            if interview:
                event.subject = f"Interview of {event.candidate_name} ({interview.position})"
                event.subject_url = reverse("interviews:summary", args=[interview.code])
            elif event.object_type == "candidate" and candidate and not candidate.erased_at:
                event.subject = f"Candidate {event.candidate_name}"
                event.subject_url = reverse("interviews:debrief", args=[candidate.code])
            elif event.candidate_code is None:  # an API call about no one candidate (a list)
                event.subject, event.subject_url = "API", ""
            else:
                event.subject = f"{event.object_type.capitalize()} of {event.candidate_name}"
                event.subject_url = ""
        return events

    @classmethod
    def record_change(cls, actor, interview, window_minutes: int = 10) -> None:
        """Record that someone changed a scorecard, once per person and interview per window.

        Autosave writes every few seconds; the log needs the who and when, not each keystroke.
        The window is kept in the cache, so the hot path pays no query; a cache per process (no
        REDIS_URL), or a shared one that does not answer, only means a few more rows, never a
        missing one.
        """
        key = f"audit-changed:{actor.pk}:{interview.pk}"
        try:
            first = cache.add(key, True, timeout=window_minutes * 60)
        except RedisError as error:
            logger.warning("The cache did not answer (%s); the change is recorded.", error)
            first = True
        if first:
            cls.record(actor, AuditAction.CHANGED, interview)

    @classmethod
    def record_edit(
        cls,
        actor,
        interview,
        what: "str | Callable[[], str]",
        before=None,
        after=None,
        *,
        free_text: bool = False,
    ) -> None:
        """Record a change to a scorecard.

        While the interview is upcoming or running, autosave writes every few seconds and the
        log keeps only who and when (record_change, throttled). Once it has ended (completed, or
        reopened after a submission) every change is recorded with its before and after values,
        so a reopen-edit-resubmit shows exactly what changed. A change to the same value is none.
        `what` may be a function, so the hot path never builds a label it does not record.
        """
        if interview.status in (Status.UPCOMING, Status.IN_PROGRESS):
            cls.record_change(actor, interview)
            return
        what = what() if callable(what) else what
        if before is None and after is None:
            detail = what
        elif before == after:
            return
        else:
            detail = f"{what}: {_shown(before)} → {_shown(after)}"
        cls.record(actor, AuditAction.CHANGED, interview, detail, free_text=free_text)

    @classmethod
    def record(
        cls, actor, action: str, obj, detail: str = "", *, free_text: bool = False
    ) -> "AuditEvent":
        candidate = obj if isinstance(obj, Candidate) else getattr(obj, "candidate", None)
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=getattr(actor, "username", "") or "system",
            action=action,
            object_type=type(obj).__name__.lower(),
            object_id=str(obj.code),
            candidate_code=candidate.code if candidate else None,
            detail=detail,
            has_free_text=free_text,
        )


def _shown(value) -> str:
    """A value as the audit detail quotes it: text in quotes, so "" and a space are visible."""
    if value is None or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AnalyticsSnapshotQuerySet(models.QuerySet):
    def latest_one(self) -> "AnalyticsSnapshot | None":
        return self.order_by("-computed_at", "-pk").first()


class AnalyticsSnapshot(models.Model):
    """Calibration, agreement and question statistics as computed over every submitted scorecard.

    Fitting the models reads every score, which takes seconds at tens of thousands of
    interviews, so the analytics pages read the latest snapshot (one query) and
    `manage.py refresh_analytics` writes a new one (cron, or by hand; the synthetic-history
    command runs it too). The pages say how old it is and how many scorecards came in since.
    """

    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    scorecards = models.PositiveIntegerField(default=0)
    scores = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(
        default=False, help_text="Synthetic history (seed_analytics_demo) is part of these figures."
    )
    payload = models.JSONField(default=dict)

    objects = AnalyticsSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self):
        return f"Analytics of {self.scorecards} scorecards, {self.computed_at:%Y-%m-%d %H:%M}"


class PrintoutQuerySet(models.QuerySet):
    def expired(self) -> "PrintoutQuerySet":
        return self.filter(created__lt=timezone.now() - Printout.KEPT_FOR)

    def pending(self) -> "PrintoutQuerySet":
        """Queued, not made, not failed, not yet quiet."""
        since = timezone.now() - Printout.QUIET_AFTER
        return self.filter(pdf=None, failed=False, queued__gte=since)


class Printout(models.Model):
    """A report or debrief as a PDF, made by the task worker (interviews/printouts.py).

    WeasyPrint takes about half a second of CPU per PDF, more for a long plan: too long for a
    request, and five such requests would hold every gunicorn worker. One row per person and
    page content (`digest`), so asking again for an unchanged page costs one lookup, and a page
    that changed is never answered with an old PDF. Rows go after KEPT_FOR (`manage.py
    periodic`), with their candidate (erasure deletes them) and with the person who asked.
    """

    KEPT_FOR = timedelta(hours=1)
    # The waiting page says the wait is longer than usual after this.
    SLOW_AFTER = timedelta(seconds=20)
    # A render not done by then is taken to be lost (a worker stopped mid-way) and queued again.
    QUIET_AFTER = timedelta(minutes=2)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, help_text="Of who asked and the HTML.")
    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    path = models.CharField(max_length=200, help_text="The URL that serves the PDF once made.")
    html = models.TextField(help_text="What WeasyPrint renders; emptied once the PDF is made.")
    base_url = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    queued = models.DateTimeField(default=timezone.now)
    pdf = models.BinaryField(null=True, editable=False)
    failed = models.BooleanField(default=False)

    objects = PrintoutQuerySet.as_manager()

    def __str__(self):
        return f"PDF {self.code} ({self.state})"

    @property
    def ready(self) -> bool:
        return self.pdf is not None

    @property
    def quiet(self) -> bool:
        """Queued, not made, not failed, and nothing heard for QUIET_AFTER."""
        waited = timezone.now() - self.queued
        return not self.ready and not self.failed and waited > self.QUIET_AFTER

    @property
    def state(self) -> str:
        """What the waiting page says: made, failed, slow (waited long enough to say so) or
        queued."""
        if self.ready:
            return "made"
        if self.failed:
            return "failed"
        return "slow" if timezone.now() - self.queued > self.SLOW_AFTER else "queued"
