"""Write a parsed bank into the database, all or nothing, and read it back out."""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from questionbank import mapping
from questionbank.models import Bank, Criterion, Level, Mapping, Question, RubricLevel, Section
from questionbank.parser import (
    QUESTION_NUMBER,
    BankFormatError,
    DistributionRow,
    ParsedBank,
    ParsedCriterion,
    ParsedLevel,
    ParsedQuestion,
    ParsedSection,
    parse_bank,
)
from questionbank.rendering import RenderBudgetExceeded, render_budget
from questionbank.timing import estimate_minutes

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@dataclass
class ImportReport:
    bank: str
    slug: str
    sections: int
    questions: int
    rubric_levels: int
    criteria: int
    warnings: list[str]
    created: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rubric_changed: bool = False
    details_changed: bool = False  # the bank's title or description, or its sections
    revision: int = 1
    dry_run: bool = False

    @property
    def unchanged(self) -> bool:
        return not (
            self.created
            or self.added
            or self.changed
            or self.removed
            or self.rubric_changed
            or self.details_changed
        )

    def as_json(self) -> dict:
        return {
            "bank": self.bank,
            "sections": self.sections,
            "questions": self.questions,
            "rubric_levels": self.rubric_levels,
            "criteria": self.criteria,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class ReviewedMapping:
    """An editor's decisions, keyed by question key: {"level": "Senior", "criteria": [keys]}."""

    source: str
    questions: dict

    @classmethod
    def load(cls, path: Path) -> "ReviewedMapping":
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            raise BankFormatError(str(path), getattr(e, "lineno", 1), f"cannot read: {e}") from None
        if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
            raise BankFormatError(str(path), 1, 'expected {"questions": {key: {...}}}')
        return cls(source=str(path), questions=data["questions"])

    def check(self, parsed: ParsedBank) -> None:
        keys = {q.key for q in parsed.questions}
        criteria = {c.key for c in parsed.criteria}
        for key, entry in self.questions.items():
            where = f"question {key!r}"
            if key not in keys:
                raise BankFormatError(self.source, 1, f"{where} is not in the bank")
            try:
                Level.from_name(entry.get("level", ""))
            except ValueError as e:
                raise BankFormatError(self.source, 1, f"{where}: {e}") from None
            unknown = set(entry.get("criteria", [])) - criteria
            if unknown or not entry.get("criteria"):
                raise BankFormatError(
                    self.source,
                    1,
                    f"{where}: expected known criteria, got {sorted(unknown) or 'none'}",
                )


def import_bank_file(
    path: Path, *, slug: str = "", mapping_path: Path | None = None, dry_run: bool = False
) -> ImportReport:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BankFormatError(str(path), 1, f"cannot read the file: {e}") from None
    parsed = parse_bank(text, source=str(path))
    reviewed = ReviewedMapping.load(mapping_path) if mapping_path else None
    return import_bank(
        parsed,
        slug=slug or slugify(path.stem),
        source_file=path.name,
        reviewed=reviewed,
        dry_run=dry_run,
    )


def check_slug(slug: str, *, source: str) -> None:
    """A bank's slug is its URL and file name: letters, digits, hyphens, underscores, as Bank.slug
    holds. Raises BankFormatError, so the dry run refuses what its confirmation could not import."""
    limit = Bank._meta.get_field("slug").max_length
    if not slug:
        raise BankFormatError(
            source, 1, "the file name gives no slug; enter one (letters, digits and hyphens)"
        )
    if len(slug) > limit or not _SLUG.fullmatch(slug):
        raise BankFormatError(
            source,
            1,
            f"the slug {slug[:40]!r} is not usable: expected 1 to {limit} letters, digits, "
            "hyphens or underscores",
        )


def import_bank(
    parsed: ParsedBank,
    *,
    slug: str,
    source_file: str = "",
    reviewed: ReviewedMapping | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update a bank in place from parsed Markdown, in one transaction.

    Questions are matched on their key, so re-importing the same file changes nothing and an
    edited file updates its questions in place. A reviewed level and criteria are never replaced
    by a suggestion; the importer only suggests for new questions and for suggested ones.
    """
    check_slug(slug, source=source_file or "<bank>")
    if reviewed:
        reviewed.check(parsed)
    report = ImportReport(
        bank=parsed.title,
        slug=slug,
        sections=len(parsed.sections),
        questions=len(parsed.questions),
        rubric_levels=len(parsed.rubric),
        criteria=len(parsed.criteria),
        warnings=list(parsed.warnings),
        dry_run=dry_run,
    )
    with _rendering_bounded(source_file or slug), transaction.atomic():
        bank, report.created = Bank.objects.select_for_update().get_or_create(
            slug=slug, defaults={"title": parsed.title}
        )
        details = {"title": parsed.title, "description": parsed.description}
        report.details_changed = _differs(bank, details)
        _update_fields(bank, **details, source_file=source_file)
        criteria = _sync_rubric(bank, parsed.rubric, report)
        sections, stale_sections = _sync_sections(bank, parsed.sections, report)
        _sync_questions(bank, parsed, sections, criteria, reviewed, report)
        # Only now, so that their questions were reported as removed, not silently cascaded.
        Section.objects.filter(pk__in=[s.pk for s in stale_sections]).delete()
        report.warnings += coverage_gaps(bank, parsed)
        if not report.created and not report.unchanged:
            bank.revision += 1
            bank.save(update_fields=["revision", "updated"])
        report.revision = bank.revision
        if dry_run:
            transaction.set_rollback(True)
    return report


def coverage_gaps(bank: Bank, parsed: ParsedBank) -> list[str]:
    """Rubric levels without questions and criteria no question covers, as mapped now.

    Found at import, so a gap is fixed in the bank, not discovered when a summary cannot be made.
    """
    levels = set(bank.questions.values_list("level", flat=True).distinct())
    covered = set(bank.questions.values_list("criteria__key", flat=True))
    warnings = []
    for level in parsed.rubric:
        if level.level and Level.from_name(level.level) not in levels:
            warnings.append(
                f"Rubric line {level.line}: no question is at {level.level} level, so a "
                f"{level.level} interview cannot be planned"
            )
        for criterion in level.criteria:
            if criterion.key not in covered:
                warnings.append(
                    f"Rubric line {criterion.line}: no question covers '{criterion.name}' "
                    f"({level.heading}), so no interview can assess it"
                )
    return warnings


# Far above any real bank (the seed renders in about 0.03 s), far below a request's second of CPU.
IMPORT_RENDER_SECONDS = 0.5


@contextmanager
def _rendering_bounded(source: str):
    try:
        with render_budget(IMPORT_RENDER_SECONDS):
            yield
    except RenderBudgetExceeded:
        raise BankFormatError(
            source,
            1,
            f"rendering this bank's Markdown took over {IMPORT_RENDER_SECONDS} s of CPU; "
            "split it into smaller banks or simplify its Markdown",
        ) from None


def _update_fields(obj, **values) -> bool:
    """Set the values that differ and save only those; answers whether anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _sync_rubric(bank: Bank, rubric: tuple[ParsedLevel, ...], report: ImportReport) -> dict:
    existing_levels = {lv.key: lv for lv in bank.rubric_levels.all()}
    existing = {c.key: c for c in bank.criteria.all()}
    kept_levels, kept = set(), {}
    for position, parsed in enumerate(rubric):
        values = {
            "heading": parsed.heading,
            "level": Level.from_name(parsed.level) if parsed.level else None,
            "experience": parsed.experience,
            "position": position,
        }
        level = existing_levels.get(parsed.key)
        if level is None:
            level = RubricLevel.objects.create(bank=bank, key=parsed.key, **values)
            report.rubric_changed = True
        elif _update_fields(level, **values):
            report.rubric_changed = True
        kept_levels.add(level.pk)
        for index, c in enumerate(parsed.criteria):
            kept[c.key] = _sync_criterion(bank, level, c, index, existing.get(c.key), report)
    stale = [c.pk for key, c in existing.items() if key not in kept]
    stale_levels = [lv.pk for lv in existing_levels.values() if lv.pk not in kept_levels]
    if stale or stale_levels:
        report.rubric_changed = True
        Criterion.objects.filter(pk__in=stale).delete()
        RubricLevel.objects.filter(pk__in=stale_levels).delete()
    return kept


def _sync_criterion(bank, level, parsed: ParsedCriterion, position, criterion, report) -> Criterion:
    values = {
        "rubric_level": level,
        "name": parsed.name,
        "description": parsed.description,
        "position": position,
    }
    if criterion is None:
        report.rubric_changed = True
        return Criterion.objects.create(bank=bank, key=parsed.key, **values)
    if _update_fields(criterion, **values):
        report.rubric_changed = True
    return criterion


def _sync_sections(
    bank: Bank, sections: tuple[ParsedSection, ...], report: ImportReport
) -> tuple[dict, list]:
    existing = {s.number: s for s in bank.sections.all()}
    kept = {}
    for position, parsed in enumerate(sections):
        section = existing.pop(parsed.number, None)
        if section is None:
            section = Section.objects.create(
                bank=bank, number=parsed.number, title=parsed.title, position=position
            )
            report.details_changed = True
        elif _update_fields(section, title=parsed.title, position=position):
            report.details_changed = True
        kept[parsed.number] = section
    if existing:
        report.details_changed = True
    return kept, list(existing.values())


def _sync_questions(bank, parsed: ParsedBank, sections, criteria, reviewed, report) -> None:
    existing = {q.key: q for q in Question.objects.filter(bank=bank).prefetch_related("criteria")}
    section_titles = {s.number: s.title for s in parsed.sections}
    for position, pq in enumerate(parsed.questions):
        text = {
            "section_id": sections[pq.section_number].pk,
            "number": pq.number,
            "subsection": pq.subsection,
            "prompt": pq.prompt,
            "answer": pq.answer,
        }
        question = existing.pop(pq.key, None)
        is_new = question is None
        if is_new:
            question = Question(bank=bank, key=pq.key)
        if not question.minutes_by_editor:
            # The model's estimate follows the text until an editor sets the minutes.
            text["minutes"] = estimate_minutes(pq.prompt, pq.answer, pq.subsection)
        changed = is_new or _differs(question, text)
        # Adding or removing an earlier question moves this one; that is not a change to it.
        moved = question.position != position
        question.position = position
        for name, value in text.items():
            setattr(question, name, value)

        entry = reviewed.questions.get(pq.key) if reviewed else None
        keys = None
        if entry is not None or question.mapping != Mapping.REVIEWED:
            level, keys, status = _mapping_for(pq, section_titles[pq.section_number], parsed, entry)
            by_editor = question.minutes_by_editor or bool(entry and "minutes" in entry)
            minutes = entry["minutes"] if entry and "minutes" in entry else question.minutes
            changed = changed or (
                (question.level, question.mapping, question.minutes, question.minutes_by_editor)
                != (level, status, minutes, by_editor)
                or sorted(c.key for c in question.criteria.all()) != sorted(keys)
            )
            question.level, question.mapping = level, status
            question.minutes, question.minutes_by_editor = minutes, by_editor

        if changed:
            (report.added if is_new else report.changed).append(pq.key)
            question.save()
            if keys is not None:
                question.criteria.set([criteria[k] for k in keys])
        elif moved:
            question.save(update_fields=["position"])
    if existing:
        report.removed = sorted(existing)
        Question.objects.filter(pk__in=[q.pk for q in existing.values()]).delete()


def _differs(question: Question, values: dict) -> bool:
    return any(getattr(question, name) != value for name, value in values.items())


def _mapping_for(pq: ParsedQuestion, section_title: str, parsed: ParsedBank, entry):
    if entry is not None:
        return Level.from_name(entry["level"]), list(entry["criteria"]), Mapping.REVIEWED
    suggestion = mapping.suggest(pq, section_title, parsed.rubric)
    return Level.from_name(suggestion.level), list(suggestion.criteria), Mapping.SUGGESTED


def bank_to_parsed(bank: Bank) -> ParsedBank:
    """Read a bank back out of the database in the parser's shape, for export."""
    levels = bank.rubric_levels.prefetch_related("criteria")
    sections = bank.sections.prefetch_related("questions")
    return ParsedBank(
        title=bank.title,
        description=bank.description,
        sections=tuple(
            ParsedSection(
                number=s.number,
                title=s.title,
                line=0,
                questions=tuple(
                    ParsedQuestion(
                        key=q.key,
                        number=q.number,
                        section_number=s.number,
                        prompt=q.prompt,
                        answer=q.answer,
                        subsection=q.subsection,
                        line=0,
                    )
                    for q in s.questions.all()
                ),
            )
            for s in sections
        ),
        rubric=tuple(
            ParsedLevel(
                key=lv.key,
                heading=lv.heading,
                level=Level(lv.level).label if lv.level else "",
                experience=lv.experience,
                line=0,
                criteria=tuple(
                    ParsedCriterion(key=c.key, name=c.name, description=c.description, line=0)
                    for c in lv.criteria.all()
                ),
            )
            for lv in levels
        ),
        distribution=tuple(
            DistributionRow(
                section_number=s.number, label="", first=first, last=last, description="", line=0
            )
            for s in sections
            # Numbers as the importer writes them; one edited into another shape is not counted.
            if (
                numbers := [
                    int(q.number[1:])
                    for q in s.questions.all()
                    if QUESTION_NUMBER.fullmatch(q.number)
                ]
            )
            for first, last in [(numbers[0], numbers[-1])]
        ),
    )
