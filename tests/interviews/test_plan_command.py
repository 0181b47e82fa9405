"""`manage.py plan_interview`: the plan the app would make, previewed without saving anything."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from interviews.models import Interview, PlannedQuestion

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("plan_interview", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_plan_as_json_with_keys_in_order(seed_bank):
    data = json.loads(
        run("--bank", seed_bank.slug, "--level", "Senior", "--minutes", "45", "--json")
    )
    assert data["buffer_minutes"] == 5
    assert 0 < data["planned_minutes"] <= 40
    assert data["planned_minutes"] == sum(q["minutes"] for q in data["questions"])
    first = data["questions"][0]
    assert {"key", "level", "minutes", "prompt", "criteria"} <= first.keys()
    assert all(q["key"].startswith("s") and "-q" in q["key"] for q in data["questions"])
    assert [q["level"] for q in data["questions"]] == sorted(
        (q["level"] for q in data["questions"]), key=["Junior", "Mid", "Senior", "Principal"].index
    )
    assert data["left_out"] == []
    assert not Interview.objects.exists() and not PlannedQuestion.objects.exists()


def test_it_plans_the_same_as_the_app_for_the_same_seed(seed_bank):
    args = ("--bank", seed_bank.slug, "--level", "mid", "--minutes", "60", "--json")
    assert run(*args, "--seed", "3") == run(*args, "--seed", "3")
    plans = {run(*args, "--seed", str(seed)) for seed in range(8)}
    assert len(plans) > 1


def test_it_prints_a_readable_plan_by_default(seed_bank):
    text = run("--bank", seed_bank.slug, "--level", "Principal", "--minutes", "60")
    assert text.startswith("Principal interview, 60 min")
    assert "S9 · Q26" in text
    assert "Every target criterion is covered." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bank", "nope", "--level", "Senior", "--minutes", "45"), "No bank with slug 'nope'."),
        (("--bank", "B", "--level", "Guru", "--minutes", "45"), "Unknown level 'Guru'"),
        (("--bank", "B", "--level", "Senior", "--minutes", "9"), "--minutes must be between 10"),
        (("--bank", "B", "--level", "Senior", "--minutes", "45", "--seed", "-1"), "--seed"),
    ],
)
def test_it_refuses_bad_arguments_with_one_clear_line(seed_bank, args, message):
    args = tuple(seed_bank.slug if a == "B" else a for a in args)
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


def test_it_refuses_a_level_the_bank_cannot_plan_for(seed_bank):
    seed_bank.rubric_levels.filter(level=4).delete()
    with pytest.raises(CommandError, match="has no Principal level in its rubric"):
        run("--bank", seed_bank.slug, "--level", "Principal", "--minutes", "45")


@pytest.mark.parametrize("bad", [["--minutes", "5"], ["--minutes", "ten"], ["--level", "Guru"]])
def test_it_exits_non_zero_from_the_shell(bad):
    args = {"--bank": "any", "--level": "Senior", "--minutes": "45"}
    args.update(dict([bad]))
    command = [sys.executable, "manage.py", "plan_interview", *sum(args.items(), ())]
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) <= 2 and ("minutes" in lines[-1] or "level" in lines[-1]), done.stderr
