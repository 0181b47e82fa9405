"""Request and response bodies of the API (pydantic, through django-ninja). The OpenAPI schema is
generated from these, so what is documented is what is validated."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, field_validator

LevelName = Literal["junior", "mid", "senior", "principal"]
LEVELS: dict[str, int] = {"junior": 1, "mid": 2, "senior": 3, "principal": 4}
LEVEL_NAMES = {number: name for name, number in LEVELS.items()}
StatusName = Literal["upcoming", "in_progress", "completed", "submitted"]
RecommendationName = Literal["strong_hire", "hire", "no_hire", "strong_no_hire"]


class ErrorDetail(Schema):
    code: str = Field(description="Stable, machine-readable: invalid, not_found, conflict, …")
    message: str
    fields: dict[str, str] = Field(default_factory=dict, description="Field name → problem.")


class ErrorOut(Schema):
    error: ErrorDetail


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid email address.") from None
    return value


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value.strip()


class CandidateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    external_id: str = Field("", max_length=100, description="The candidate's id in your ATS.")

    _name = field_validator("name", "external_id")(_text)
    _email = field_validator("email")(_email)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("Enter the candidate's name.")
        return value


class CandidatePatch(Schema):
    version: int = Field(ge=1, description="The version you read; 409 if it changed since.")
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    external_id: str | None = Field(None, max_length=100)

    _text = field_validator("name", "external_id")(lambda v: v if v is None else _text(v))
    _email = field_validator("email")(lambda v: v if v is None else _email(v))

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value:
            raise ValueError("Enter the candidate's name.")
        return value


class CandidateOut(Schema):
    id: UUID
    name: str
    email: str
    external_id: str
    version: int
    created: datetime
    updated: datetime
    erased: bool


class CandidatePage(Schema):
    results: list[CandidateOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end."
    )


class InterviewIn(Schema):
    candidate: UUID
    position: str = Field(min_length=1, max_length=200)
    target_level: LevelName
    bank: str = Field(min_length=1, max_length=100, description="The question bank's slug.")
    planned_minutes: int = Field(45, ge=10, le=240)
    interviewers: list[str] = Field(
        min_length=1, max_length=10, description="User names of interviewers."
    )
    scheduled_for: datetime | None = None

    _text = field_validator("position")(_text)


class InterviewOut(Schema):
    id: UUID
    candidate: UUID
    position: str
    target_level: LevelName
    bank: str
    planned_minutes: int
    interviewers: list[str]
    status: StatusName
    scheduled_for: datetime
    started_at: datetime | None
    ended_at: datetime | None
    submitted_at: datetime | None
    scorecard_due_at: datetime | None = Field(description="When the scorecard is due, once ended.")
    created: datetime


class InterviewPage(Schema):
    results: list[InterviewOut]
    next_cursor: str | None


class PlannedQuestionOut(Schema):
    position: int
    number: str
    key: str
    section: str
    level: LevelName
    minutes: int
    criteria: list[str]
    prompt_html: str


class PlanOut(Schema):
    interview: UUID
    planned_minutes: int
    total_minutes: int
    questions: list[PlannedQuestionOut]


class CriterionOut(Schema):
    key: str
    name: str
    group: str
    level: int | None
    mean: float | None
    count: int
    status: str


class LevelOut(Schema):
    level: int
    label: str
    status: str
    assessed: int
    total: int
    needed: int
    reason: str


class LevelEstimateOut(Schema):
    """The graded-response level estimate (interviews/estimate.py), frozen at submission."""

    probabilities: list[float] = Field(description="P(Junior), P(Mid), P(Senior), P(Principal).")
    most_likely: int | None
    runner_up: int | None
    settled: bool
    statement: str
    model: str


class SummaryOut(Schema):
    rules_version: str
    target_level: int
    estimated_level: int | None
    estimated_reason: str
    recommendation: RecommendationName
    reasons: list[str]
    coverage_gaps: list[str]
    criteria: list[CriterionOut]
    levels: list[LevelOut]
    scored: int
    not_assessed: int
    unscored: int
    estimate: LevelEstimateOut | None = Field(
        None, description="Absent for scorecards submitted before the estimate existed."
    )


class ScoredQuestionOut(Schema):
    position: int
    number: str
    key: str
    section: str
    score: int | None = Field(description="0 not assessed, 1 to 4 on the anchored scale.")
    hint_given: bool
    key_points_covered: list[int]
    notes: str = Field(description="The interviewer's notes, written for colleagues.")
    notes_shared: bool = Field(description="Also shown in the candidate-safe report.")


class ScorecardOut(Schema):
    interview: UUID
    candidate: UUID
    recommendation: RecommendationName
    rationale: str
    submitted_at: datetime
    submitted_by: str | None
    questions: list[ScoredQuestionOut]
    summary: SummaryOut


class DebriefScorecardOut(Schema):
    interview: UUID
    position: str
    interviewers: list[str]
    recommendation: RecommendationName
    summary_recommendation: RecommendationName
    estimated_level: int | None


class DebriefRowOut(Schema):
    key: str
    name: str
    level: int | None
    means: list[float | None] = Field(description="One per scorecard, in the order of scorecards.")
    spread: float | None
    disagreement: bool


class DebriefOut(Schema):
    candidate: UUID
    scorecards: list[DebriefScorecardOut]
    pending: list[UUID] = Field(description="Interviews of the loop not submitted yet.")
    split: bool = Field(description="The panel's recommendations fall on both sides of hire.")
    criteria: list[DebriefRowOut]
    gaps: list[str] = Field(description="Target-level criteria nobody assessed.")
