"""The importer, through `import_bank` and its service: all or nothing, idempotent, in place."""

import dataclasses
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from questionbank.models import Bank, Criterion, Level, Mapping, Question, RubricLevel, Section
from questionbank.parser import BankFormatError
from questionbank.services import import_bank_file

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR / "fixtures" / "banks" / "day6-transformers-llms.md"
SEED_MAPPING = SEED.with_suffix(".mapping.json")
SEED_TITLE = "Day 6: Transformers & Large Language Models - Interview Questions"
NEW_QUESTION = (
    "**Q33: What does a tokenizer do?**\n\n**Expected Answer:**\n- Splits text into tokens.\n\n"
)


def make_file(tmp_path: Path, text: str, name: str = "day6-transformers-llms.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def make_edited_seed(seed_text: str) -> str:
    """s1-q1's answer changed, s2-q10 deleted, s10-q33 added."""
    changed = seed_text.replace("making training slow and hard to parallelize", "making it slow")
    start = changed.index("**Q10: Explain the evolution")
    edited = changed[:start] + changed[changed.index("**Q11: ") :]
    rubric = edited.index("---\n\n## Evaluation Rubric")
    return edited[:rubric] + NEW_QUESTION + edited[rubric:]


def db_state() -> dict:
    """Every row of every question bank table, timestamps included."""
    state = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Bank, Section, RubricLevel, Criterion, Question)
    }
    links = Question.criteria.through.objects.order_by("pk")
    state["links"] = list(links.values_list("question_id", "criterion_id"))
    return state


