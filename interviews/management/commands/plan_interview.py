import json

from django.core.management.base import BaseCommand, CommandError

from interviews import services
from questionbank.levels import Level
from questionbank.models import Bank

MIN_MINUTES, MAX_MINUTES = 10, 240


class Command(BaseCommand):
    help = (
        "Preview the plan the app would make for an interview (nothing is saved), so editors can "
        "check a bank's plans at every level."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, metavar="SLUG")
        parser.add_argument("--level", required=True, help="Junior, Mid, Senior or Principal.")
        # Read as text and checked in handle(), so a bad value gets one line, not argparse's usage.
        parser.add_argument("--minutes", required=True, metavar="N")
        parser.add_argument("--seed", default="0", help="The tie-break seed (default 0).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, bank, level, minutes, seed, json: bool, **options):
        try:
            target = Level.from_name(level)
        except ValueError as e:
            message = str(e)
            raise CommandError(f"{message[:1].upper()}{message[1:]}.") from None
        minutes, seed = _whole(minutes, "--minutes"), _whole(seed, "--seed")
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise CommandError(
                f"--minutes must be between {MIN_MINUTES} and {MAX_MINUTES}, got {minutes}."
            )
        if seed < 0:
            raise CommandError(f"--seed must be 0 or more, got {seed}.")
        found = Bank.objects.filter(slug=bank).first()
        if found is None:
            raise CommandError(f"No bank with slug {bank!r}.")
        problem = found.plan_problem(target)
        if problem:
            raise CommandError(problem)
        preview = services.preview_plan(bank=found, target_level=target, minutes=minutes, seed=seed)
        if json:
            self.stdout.write(_dumps(preview))
        else:
            self.write_text(preview)

    def write_text(self, preview: dict) -> None:
        self.stdout.write(
            f"{preview['level']} interview, {preview['duration']} min, bank {preview['bank']} "
            f"(seed {preview['seed']}): {preview['planned_minutes']} min of questions, "
            f"{preview['buffer_minutes']} min buffer; {preview['target_minutes']} min at "
            f"{preview['level']}."
        )
        for index, q in enumerate(preview["questions"], start=1):
            measured = f", measured {q['measured_minutes']}" if q["measured_minutes"] else ""
            self.stdout.write(
                f"{index:>2}. {q['label']:<10} {q['level']:<9} {q['minutes']:>3} min"
                f"{measured}  {q['title']}  [{', '.join(q['criteria'])}]"
            )
        for gap in preview["left_out"]:
            self.stdout.write(self.style.WARNING(f"Left out: {gap['name']} — {gap['reason']}."))
        if not preview["left_out"]:
            self.stdout.write(self.style.SUCCESS("Every target criterion is covered."))


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _whole(value, option: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise CommandError(f"{option} must be a whole number, got {value!r}.") from None
