"""`export_bank` writes a bank back in the series format; importing the export gives the same bank."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from questionbank.models import Bank
from questionbank.parser import export_bank, parse_bank
from questionbank.services import bank_to_parsed, import_bank, import_bank_file

pytestmark = pytest.mark.django_db


def bank_content(bank: Bank) -> dict:
    """What a bank says, without database ids, timestamps or its slug."""
    return {
        "title": bank.title,
        "description": bank.description,
        "sections": [(s.number, s.title) for s in bank.sections.all()],
        "questions": [
            (q.key, q.section.number, q.number, q.subsection, q.prompt, q.answer, q.answer_html)
            for q in bank.questions.select_related("section").order_by("position")
        ],
        "rubric": [
            (
                lv.key,
                lv.heading,
                lv.level,
                lv.experience,
                [(c.key, c.name, c.description) for c in lv.criteria.all()],
            )
            for lv in bank.rubric_levels.all()
        ],
    }


def export(slug: str) -> str:
    out = StringIO()
    call_command("export_bank", slug, stdout=out)
    return out.getvalue()


def test_it_round_trips_the_imported_seed(seed_bank):
    text = export(seed_bank.slug)

    report = import_bank(parse_bank(text, source="export.md"), slug="round-trip")

    assert report.created
    # Only what the importer's suggested mapping leaves uncovered; the reviewed seed covers all.
    assert all("no question covers" in w for w in report.warnings)
    assert bank_content(Bank.objects.get(slug="round-trip")) == bank_content(seed_bank)


def test_it_writes_the_series_format(seed_bank):
    text = export(seed_bank.slug)

    assert text.startswith(f"# {seed_bank.title}\n\n## Section 1: Transformer Fundamentals\n")
    assert "\n### Basic Concepts (1-3 years experience)\n\n**Q1: Why did Transformers" in text
    assert "\n**Q16: Design a Q&A bot" in text
    assert "\n### Principal/Staff Level (8+ years experience)\n" in text
    assert "\n- **Section 3:** Q13-Q19\n" in text


def test_it_reads_back_what_the_database_holds(seed_bank):
    parsed = bank_to_parsed(seed_bank)

    assert parse_bank(export_bank(parsed)) == parsed
    assert (len(parsed.sections), len(parsed.questions), len(parsed.criteria)) == (10, 45, 23)


def test_it_writes_to_a_file(seed_bank, tmp_path):
    path = tmp_path / "out.md"

    out = StringIO()
    call_command("export_bank", seed_bank.slug, "-o", str(path), stdout=out)

    assert f"Wrote {path}" in out.getvalue()
    import_bank_file(path, slug="from-file")
    assert bank_content(Bank.objects.get(slug="from-file")) == bank_content(seed_bank)


def test_it_round_trips_an_edited_bank(seed_bank):
    question = seed_bank.questions.get(key="s4-q16")
    question.prompt = "Design a Q&A bot.\nThe documentation changes daily."
    question.answer = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n# comment\n---\n```"
    question.save()

    import_bank(parse_bank(export(seed_bank.slug)), slug="edited")

    assert bank_content(Bank.objects.get(slug="edited")) == bank_content(seed_bank)


def test_it_names_an_unknown_bank():
    with pytest.raises(CommandError, match="No bank with slug 'nope'"):
        call_command("export_bank", "nope", stdout=StringIO())
