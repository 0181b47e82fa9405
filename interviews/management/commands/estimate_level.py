import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews import estimate

LEVEL_OF = {label: level for level, label in estimate.LEVEL_LABELS.items()}
MAX_BYTES = 5_000_000
MAX_QUESTIONS = 500


class ScorecardFileError(ValueError):
    pass


def read_scorecard(path: Path) -> tuple[dict, list[estimate.Observation]]:
    """(candidate, evidence) from a scorecard in the app's JSON export format."""

    def bad(where: str, why: str) -> ScorecardFileError:
        return ScorecardFileError(f"{path}: {where}: {why}")

    try:
        if path.stat().st_size > MAX_BYTES:
            raise bad("file", f"larger than {MAX_BYTES // 1_000_000} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise bad("file", e.strerror or str(e)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise bad("file", f"not JSON ({e})") from None
    if not isinstance(data, dict):
        raise bad("file", "not a scorecard export (expected a JSON object)")
    candidate, interview, questions = (data.get(k) for k in ("candidate", "interview", "questions"))
    if not isinstance(candidate, dict):
        raise bad("candidate", "missing or not an object")
    if not isinstance(interview, dict):
        raise bad("interview", "missing or not an object")
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise bad("questions", f"missing, not a list, or more than {MAX_QUESTIONS}")
    target = interview.get("target_level")
    if target is not None and target not in LEVEL_OF:
        raise bad("interview.target_level", f"{target!r} is not one of {', '.join(LEVEL_OF)}")
    rows = []
    for index, q in enumerate(questions):
        where = f"questions[{index}]"
        if not isinstance(q, dict):
            raise bad(where, "not an object")
        level, score, hint = q.get("level"), q.get("score"), q.get("hint_given", False)
        if level is not None and level not in LEVEL_OF:
            raise bad(f"{where}.level", f"{level!r} is not one of {', '.join(LEVEL_OF)}")
        if score is not None and (type(score) is not int or not 0 <= score <= 4):
            raise bad(f"{where}.score", f"{score!r} is not 0-4 or null")
        if not isinstance(hint, bool):
            raise bad(f"{where}.hint_given", f"{hint!r} is not true or false")
        rows.append((str(q.get("number", index + 1)), LEVEL_OF.get(level), score, hint))
    source = ", ".join(str(n) for n in interview.get("interviewers") or []) or path.name
    return candidate, estimate.observations(rows, source=source)


def _person(candidate: dict) -> tuple:
    return tuple(
        str(candidate.get(k) or "").strip().casefold() for k in ("name", "email", "ats_id")
    )


class Command(BaseCommand):
    help = (
        "Print the level estimate of one exported scorecard (the JSON download of a summary), or "
        "the panel's combined estimate from several scorecards of the same candidate."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="scorecard JSON exports")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the estimate as JSON"
        )

    def handle(self, *args, files, as_json: bool = False, **options):
        cards, people = [], set()
        for path in files:
            try:
                candidate, evidence = read_scorecard(path)
            except ScorecardFileError as e:
                raise CommandError(str(e)) from None
            person = _person(candidate)
            if people and person not in people:
                raise CommandError(
                    f"{path}: candidate: not the same candidate as {files[0]} "
                    "(name, email and ATS id must match)"
                )
            people.add(person)
            cards.append((evidence[0].source if evidence else str(path), evidence))
        panel = estimate.combine(cards)
        if as_json:
            self._print_json(panel)
        else:
            self._print_text(panel, len(files))

    def _print_json(self, panel: estimate.PanelEstimate) -> None:
        payload = {
            "model": estimate.MODEL_VERSION,
            "combined": panel.combined.as_dict(),
            "scorecards": [
                {"source": s.source, "evidence": s.evidence, "shift": s.shift, **s.own.as_dict()}
                for s in panel.cards
            ],
            "disagreements": [d.sentence for d in panel.disagreements],
        }
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))

    def _print_text(self, panel: estimate.PanelEstimate, count: int) -> None:
        combined = panel.combined
        title = "Level estimate" if count == 1 else f"Combined level estimate of {count} scorecards"
        self.stdout.write(self.style.SUCCESS(f"{title}: {combined.label}"))
        for row in combined.rows:
            self.stdout.write(f"  {row['label']:<10} {row['percent']:>3} %")
        self.stdout.write(combined.statement)
        if count > 1:
            for share in panel.cards:
                self.stdout.write(
                    f"  {share.source}: {share.evidence} scored; {share.own.statement} "
                    f"(moves {combined.label} by {share.shift:+g} points)"
                )
            for d in panel.disagreements:
                self.stdout.write(self.style.WARNING(f"Disagreement: {d.sentence}"))