def run_command(*args) -> str:
    out = StringIO()
    call_command("import_bank", *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def questions() -> dict[str, Question]:
    return {q.key: q for q in Question.objects.prefetch_related("criteria")}


def test_it_imports_the_seed():
    report = import_bank_file(SEED)

    bank = Bank.objects.get(slug="day6-transformers-llms")
    assert (bank.title, bank.source_file, bank.revision) == (SEED_TITLE, SEED.name, 1)
    assert (bank.sections.count(), bank.questions.count()) == (10, 45)
    assert (bank.rubric_levels.count(), bank.criteria.count()) == (5, 23)
    assert report.created
    assert len(report.added) == 45
    assert all(q.mapping == Mapping.SUGGESTED and q.criteria.all() for q in questions().values())


def test_it_stores_rendered_html_and_key_points():
    import_bank_file(SEED)

    question = Question.objects.get(key="s1-q5")
    assert question.answer_html.startswith("<ul>\n<li><strong>Multi-Head Attention:</strong>")
    assert question.key_points == [
        "<strong>Multi-Head Attention:</strong> Runs multiple attention operations in parallel "
        "with different learned projection matrices (Wq, Wk, Wv).",
        "<strong>Benefits:</strong>"
        '<div class="point-detail"><ul>\n<li><strong>Different Representation Subspaces:</strong> '
        "Each head can focus on different types of relationships (syntactic, semantic, "
        "positional).</li>\n<li><strong>Example:</strong> One head might focus on subject-verb "
        "relationships, another on adjective-noun pairs.</li>\n</ul></div>",
        "<strong>Process:</strong> Outputs of all heads are concatenated and linearly transformed.",
        "<strong>Analogy:</strong> Like having multiple experts looking at the same problem from "
        "different angles.",
    ]
    assert 3 <= question.minutes <= 6  # a definition ("Explain Multi-Head Attention")


def test_it_keeps_the_stated_levels():
    import_bank_file(SEED)

    levels = {q.key: q.level for q in Question.objects.filter(section__number=1)}
    assert levels == {
        **{f"s1-q{n}": Level.JUNIOR for n in (1, 2, 3)},
        **{f"s1-q{n}": Level.MID for n in (4, 5, 6, 7)},
    }


def test_it_prints_exactly_one_json_object():
    out = run_command(SEED, "--json")

    report = json.loads(out)
    assert report == {
        "bank": SEED_TITLE,
        "sections": 10,
        "questions": 45,
        "rubric_levels": 5,
        "criteria": 23,
        "warnings": report["warnings"],
    }
    assert list(report) == [
        "bank",
        "sections",
        "questions",
        "rubric_levels",
        "criteria",
        "warnings",
    ]
    gaps = [w for w in report["warnings"] if w.startswith("Rubric line")]
    # The importer's own suggestions leave some criteria uncovered, and it says which.
    assert gaps and all("no question covers" in w for w in gaps)
    assert {w.split(":")[0] for w in report["warnings"] if w not in gaps} == {
        "Section 2",
        "Section 3",
        "Section 4",
        "Section 5",
    }


def test_it_prints_a_report():
    out = run_command(SEED)

    assert "10 sections, 45 questions, 5 rubric levels, 23 criteria" in out
    assert out.count("warning: Section ") == 4
    assert "Created the bank with 45 questions." in out


def test_it_changes_nothing_when_imported_twice():
    first = import_bank_file(SEED)
    before = db_state()

    second = import_bank_file(SEED)

    assert second.unchanged
    assert (second.added, second.changed, second.removed) == ([], [], [])
    assert second.revision == first.revision == 1
    assert db_state() == before
    assert "Already up to date: nothing changed." in run_command(SEED)


def test_it_updates_an_edited_file_in_place(tmp_path, seed_text):
    import_bank_file(SEED)
    before = questions()

    report = import_bank_file(make_file(tmp_path, make_edited_seed(seed_text)))

    assert (report.changed, report.added, report.removed) == (["s1-q1"], ["s10-q33"], ["s2-q10"])
    assert report.revision == Bank.objects.get().revision == 2
    after = questions()
    assert set(after) == set(before) - {"s2-q10"} | {"s10-q33"}
    assert after["s1-q1"].pk == before["s1-q1"].pk
    assert "making it slow" in after["s1-q1"].answer_html
    assert after["s10-q33"].section.number == 10
    assert [q.key for q in Question.objects.order_by("position")][-4:] == [
        "s10-q30",
        "s10-q31",
        "s10-q32",
        "s10-q33",
    ]
    unchanged = set(before) - {"s1-q1", "s2-q10"}
    assert {k: after[k].updated for k in unchanged} == {k: before[k].updated for k in unchanged}


def test_it_reports_a_dry_run_without_saving(tmp_path, seed_text):
    import_bank_file(SEED)
    before = db_state()
    path = make_file(tmp_path, make_edited_seed(seed_text))

    report = import_bank_file(path, dry_run=True)

    assert (report.changed, report.added, report.removed) == (["s1-q1"], ["s10-q33"], ["s2-q10"])
    assert report.dry_run
    assert db_state() == before
    out = run_command(path, "--dry-run")
    assert out.startswith("Dry run, nothing saved: ")
    assert "added: s10-q33\nchanged: s1-q1\nremoved: s2-q10\n" in out
    assert db_state() == before


def test_it_reports_in_a_dry_run_what_the_import_then_does(tmp_path, seed_text):
    import_bank_file(SEED)
    path = make_file(tmp_path, make_edited_seed(seed_text))

    dry = import_bank_file(path, dry_run=True)
    real = import_bank_file(path)

    assert dataclasses.replace(dry, dry_run=False) == real


def test_it_reports_a_new_title_and_a_renamed_section(tmp_path, seed_text):
    import_bank_file(SEED)
    text = seed_text.replace("# Day 6: Transformers", "# Day 6: Transformer").replace(
        "## Section 7: LLM Security & Safety", "## Section 7: Security"
    )

    report = import_bank_file(make_file(tmp_path, text))

    assert report.details_changed
    assert not report.unchanged
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert report.revision == 2
    assert Section.objects.get(number=7).title == "Security"
    assert Bank.objects.get().title.startswith("Day 6: Transformer &")


def test_it_keeps_a_table_and_code_through_import(tmp_path):
    answer = "| Model | Params |\n|---|---|\n| BERT | 110M |\n\n```\n# comment\n---\n```"
    text = f"# T\n\n## Section 1: A\n\n**Q1: Sizes?**\n\n**Expected Answer:**\n{answer}\n"

    import_bank_file(make_file(tmp_path, text, name="code.md"))

    question = Question.objects.get(bank__slug="code")
    assert question.answer == answer
    assert "<td>110M</td>" in question.answer_html
    assert "<pre><code># comment\n---\n</code></pre>" in question.answer_html


def test_it_creates_nothing_on_a_dry_run():
    report = import_bank_file(SEED, dry_run=True)

    assert report.created
    assert len(report.added) == 45
    assert not Bank.objects.exists()
    assert not Question.objects.exists()


def test_it_applies_a_reviewed_mapping():
    import_bank_file(SEED, mapping_path=SEED_MAPPING)

    question = questions()["s9-q29"]
    assert question.mapping == Mapping.REVIEWED
    assert question.level == Level.PRINCIPAL
    assert {c.key for c in question.criteria.all()} == {
        "principal-business-impact",
        "principal-strategic-architecture",
        "principal-team-leadership",
    }


def test_it_keeps_a_reviewed_mapping_when_reimported_without_it(tmp_path, seed_text):
    import_bank_file(SEED, mapping_path=SEED_MAPPING)
    before = db_state()

    report = import_bank_file(SEED)

    assert report.unchanged
    assert db_state() == before
    import_bank_file(make_file(tmp_path, make_edited_seed(seed_text)))
    question = questions()["s1-q1"]
    assert question.mapping == Mapping.REVIEWED
    assert [c.key for c in question.criteria.all()] == ["junior-core-concepts"]


def test_it_suggests_for_a_question_added_after_review(tmp_path, seed_text):
    import_bank_file(SEED, mapping_path=SEED_MAPPING)

    import_bank_file(make_file(tmp_path, make_edited_seed(seed_text)))

    question = questions()["s10-q33"]
    assert question.mapping == Mapping.SUGGESTED
    assert question.criteria.exists()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"s99-q1": {"level": "Mid", "criteria": ["mid-training"]}}, "'s99-q1' is not in the bank"),
        ({"s1-q1": {"level": "Mid", "criteria": ["mid-juggling"]}}, "['mid-juggling']"),
        ({"s1-q1": {"level": "Guru", "criteria": ["mid-training"]}}, "unknown level 'Guru'"),
        ({"s1-q1": {"level": "Mid", "criteria": []}}, "expected known criteria"),
    ],
    ids=["unknown question", "unknown criterion", "unknown level", "no criteria"],
)
def test_it_rejects_a_bad_mapping_and_changes_nothing(tmp_path, small_bank, entry, expected):
    before = db_state()
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"questions": entry}))

    with pytest.raises(CommandError) as caught:
        run_command(SEED, "--mapping", mapping)

    assert str(mapping) in str(caught.value)
    assert expected in str(caught.value)
    assert db_state() == before


