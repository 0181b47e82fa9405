from dataclasses import asdict, dataclass

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from questionbank.levels import Level
from questionbank.parser import MAX_ANSWER_CHARS, MAX_PROMPT_CHARS, key_points
from questionbank.rendering import render_key_point, render_markdown
from questionbank.timing import planned_minutes
from questionbank.titles import question_label, section_number_of, short_title


class BankManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Bank(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Stable identifier.")
    source_file = models.CharField(
        max_length=255, blank=True, help_text="The Markdown file this bank was imported from."
    )
    description = models.TextField(blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up by one each time an import changes the bank."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = BankManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def plannable_levels(self) -> list[Level]:
        """Levels an interview can target: a rubric level to summarise against, and questions."""
        ranked = set(self.rubric_levels.exclude(level=None).values_list("level", flat=True))
        asked = set(self.questions.values_list("level", flat=True).distinct())
        return [level for level in Level if level in ranked and level in asked]

    def plan_problem(self, level: int) -> str:
        """Why this bank cannot plan an interview at `level`, in one sentence; "" if it can."""
        label = Level.label_of(level, str(level))
        if not self.rubric_levels.filter(level=level).exists():
            return (
                f"The bank {self.title!r} has no {label} level in its rubric, so a {label} "
                "interview could not be summarised."
            )
        if not self.questions.filter(level=level).exists():
            return f"The bank {self.title!r} has no {label} questions."
        return ""


class SectionManager(models.Manager):
    def get_by_natural_key(self, bank_slug, number):
        return self.get(bank__slug=bank_slug, number=number)


class Section(models.Model):
    bank = models.ForeignKey(Bank, models.CASCADE, related_name="sections")
    number = models.PositiveIntegerField(help_text="As written in the bank: 'Section 4'.")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = SectionManager()

    class Meta:
        ordering = ["bank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="section_number_unique")
        ]

    def __str__(self):
        return f"Section {self.number}: {self.title}"

    def natural_key(self):
        return (*self.bank.natural_key(), self.number)

    natural_key.dependencies = ["questionbank.bank"]


class RubricLevelManager(models.Manager):
    def get_by_natural_key(self, bank_slug, key):
        return self.get(bank__slug=bank_slug, key=key)


class RubricLevel(models.Model):
    """A group of rubric criteria: a ranked level (Junior…Principal) or an unranked group."""

    bank = models.ForeignKey(Bank, models.CASCADE, related_name="rubric_levels")
    key = models.SlugField(max_length=100)
    heading = models.CharField(max_length=200, help_text="As written: 'Principal/Staff Level'.")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        null=True,
        blank=True,
        help_text="Empty for an unranked group such as 'Specialist Areas'.",
    )
    experience = models.CharField(max_length=100, blank=True, help_text="As written: '1-3 years'.")
    position = models.PositiveIntegerField(default=0)

    objects = RubricLevelManager()

    class Meta:
        ordering = ["bank", "position"]
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="rubric_level_unique")]

    def __str__(self):
        return f"{self.heading} ({self.experience})" if self.experience else self.heading

    def natural_key(self):
        return (*self.bank.natural_key(), self.key)

    natural_key.dependencies = ["questionbank.bank"]

    @property
    def is_ranked(self) -> bool:
        return self.level is not None


class CriterionManager(models.Manager):
    def get_by_natural_key(self, bank_slug, key):
        return self.get(bank__slug=bank_slug, key=key)


class Criterion(models.Model):
    bank = models.ForeignKey(Bank, models.CASCADE, related_name="criteria")
    rubric_level = models.ForeignKey(RubricLevel, models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=150)
    name = models.CharField(max_length=200)
    description = models.TextField()
    position = models.PositiveIntegerField(default=0)

    objects = CriterionManager()

    class Meta:
        ordering = ["bank", "rubric_level__position", "position"]
        verbose_name_plural = "criteria"
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="criterion_unique")]

    def __str__(self):
        return f"{self.rubric_level.heading}: {self.name}"

    def natural_key(self):
        return (*self.bank.natural_key(), self.key)

    natural_key.dependencies = ["questionbank.bank", "questionbank.rubriclevel"]


class Mapping(models.TextChoices):
    SUGGESTED = "suggested", "Suggested by the importer"
    REVIEWED = "reviewed", "Reviewed by an editor"


class QuestionQuerySet(models.QuerySet):
    def in_use(self) -> "QuestionQuerySet":
        """Questions an interviewer may still ask: neither retired nor marked leaked."""
        return self.filter(retired_at__isnull=True, leaked_at__isnull=True)

    def plannable(self) -> "QuestionQuerySet":
        """In use and not flagged by the question statistics. (The planner's adapter keeps a
        flagged question only while it is the last one for one of its criteria.)"""
        return self.in_use().filter(flags="")

    def search(self, text: str) -> "QuestionQuerySet":
        """Questions whose prompt or answer contains `text`, or whose key is `text`."""
        return self.filter(Q(prompt__icontains=text) | Q(answer__icontains=text) | Q(key=text))


class QuestionManager(models.Manager.from_queryset(QuestionQuerySet)):
    def get_by_natural_key(self, bank_slug, key):
        return self.get(bank__slug=bank_slug, key=key)


@dataclass(frozen=True)
class CriterionSnapshot:
    key: str
    name: str
    group: str
    level: int | None


