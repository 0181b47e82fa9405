"""`manage.py estimate_level`: exported scorecards read back into a level estimate."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews import estimate
from interviews.models import Candidate


def export(client, interview, tmp_path, name=None):
    client.force_login(interview.interviewers.first())
    response = client.get(reverse("interviews:export_json", args=[interview.code]))
    path = tmp_path / (name or f"{interview.code}.json")
    path.write_bytes(response.content)
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("estimate_level", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def exported(client, make_interview, score, submit, tmp_path):
    interview = make_interview("Ada Lovelace")
    score(interview, [3, 3, 4, 2, 0, 3, 3, 3, 3, 3, 3, 3], notes=dict.fromkeys(range(12), "Seen."))
    submit(interview)
    return interview, export(client, interview, tmp_path)


def test_it_reads_an_export_back_into_the_same_estimate(exported):
    interview, path = exported

    data = json.loads(run(path, "--json"))

    assert data["combined"]["probabilities"] == list(interview.summary["estimate"]["probabilities"])
    assert data["combined"]["most_likely"] == interview.summary["estimate"]["most_likely"]


def test_it_prints_the_estimate_in_words(exported):
    interview, path = exported

    text = run(path)

    assert text.startswith("Level estimate: ")
    assert interview.summary["estimate"]["statement"] in text


def test_it_combines_several_scorecards_of_one_candidate(
    client, exported, make_interview, score, submit, tmp_path
):
    first, first_path = exported
    second = make_interview(Candidate.objects.get(pk=first.candidate_id), seed=4)
    score(second, 2)
    submit(second)
    second_path = export(client, second, tmp_path)

    data = json.loads(run(first_path, second_path, "--json"))

    everything = []
    for interview in (first, second):
        everything += estimate.observations(
            (i.snapshot["number"], i.snapshot["level"], i.score, i.hint_given)
            for i in interview.items.order_by("position")
        )
    assert tuple(data["combined"]["probabilities"]) == estimate.estimate(everything).probabilities
    assert len(data["scorecards"]) == 2
    assert "Combined level estimate of 2 scorecards" in run(first_path, second_path)


def test_it_refuses_scorecards_of_different_candidates(
    client, exported, make_interview, score, submit, tmp_path
):
    _, path = exported
    other = make_interview("Grace Hopper", seed=2)
    score(other, 3)
    other_path = export(client, other, tmp_path)

    with pytest.raises(
        CommandError, match=re.escape(f"{other_path}: candidate: not the same candidate")
    ):
        run(path, other_path)


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("not json", "file: not JSON"),
        ("[]", "file: not a scorecard export"),
        ('{"candidate": {}, "interview": {}}', "questions: missing"),
        (
            '{"candidate": {}, "interview": {}, "questions": [{"level": "Guru", "score": 3}]}',
            "questions[0].level",
        ),
        (
            '{"candidate": {}, "interview": {}, "questions": [{"level": "Mid", "score": 7}]}',
            "questions[0].score",
        ),
        (
            '{"candidate": {}, "interview": {}, "questions": [{"level": "Mid", "score": true}]}',
            "questions[0].score",
        ),
        (
            '{"candidate": {}, "interview": {}, "questions": [{"level": "Mid", "score": 3, "hint_given": "y"}]}',
            "questions[0].hint_given",
        ),
        (
            '{"candidate": {}, "interview": {"target_level": "CEO"}, "questions": []}',
            "interview.target_level",
        ),
    ],
)
def test_it_names_the_file_and_the_field_of_a_bad_scorecard(tmp_path, content, field):
    path = tmp_path / "bad.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=re.escape(f"{path}: {field}")):
        run(path)


def test_it_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=re.escape("missing.json: file: ")):
        run(tmp_path / "missing.json")


def test_it_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    path = tmp_path / "bad.json"
    path.write_text("{")
    result = subprocess.run(
        [sys.executable, "manage.py", "estimate_level", str(path)],
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=False,
        cwd=settings.BASE_DIR,
    )

    assert result.returncode != 0
    assert f"{path}: file: not JSON" in result.stderr