def test_it_rejects_a_mapping_that_is_not_json(tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"questions": {')

    with pytest.raises(CommandError, match=r"mapping\.json, line 1: cannot read"):
        run_command(SEED, "--mapping", mapping)

    assert not Bank.objects.exists()


MALFORMED = [
    ("Intro before the title\n# T\n", 1),
    ("# T\n\n## Section 1: A\n\n**Q1: a**\n\n## Glossary\n", 7),
    ("# T\n\n## Section 1: A\n\n**Expected Answer:**\n", 5),
    ("# T\n\n## Section 1: A\n**Q1: a**\n## Section 1: B\n**Q2: b**\n", 5),
    ("# T\n\n## Section 1: A\n**Q1: a**\n**Expected Answer:**\n```\n- x\n", 6),
]


@pytest.mark.parametrize(("text", "line"), MALFORMED)
def test_it_changes_nothing_for_a_malformed_file(tmp_path, small_bank, text, line):
    before = db_state()
    path = make_file(tmp_path, text, name="small.md")

    with pytest.raises(CommandError) as caught:
        run_command(path)

    assert str(caught.value).startswith(f"{path}, line {line}: ")
    assert "expected" in str(caught.value)
    assert db_state() == before


def test_it_rolls_back_a_failure_halfway_through(tmp_path, seed_text, monkeypatch):
    import_bank_file(SEED)
    before = db_state()
    render = Question.render

    def fail_late(question):
        if question.key == "s10-q33":
            raise RuntimeError("disk full")
        render(question)

    monkeypatch.setattr(Question, "render", fail_late)

    with pytest.raises(RuntimeError):
        import_bank_file(make_file(tmp_path, make_edited_seed(seed_text)))

    assert db_state() == before


def test_it_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.md, line 1: cannot read the file"):
        run_command(tmp_path / "nope.md")


def test_it_imports_a_question_without_an_answer_with_a_warning(tmp_path):
    path = make_file(tmp_path, "# T\n\n## Section 1: A\n\n**Q1: Anything?**\n", name="tiny.md")

    report = import_bank_file(path)

    question = Question.objects.get(bank__slug="tiny", key="s1-q1")
    assert (question.prompt, question.answer, question.answer_html) == ("Anything?", "", "")
    assert question.key_points == []
    assert report.warnings == [
        "Section 1: Q1 (line 5) has no expected answer",
        "The bank has no '## Evaluation Rubric': no interview can be planned or summarised "
        "until it has one",
    ]


def test_it_imports_under_another_slug():
    run_command(SEED, "--slug", "copy")

    assert Bank.objects.get().slug == "copy"


def test_it_removes_a_deleted_section_and_reports_its_questions(tmp_path, seed_text):
    import_bank_file(SEED)
    start = seed_text.index("## Section 10:")
    text = seed_text[:start] + seed_text[seed_text.index("## Evaluation Rubric") :]

    report = import_bank_file(make_file(tmp_path, text))

    assert report.removed == ["s10-q30", "s10-q31", "s10-q32"]
    assert not Section.objects.filter(number=10).exists()
    assert Question.objects.count() == 42


def test_it_updates_a_changed_criterion_in_place(tmp_path, seed_text):
    import_bank_file(SEED, mapping_path=SEED_MAPPING)
    criterion = Criterion.objects.get(key="senior-security")
    text = seed_text.replace("(prompt injection, jailbreaking, privacy)", "(prompt injection)")

    report = import_bank_file(make_file(tmp_path, text))

    assert report.rubric_changed
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert report.revision == 2
    criterion.refresh_from_db()
    assert criterion.description == "Understands LLM security concerns (prompt injection)."
    assert criterion.questions.exists()


def test_it_rejects_an_unreadable_file_before_touching_the_database(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("# Caf\xe9\n".encode("latin-1"))

    with pytest.raises(BankFormatError, match="cannot read the file"):
        import_bank_file(path)

    assert not Bank.objects.exists()


GAPPY = """\
# Gappy

## Section 1: Basics

**Q1: What is attention?**

**Expected Answer:**
- weights

## Evaluation Rubric

### Junior Level (1-3 years experience)
- **Attention:** knows attention weights
- **Tokenisation:** knows byte-pair encoding

### Mid Level (3-5 years experience)
- **Serving:** runs models in production
"""


def test_it_warns_at_import_about_levels_without_questions_and_uncovered_criteria(tmp_path):
    report = import_bank_file(make_file(tmp_path, GAPPY, name="gappy.md"))
    lines = GAPPY.split("\n")
    mid, serving = lines.index("### Mid Level (3-5 years experience)") + 1, len(lines) - 1
    tokenisation = lines.index("- **Tokenisation:** knows byte-pair encoding") + 1
    assert (
        f"Rubric line {mid}: no question is at Mid level, so a Mid interview cannot be planned"
        in report.warnings
    )
    assert any(
        w.startswith(f"Rubric line {tokenisation}: no question covers 'Tokenisation'")
        for w in report.warnings
    )
    assert any(
        w.startswith(f"Rubric line {serving}: no question covers 'Serving'")
        for w in report.warnings
    )
    assert sum("no Senior level" in w or "no Principal level" in w for w in report.warnings) == 2
    assert Bank.objects.get(slug="gappy").plannable_levels() == [Level.JUNIOR]


def test_it_keeps_an_editors_minutes_and_refreshes_the_estimate_otherwise(tmp_path):
    path = make_file(tmp_path, GAPPY, name="gappy.md")
    import_bank_file(path)
    question = Question.objects.get(key="s1-q1")
    assert (question.minutes, question.minutes_by_editor) == (3, False)  # a definition

    path.write_text(GAPPY.replace("What is attention?", "Design an attention service."))
    import_bank_file(path)
    question.refresh_from_db()
    assert question.minutes == 10  # a design question now

    question.minutes, question.minutes_by_editor = 7, True
    question.save()
    import_bank_file(path)
    question.refresh_from_db()
    assert question.minutes == 7