@dataclass(frozen=True)
class QuestionSnapshot:
    """What an interview shows of a question, frozen at the moment it was planned.

    Interviews store this instead of reading the live question, so editing the bank never changes
    what a past interview showed.
    """

    bank: str
    bank_revision: int
    key: str
    number: str
    section: str
    subsection: str
    prompt_html: str
    answer_html: str
    key_points: tuple[str, ...]
    level: int
    minutes: int  # what the plan counts: measured when known, else the estimate
    criteria: tuple[CriterionSnapshot, ...]
    estimated_minutes: int | None = None  # the editor's or the time model's minutes
    measured_minutes: int | None = None  # the median measured time, once timed often enough
    timed: int = 0  # in how many interviews it was timed
    title: str = ""  # a short title for lists: "Multi-modal RAG design"

    @property
    def label(self) -> str:
        return question_label(self.section_number, self.number)

    @property
    def section_number(self) -> int | None:
        return section_number_of(self.section)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "QuestionSnapshot":
        return cls(
            **{
                **data,
                "key_points": tuple(data["key_points"]),
                "criteria": tuple(CriterionSnapshot(**c) for c in data["criteria"]),
            }
        )


class Question(models.Model):
    bank = models.ForeignKey(Bank, models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=100, help_text="Stable across re-imports: s{section}-q{number}."
    )
    number = models.CharField(max_length=20, help_text="As written: 'Q16'. Not unique.")
    position = models.PositiveIntegerField(default=0, help_text="Order within the bank.")
    subsection = models.CharField(
        max_length=200, blank=True, help_text="As written, e.g. 'Scenario-Based Questions'."
    )
    prompt = models.TextField(
        help_text="Markdown.", validators=[MaxLengthValidator(MAX_PROMPT_CHARS)]
    )
    prompt_html = models.TextField(editable=False, default="")
    answer = models.TextField(
        "expected answer",
        blank=True,
        help_text="Markdown.",
        validators=[MaxLengthValidator(MAX_ANSWER_CHARS)],
    )
    answer_html = models.TextField(editable=False, default="")
    key_points = models.JSONField(
        default=list,
        editable=False,
        help_text="The expected answer's top-level items with their detail, as HTML: what an "
        "interviewer ticks.",
    )
    minutes = models.PositiveSmallIntegerField(
        default=5,
        help_text="Estimated minutes this question takes in an interview: the time model's "
        "estimate until an editor sets it. Once timed in five interviews, the measured median "
        "is what plans count.",
    )
    minutes_by_editor = models.BooleanField(
        "minutes set by an editor",
        default=False,
        help_text="Re-importing keeps an editor's minutes; otherwise it updates the estimate.",
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MID)
    criteria = models.ManyToManyField(Criterion, related_name="questions", blank=True)
    mapping = models.CharField(
        "level and criteria",
        max_length=10,
        choices=Mapping.choices,
        default=Mapping.SUGGESTED,
        help_text="Suggested mappings are the importer's guess; an editor confirms them.",
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Retired questions are never planned or offered again."
    )
    leaked_at = models.DateTimeField(
        "marked leaked",
        null=True,
        blank=True,
        help_text="Known to candidates: never planned again.",
    )
    flags = models.CharField(
        max_length=300,
        blank=True,
        default="",
        editable=False,
        help_text="What the question statistics say, in words; the planner skips flagged questions.",
    )
    updated = models.DateTimeField(auto_now=True)

    objects = QuestionManager()

    class Meta:
        ordering = ["bank", "position"]
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="question_key_unique")]
        indexes = [models.Index(fields=["bank", "level"])]

    def __str__(self):
        return f"{self.number} ({self.key}): {self.prompt[:80]}"

    def save(self, *args, **kwargs):
        # Render once, when the text changes, so pages never render Markdown per request.
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:questionbank_question_change", args=[self.pk])

    def natural_key(self):
        return (*self.bank.natural_key(), self.key)

    natural_key.dependencies = ["questionbank.bank", "questionbank.section"]

    @property
    def label(self) -> str:
        """ "S4 · Q18": numbers repeat across sections, so the section is part of the name."""
        return question_label(self.section.number, self.number)

    @property
    def title(self) -> str:
        return short_title(self.prompt)

    @property
    def status_label(self) -> str:
        if self.leaked_at:
            return "Leaked"
        if self.retired_at:
            return "Retired"
        return "Flagged" if self.flags else "In use"

    def set_status(self, status: str) -> None:
        """Retire, mark leaked, or put back in use. Interviews already planned keep their copy."""
        from django.utils import timezone

        now = timezone.now()
        self.retired_at = now if status == "retired" else None
        self.leaked_at = now if status == "leaked" else None
        Question.objects.filter(pk=self.pk).update(
            retired_at=self.retired_at, leaked_at=self.leaked_at
        )

    def render(self) -> None:
        self.prompt_html = render_markdown(self.prompt)
        self.answer_html = render_markdown(self.answer)
        self.key_points = [render_key_point(p.text, p.detail) for p in key_points(self.answer)]

    def snapshot(self, measured: int | None = None, timed: int = 0) -> QuestionSnapshot:
        """An immutable copy of what an interview needs, for pinning into a plan.

        `measured` is the median measured minutes (see questionbank.timing), when known.
        """
        return QuestionSnapshot(
            bank=self.bank.slug,
            bank_revision=self.bank.revision,
            key=self.key,
            number=self.number,
            section=str(self.section),
            subsection=self.subsection,
            prompt_html=self.prompt_html,
            answer_html=self.answer_html,
            key_points=tuple(self.key_points),
            level=self.level,
            minutes=planned_minutes(self.minutes, measured),
            estimated_minutes=self.minutes,
            measured_minutes=measured,
            timed=timed,
            title=short_title(self.prompt),
            criteria=tuple(
                CriterionSnapshot(
                    key=c.key, name=c.name, group=c.rubric_level.heading, level=c.rubric_level.level
                )
                for c in self.criteria.all()
            ),
        )
