"""Workflows that touch several models, each in one transaction where it writes.

- Planning: the bank as planner data (`planner_questions`, `timings`, `plan_request`), a new
  interview with its automatic plan (`create_interview`), a preview for editors (`preview_plan`),
  what the plan page says about a plan (`plan_review`), and editing it (`add_question`,
  `remove_item`, `move_item`, `swap_item`, `swap_options`).
- Running it: the adaptive next question (`suggest_next`, `minutes_left`,
  `insert_after_current`) and ending it (`end_interview`).
- The scorecard: the summary, live or frozen (`summary_for`, `summary_or_none`, `rubric_for`,
  `answers_for`), what stops a submission (`submission_problems`), submitting and reopening
  (`submit_scorecard`, `reopen_scorecard`).
- Privacy: a candidate's data export (`candidate_export`), erasure (`erase_candidate`) and who is
  due for it (`candidates_to_purge`).

Arguments are keyword-only, so a call says what each model is for (`move_item(item=...,
offset=-1)`). The pure helpers of one obvious argument stay positional: `where(item)` names a
planned question, `answers_for(items)` turns items into summary answers. The rules themselves are
pure functions elsewhere (planner, estimate, summary); these functions are their ORM adapters.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from integrations import events
from interviews import analytics, estimate, planner, reports, summary
from interviews.models import (
    AuditAction,
    AuditEvent,
    Candidate,
    Interview,
    PlannedQuestion,
    Printout,
    Recommendation,
    Reopening,
    Status,
)
from questionbank import timing
from questionbank.levels import Level
from questionbank.models import Bank, Criterion, Question, QuestionSnapshot


@dataclass(frozen=True)
class Timing:
    """How often a question was asked and how long it took where it was timed."""

    asked: int
    measured: int | None  # the median measured minutes, once timed in MIN_TIMED interviews
    timed: int


def timings(*, questions: Iterable[Question]) -> dict[int, Timing]:
    """Per question: times asked (exposure) and the measured median, in one query."""
    seconds: dict[int, list[int]] = {}
    for question_id, spent in PlannedQuestion.objects.filter(
        question__in=[q.pk for q in questions]
    ).values_list("question", "seconds_spent"):
        seconds.setdefault(question_id, []).append(spent)
    return {
        qid: Timing(
            asked=len(values),
            measured=timing.measured_minutes(values),
            timed=sum(1 for v in values if v > 0),
        )
        for qid, values in seconds.items()
    }


NO_TIMING = Timing(asked=0, measured=None, timed=0)


def planner_questions(*, bank: Bank, questions: Iterable[Question] | None = None) -> list:
    """The bank's questions as plain planner data: exposure, and measured minutes when known.

    By default the questions in use (never retired or leaked ones), without those the question
    statistics flagged, as long as the others still cover every criterion; a flagged question
    that is the only one left for a criterion stays, so flags never make a plan impossible.
    """
    if questions is None:
        in_use = list(
            Question.objects.filter(bank=bank)
            .in_use()
            .select_related("section")
            .prefetch_related("criteria")
        )
        questions = _without_flagged(in_use)
    questions = list(questions)
    known = timings(questions=questions)
    return [
        planner.PlannerQuestion(
            id=q.pk,
            level=q.level,
            minutes=timing.planned_minutes(q.minutes, known.get(q.pk, NO_TIMING).measured),
            criteria=frozenset(c.key for c in q.criteria.all()),
            section=q.section.number,
            times_asked=known.get(q.pk, NO_TIMING).asked,
            prompt=q.prompt,
        )
        for q in questions
    ]


def plan_request(
    *,
    bank: Bank,
    target_level: int,
    minutes: int,
    specialist_areas: Iterable[Criterion] = (),
    already_asked: frozenset[int] = frozenset(),
    seed: int = 0,
) -> planner.PlanRequest:
    target = bank.criteria.filter(rubric_level__level=target_level).order_by(
        "rubric_level__position", "position"
    )
    return planner.PlanRequest(
        target_level=target_level,
        minutes=minutes,
        target_criteria=tuple(c.key for c in target),
        specialist_criteria=tuple(c.key for c in specialist_areas),
        already_asked=already_asked,
        seed=seed,
        buffer_share=settings.INTERVIEW_PLAN_BUFFER,
    )


def preview_plan(*, bank: Bank, target_level: int, minutes: int, seed: int = 0) -> dict:
    """The plan the app would make for a new candidate, as plain data; nothing is saved.

    For the plan_interview command, so editors can check a bank's plans at every level.
    """
    request = plan_request(bank=bank, target_level=target_level, minutes=minutes, seed=seed)
    plan = planner.make_plan(planner_questions(bank=bank), request)
    questions = _questions_by_id(plan.ids)
    known = timings(questions=questions.values())
    names = dict(bank.criteria.values_list("key", "name"))
    return {
        "bank": bank.slug,
        "level": Level(target_level).label,
        "duration": plan.duration,
        "planned_minutes": plan.planned_minutes,
        "buffer_minutes": plan.buffer_minutes,
        "target_minutes": plan.target_minutes,
        "seed": seed,
        "questions": [
            {
                "key": snapshot.key,
                "label": snapshot.label,
                "title": snapshot.title,
                "level": Level(snapshot.level).label,
                "minutes": snapshot.minutes,
                "estimated_minutes": snapshot.estimated_minutes,
                "measured_minutes": snapshot.measured_minutes,
                "prompt": questions[qid].prompt,
                "criteria": [c.key for c in snapshot.criteria],
            }
            for qid in plan.ids
            for snapshot in [QuestionSnapshot.from_dict(_snapshot(questions[qid], known))]
        ],
        "left_out": [
            {
                "criterion": x.criterion,
                "name": names.get(x.criterion, x.criterion),
                "reason": x.reason,
            }
            for x in plan.left_out
        ],
        "rules": planner.rules_in_words(request.buffer_share),
    }


def plan_review(*, interview: Interview, items: list[PlannedQuestion]) -> dict:
    """What the plan page says about a plan as it stands now: the rules, the buffer, the minutes
    at the target level and the target criteria left out, with the reason for each."""
    request = plan_request(
        bank=interview.bank,
        target_level=interview.target_level,
        minutes=interview.planned_minutes,
        already_asked=frozenset(
            interview.candidate.asked_question_ids(exclude_interview=interview)
        ),
    )
    questions = planner_questions(bank=interview.bank)
    planned = [item.question_id for item in items if item.question_id is not None]
    left_out = planner.gaps(questions, request, planned)
    names = dict(interview.bank.criteria.values_list("key", "name"))
    minutes = sum(item.snapshot["minutes"] for item in items)
    at_target = sum(
        item.snapshot["minutes"] for item in items if item.snapshot["level"] == request.target_level
    )
    return {
        "rules": planner.rules_in_words(request.buffer_share),
        "buffer_minutes": request.buffer_minutes,
        "budget": request.budget,
        "total_minutes": minutes,
        "target_minutes": at_target,
        "target_share_ok": 2 * at_target >= minutes,
        "over_budget": minutes > request.budget,
        "unplanned": max(0, request.budget - minutes),
        "left_out": [(names.get(x.criterion, x.criterion), x.reason) for x in left_out],
    }


@dataclass(frozen=True)
class NewCandidate:
    """A candidate to create with the interview, in the same transaction."""

    name: str
    email: str = ""
    external_id: str = ""


@transaction.atomic
def create_interview(
    *,
    candidate: Candidate | NewCandidate,
    position: str,
    target_level: int,
    bank: Bank,
    planned_minutes: int,
    interviewers: Iterable,
    created_by,
    specialist_areas: Iterable[Criterion] = (),
    scheduled_for: datetime | None = None,
    seed: int | None = None,
) -> Interview:
    """Create an interview and its automatic plan, pinned so later bank edits never change it.

    A NewCandidate is created here, by `created_by`, so a plan that fails leaves no candidate.
    """
    if isinstance(candidate, NewCandidate):
        candidate = Candidate.objects.create(
            name=candidate.name,
            email=candidate.email,
            external_id=candidate.external_id,
            created_by=created_by,
        )
    interview = Interview(
        candidate=candidate,
        position=position,
        target_level=target_level,
        bank=bank,
        planned_minutes=planned_minutes,
        created_by=created_by,
        plan_seed=seed if seed is not None else random.randrange(2**31),  # noqa: S311
    )
    if scheduled_for:
        interview.scheduled_for = scheduled_for
    interview.save()
    interview.interviewers.set(interviewers)
    specialist_areas = list(specialist_areas)
    interview.specialist_areas.set(specialist_areas)

    request = plan_request(
        bank=bank,
        target_level=target_level,
        minutes=planned_minutes,
        specialist_areas=specialist_areas,
        already_asked=frozenset(candidate.asked_question_ids()),
        seed=interview.plan_seed,
    )
    plan = planner.build_plan(planner_questions(bank=bank), request)
    questions = _questions_by_id(plan)
    known = timings(questions=questions.values())
    PlannedQuestion.objects.bulk_create(
        PlannedQuestion(
            interview=interview,
            question=questions[qid],
            position=index,
            snapshot=_snapshot(questions[qid], known),
        )
        for index, qid in enumerate(plan)
    )
    return interview


def _snapshot(question: Question, known: dict[int, Timing] | None = None) -> dict:
    """The question pinned as it is now, with the minutes a plan counts for it."""
    if known is None:
        known = timings(questions=[question])
    found = known.get(question.pk, NO_TIMING)
    return question.snapshot(measured=found.measured, timed=found.timed).as_dict()


def _without_flagged(questions: list[Question]) -> list[Question]:
    kept = [q for q in questions if not q.flags]
    covered = {c.pk for q in kept for c in q.criteria.all()}
    for question in questions:  # bank order: one flagged question per uncovered criterion
        missing = {c.pk for c in question.criteria.all()} - covered
        if question.flags and missing:
            kept.append(question)
            covered |= missing
    return kept


def _questions_by_id(ids: Iterable[int]) -> dict[int, Question]:
    questions = Question.objects.filter(pk__in=list(ids)).select_related("bank", "section")
    return {q.pk: q for q in questions.prefetch_related("criteria__rubric_level")}


@transaction.atomic
def add_question(*, interview: Interview, question: Question) -> PlannedQuestion:
    """Append a bank question to the plan, pinned as it is now."""
    last = interview.items.aggregate(last=Max("position"))["last"]
    question = _questions_by_id([question.pk])[question.pk]
    return PlannedQuestion.objects.create(
        interview=interview,
        question=question,
        position=0 if last is None else last + 1,
        snapshot=_snapshot(question),
    )


@transaction.atomic
def remove_item(*, item: PlannedQuestion) -> None:
    interview = item.interview
    if interview.current_id == item.pk:
        following = interview.items.exclude(pk=item.pk).filter(position__gt=item.position).first()
        previous = interview.items.exclude(pk=item.pk).filter(position__lt=item.position).last()
        interview.current = following or previous
        interview.save(update_fields=["current"])
    item.delete()
    _renumber(interview)


@transaction.atomic
def move_item(*, item: PlannedQuestion, offset: int) -> None:
    items = list(item.interview.items.select_for_update().order_by("position"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    _save_order(items)


@transaction.atomic
def swap_item(*, item: PlannedQuestion, question: Question) -> PlannedQuestion:
    """Replace a planned question by another, in the same place. Scoring starts afresh."""
    question = _questions_by_id([question.pk])[question.pk]
    item.question = question
    item.snapshot = _snapshot(question)
    item.score, item.hint_given, item.covered_points = None, False, []
    item.save(update_fields=["question", "snapshot", "score", "hint_given", "covered_points"])
    return item


def swap_options(*, item: PlannedQuestion, limit: int = 5) -> list[Question]:
    """Alternatives for a planned question that cover the same criteria."""
    interview = item.interview
    if item.question is None:
        return []
    candidates = planner_questions(bank=interview.bank)
    by_id = {c.id: c for c in candidates}
    exclude = frozenset(
        set(interview.items.exclude(question=None).values_list("question_id", flat=True))
        | interview.candidate.asked_question_ids(exclude_interview=interview)
    )
    # The planned question itself may have been retired since; it still anchors the alternatives.
    current = (
        by_id.get(item.question_id)
        or planner_questions(bank=interview.bank, questions=[item.question])[0]
    )
    ids = planner.alternatives(current, candidates, exclude, limit)
    questions = Question.objects.select_related("section").in_bulk(ids)
    return [questions[i] for i in ids]


# The adaptive next question ----------------------------------------------------------------------


def minutes_left(*, interview: Interview, items: list[PlannedQuestion]) -> int:
    """The interview's time still to use: planned minus elapsed once started, else minus the
    minutes of the questions already scored."""
    if interview.started_at:
        return interview.planned_minutes - interview.elapsed_seconds() // 60
    used = sum(i.snapshot["minutes"] for i in items if i.score is not None)
    return interview.planned_minutes - used


def suggest_next(*, interview: Interview) -> estimate.Suggestion | None:
    """The bank question expected to narrow this scorecard's level estimate most.

    Only this interview's own scores are read (independent scoring: the panel's evidence stays
    out of the room). Never a question the candidate had or has planned anywhere in the loop, and
    never a retired or leaked one.
    """
    items = list(interview.items.order_by("position"))
    evidence = estimate.observations(
        (i.pinned.label, i.snapshot.get("level"), i.score, i.hint_given) for i in items
    )
    asked = interview.candidate.asked_question_ids()
    questions = [
        q
        for q in interview.bank.questions.in_use()
        .select_related("section")
        .prefetch_related("criteria")
        if q.pk not in asked
    ]
    numbers = {q.pk: q.label for q in questions}
    options = [
        estimate.Option(
            id=c.id,
            number=numbers[c.id],
            level=c.level,
            minutes=c.minutes,
            criteria=c.criteria,
            times_asked=c.times_asked,
        )
        for c in planner_questions(bank=interview.bank, questions=questions)
    ]
    planned = {
        c["key"] for i in items if i.score is None or i.score > 0 for c in i.snapshot["criteria"]
    }
    uncovered = dict(
        interview.bank.criteria.filter(rubric_level__level=interview.target_level)
        .exclude(key__in=planned)
        .values_list("key", "name")
    )
    return estimate.next_question(
        evidence,
        options,
        minutes_left=minutes_left(interview=interview, items=items),
        uncovered=uncovered,
    )


@transaction.atomic
def insert_after_current(*, interview: Interview, question: Question) -> PlannedQuestion:
    """Put a question into the plan right after the current one (the first, before the start)."""
    items = list(interview.items.order_by("position"))
    current = interview.current_in(items)
    added = add_question(interview=interview, question=question)
    if current is not None:
        move_item(item=added, offset=items.index(current) + 1 - len(items))
    return added


def _renumber(interview: Interview) -> None:
    _save_order(list(interview.items.order_by("position")))


def _save_order(items: list[PlannedQuestion]) -> None:
    changed = []
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            changed.append(item)
    PlannedQuestion.objects.bulk_update(changed, ["position"])


@transaction.atomic
def end_interview(*, interview: Interview) -> None:
    """End the interview (Interview.end) and tell the integrations, in one transaction."""
    if interview.status in (Status.UPCOMING, Status.IN_PROGRESS):
        interview.end()
        events.interview_ended(interview)


# The summary and the scorecard ---------------------------------------------------------------------


ERASED = "This candidate's data was erased; their interviews are closed and cannot change."


class ScorecardError(ValueError):
    """Submitting or reopening was refused; the messages say what to fix."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def summary_rules() -> summary.Rules:
    return summary.Rules(**settings.INTERVIEW_SUMMARY_RULES)


def rubric_for(*, bank: Bank) -> list[summary.Criterion]:
    criteria = bank.criteria.select_related("rubric_level").order_by(
        "rubric_level__position", "position"
    )
    return [
        summary.Criterion(
            key=c.key, name=c.name, group=c.rubric_level.heading, level=c.rubric_level.level
        )
        for c in criteria
    ]


def answers_for(items: Iterable[PlannedQuestion]) -> list[summary.Answer]:
    return [
        summary.Answer(
            number=item.pinned.label,
            section=item.snapshot["section"],
            criteria=tuple(c["key"] for c in item.snapshot["criteria"]),
            score=item.score,
            notes=item.notes,
            private=not item.notes_shared,
            level=item.snapshot.get("level"),
            hint=item.hint_given,
        )
        for item in items
    ]


class SummaryUnavailable(ValueError):
    """The bank's rubric no longer has the interview's target level: no summary can be made."""


def summary_for(*, interview: Interview, items: list[PlannedQuestion] | None = None, by=None):
    """The frozen summary of a submitted scorecard, or the live one computed from its scores now
    (`by`: who is submitting it, whose measured severity the level estimate may correct for).

    Raises SummaryUnavailable, with a message for the reader, when the bank lost the level.
    """
    if interview.status == Status.SUBMITTED and interview.summary:
        return summary.Summary.from_dict(interview.summary)
    if items is None:
        items = list(interview.items.order_by("position"))
    rubric = rubric_for(bank=interview.bank)
    if not any(c.level == interview.target_level for c in rubric):
        label = Level.label_of(interview.target_level, "its target")
        raise SummaryUnavailable(
            f"This interview targets {label}, but the bank {interview.bank.title!r} has no "
            f"{label} level in its rubric, so there is no summary to show or export. A bank "
            f"editor can restore the {label} level by importing the bank again with it; the "
            "scores and notes are kept."
        )
    return summary.summarise(
        answers_for(items),
        rubric,
        interview.target_level,
        summary_rules(),
        severity=analytics.severity_for(interview, by=by),
    )


def summary_or_none(*, interview: Interview, items: list[PlannedQuestion] | None = None):
    try:
        return summary_for(interview=interview, items=items)
    except SummaryUnavailable:
        return None


def submission_problems(*, interview: Interview, items: list[PlannedQuestion]) -> list[str]:
    problems = []
    unscored = [where(item) for item in items if item.score is None]
    if unscored:
        problems.append(
            f"Score {', '.join(unscored)}, or mark them Not assessed (0): every planned question "
            "needs a decision."
        )
    missing = [where(item) for item in items if item.needs_evidence]
    if missing:
        problems.append(
            f"A score of 1 or 4 needs a note saying what you saw: add notes to {', '.join(missing)}."
        )
    return problems


def where(item: PlannedQuestion) -> str:
    """S6 · Q17: numbers repeat across sections, so name the section too."""
    return item.pinned.label


@transaction.atomic
def submit_scorecard(
    *, interview: Interview, by, recommendation: str, rationale: str, candidate_feedback: str = ""
):
    """Freeze the scorecard: the summary is stored as computed, with the rules version used,
    so a report reads the same later whatever happens to the bank or the thresholds."""
    interview = (
        Interview.objects.select_for_update(of=("self",))  # the candidate row is only read
        .select_related("candidate")
        .get(pk=interview.pk)
    )
    if interview.candidate.erased_at:
        raise ScorecardError([ERASED])
    if interview.status == Status.SUBMITTED:
        raise ScorecardError(["This scorecard is already submitted."])
    items = list(interview.items.order_by("position"))
    problems = submission_problems(interview=interview, items=items)
    if not rationale.strip():
        problems.append("Write the rationale for your recommendation.")
    if recommendation not in Recommendation.values:
        problems.append("Choose your recommendation.")
    if problems:
        raise ScorecardError(problems)
    # The audit rows go first: a failure anywhere below rolls them back with the submission.
    AuditEvent.record(by, AuditAction.SUBMITTED, interview)
    if interview.reopenings.exists():
        _record_decision_changes(
            interview, by, recommendation, rationale.strip(), candidate_feedback.strip()
        )
    if interview.status in (Status.UPCOMING, Status.IN_PROGRESS):
        end_interview(interview=interview)
    try:
        frozen = summary_for(interview=interview, items=items, by=by)
    except SummaryUnavailable as e:
        raise ScorecardError([str(e)]) from None
    interview.summary = frozen.as_dict()
    interview.recommendation, interview.rationale = recommendation, rationale.strip()
    interview.candidate_feedback = candidate_feedback.strip()
    interview.status, interview.submitted_at, interview.submitted_by = (
        Status.SUBMITTED,
        timezone.now(),
        by,
    )
    interview.save()
    events.scorecard_submitted(interview)
    return frozen


def _record_decision_changes(
    interview: Interview, by, recommendation: str, rationale: str, feedback: str
):
    """A resubmission after a reopen: the decision as it was (kept on the interview) and now."""
    labels = dict(Recommendation.choices)
    AuditEvent.record_edit(
        by,
        interview,
        "recommendation",
        labels.get(interview.recommendation, interview.recommendation),
        labels.get(recommendation, recommendation),
    )
    AuditEvent.record_edit(
        by, interview, "rationale", interview.rationale, rationale, free_text=True
    )
    AuditEvent.record_edit(
        by,
        interview,
        "feedback for the candidate",
        interview.candidate_feedback,
        feedback,
        free_text=True,
    )


@transaction.atomic
def reopen_scorecard(*, interview: Interview, by, reason: str) -> Reopening:
    """Open a submitted scorecard again, keeping a record of who, when, why and what it said.

    The audit row quotes the reason; from here on every change is recorded with its before and
    after values (AuditEvent.record_edit) until the scorecard is submitted again."""
    interview = (
        Interview.objects.select_for_update(of=("self",))  # the candidate row is only read
        .select_related("candidate")
        .get(pk=interview.pk)
    )
    if interview.candidate.erased_at:
        raise ScorecardError([ERASED])
    if interview.status != Status.SUBMITTED:
        raise ScorecardError(["Only a submitted scorecard can be reopened."])
    if not reason.strip():
        raise ScorecardError(["Say why you are reopening this scorecard."])
    reopening = Reopening.objects.create(
        interview=interview,
        by=by,
        reason=reason.strip(),
        previous_summary=interview.summary,
        previous_recommendation=interview.recommendation,
    )
    interview.status, interview.summary, interview.submitted_at = Status.COMPLETED, None, None
    interview.save(update_fields=["status", "summary", "submitted_at"])
    AuditEvent.record(
        by, AuditAction.REOPENED, interview, f"reason: {reopening.reason}", free_text=True
    )
    events.scorecard_reopened(interview)
    return reopening


# Privacy -----------------------------------------------------------------------------------------


def candidate_export(*, candidate: Candidate) -> dict:
    """Everything held about a candidate, for a subject access request."""
    interviews = candidate.interviews.select_related("bank").prefetch_related("interviewers")
    return {
        "candidate": {
            "id": str(candidate.code),
            "name": candidate.name,
            "email": candidate.email,
            "ats_id": candidate.external_id,
            "created": candidate.created.isoformat(),
        },
        "interviews": [
            reports.scorecard_json(
                i, list(i.items.order_by("position")), summary_or_none(interview=i)
            )
            | {
                "reopenings": [
                    {"at": r.at.isoformat(), "reason": r.reason} for r in i.reopenings.all()
                ]
            }
            for i in interviews
        ],
        "audit": [
            {
                "at": e.at.isoformat(),
                "by": e.actor_name,
                "action": e.action,
                "object": e.object_type,
            }
            for e in AuditEvent.objects.filter(candidate_code=candidate.code)
        ],
    }


@transaction.atomic
def erase_candidate(*, candidate: Candidate, by) -> None:
    """Erase a candidate: personal data and free text go; anonymous question statistics stay.

    The candidate row stays as an anonymous shell so that which questions were asked, and how they
    were scored, still count for exposure balancing and the score distribution of each question.
    Every interview still upcoming or running is ended here, and no interview of an erased
    candidate accepts a write again (views and services check `erased_at`), so nothing typed
    after the erasure is kept. The audit rows that quote free text are blanked, and the PDFs made
    of their reports are deleted.
    """
    code = candidate.code
    candidate.name = f"Erased candidate {str(code)[:8]}"
    candidate.email, candidate.external_id, candidate.created_by = "", "", None
    candidate.erased_at = timezone.now()
    candidate.save()
    interviews = Interview.objects.filter(candidate=candidate)
    PlannedQuestion.objects.filter(interview__in=interviews).update(
        notes="", notes_shared=False, hint_given=False
    )
    Reopening.objects.filter(interview__in=interviews).update(reason="", previous_summary=None)
    Printout.objects.filter(candidate=candidate).delete()
    for interview in interviews.select_for_update():
        interview.end()
        interview.position = "Erased"
        interview.rationale = interview.candidate_feedback = ""
        interview.screen_token = None
        if interview.summary:
            interview.summary = _without_notes(interview.summary)
        interview.save()
    AuditEvent.objects.filter(candidate_code=code).erase_free_text()
    AuditEvent.record(by, AuditAction.ERASED, candidate)
    events.candidate_erased(candidate)


def _without_notes(frozen: dict) -> dict:
    for key in ("criteria", "strengths", "concerns"):
        for criterion in frozen.get(key, []):
            for evidence in criterion.get("evidence", []):
                evidence["notes"] = ""
    return frozen


def candidates_to_purge(*, older_than_days: int):
    """Candidates whose last interview (or, with none, their record) is older than the limit."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return (
        Candidate.objects.annotate(last=Max("interviews__scheduled_for"))
        .filter(Q(last__lt=cutoff) | Q(last__isnull=True, created__lt=cutoff))
        .filter(erased_at__isnull=True)
        .order_by("pk")
    )
