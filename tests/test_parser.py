"""The Markdown bank parser and exporter: pure functions, no database."""

import re

import pytest

from questionbank.parser import (
    BankFormatError,
    KeyPoint,
    export_bank,
    key_points,
    parse_bank,
)
from questionbank.rendering import render_key_point, render_markdown

SMALL_BANK = """\
# Tiny bank

A bank small enough to read in one go.

## Section 1: Basics

### Warm-up (1-3 years experience)

**Q1: Show a table and some code.**

**Expected Answer:**
- **Sizes:**
  - BERT base
  - GPT-2
    - small
- **Code:** see below

| Model | Params |
|-------|--------|
| BERT  | 110M   |

```python
# comment
x = 1
---
## not a section either
```

**Q2: A question nobody answered.**

---

## Section 2: More

### Q3: Heading style?

**Expected Answer:**
1. **First:** do this
2. Then that
   - with detail
"""


def make_bank(*sections: str, title: str = "# T") -> str:
    return "\n".join([title, "", *sections]) + "\n"


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


@pytest.fixture
def seed(seed_text):
    return parse_bank(seed_text, source="day6-transformers-llms.md")


def section_numbers(warnings) -> set[int]:
    return {int(m[1]) for w in warnings if (m := re.match(r"Section (\d+):", w))}


def test_it_counts_the_seed(seed):
    assert len(seed.sections) == 10
    assert len(seed.questions) == 45
    assert len(seed.rubric) == 5
    assert len(seed.criteria) == 23


def test_it_reads_the_seed_title_and_rubric_levels(seed):
    assert seed.title == "Day 6: Transformers & Large Language Models - Interview Questions"
    assert [(lv.key, lv.level, lv.experience) for lv in seed.rubric] == [
        ("junior", "Junior", "1-3 years experience"),
        ("mid", "Mid", "3-5 years experience"),
        ("senior", "Senior", "5-8 years experience"),
        ("principal", "Principal", "8+ years experience"),
        ("specialist", "", "Any Level"),
    ]


def test_it_reads_both_question_heading_styles(seed):
    questions = {q.key: q for q in seed.questions}
    assert questions["s4-q16"].prompt.startswith("Design a Q&A bot for a company's internal")
    assert questions["s5-q18"].prompt == (
        "How do you optimize LLM inference latency and cost in production?"
    )
    assert questions["s4-q16"].answer.startswith("**1. The Problem:**")
    assert questions["s1-q1"].prompt == (
        "Why did Transformers replace RNNs/LSTMs as the standard for NLP?"
    )


def test_it_gives_repeated_numbers_unique_keys(seed):
    keys = [q.key for q in seed.questions]
    assert len(set(keys)) == 45
    questions = {q.key: q for q in seed.questions}
    assert questions["s3-q16"].number == questions["s4-q16"].number == "Q16"
    assert questions["s3-q16"].prompt != questions["s4-q16"].prompt


def test_it_keeps_subsection_hints_as_written(seed):
    subsections = {q.key: q.subsection for q in seed.questions}
    assert subsections["s1-q1"] == subsections["s1-q3"] == "Basic Concepts (1-3 years experience)"
    assert (
        subsections["s1-q4"]
        == subsections["s1-q7"]
        == "Intermediate Questions (3-5 years experience)"
    )
    assert {subsections[f"s3-q{n}"] for n in range(13, 20)} == {"Scenario-Based Questions"}
    assert subsections["s2-q8"] == subsections["s4-q16"] == ""


def test_it_warns_about_the_distribution_of_sections_2_to_5_only(seed):
    assert len(seed.warnings) == 4
    assert section_numbers(seed.warnings) == {2, 3, 4, 5}
    assert "the distribution table says Q10-Q13" in next(
        w for w in seed.warnings if w.startswith("Section 3:")
    )


def test_it_keeps_a_table_and_a_code_block_in_the_answer():
    question = parse_bank(SMALL_BANK).questions[0]
    html = render_markdown(question.answer)
    assert "<table>" in html
    assert "<td>110M</td>" in html
    code = re.search(r"<pre><code[^>]*>(.*?)</code></pre>", html, re.S)[1]
    assert code.split("\n")[:4] == ["# comment", "x = 1", "---", "## not a section either"]


def test_it_renders_two_space_indented_lists_as_nested_lists():
    html = render_markdown(parse_bank(SMALL_BANK).questions[0].answer)
    assert re.search(r"<li><strong>Sizes:</strong>\s*<ul>\s*<li>BERT base</li>", html)
    assert re.search(r"<li>GPT-2\s*<ul>\s*<li>small</li>\s*</ul>", html)


def texts(answer: str) -> list[str]:
    return [p.text for p in key_points(answer)]


def test_it_takes_top_level_bullets_and_numbered_items_as_key_points():
    questions = parse_bank(SMALL_BANK).questions
    assert texts(questions[0].answer) == ["**Sizes:**", "**Code:** see below"]
    assert texts(questions[2].answer) == ["**First:** do this", "Then that"]


def test_it_keeps_a_key_points_nested_items_table_and_code_as_its_detail():
    sizes, code = key_points(parse_bank(SMALL_BANK).questions[0].answer)
    assert sizes == KeyPoint("**Sizes:**", "- BERT base\n- GPT-2\n  - small")
    assert code.detail.startswith("| Model | Params |\n|-------|--------|")
    assert code.detail.rstrip().endswith("## not a section either\n```")
    assert key_points(parse_bank(SMALL_BANK).questions[2].answer)[1].detail == "- with detail"


def test_it_ignores_list_lines_inside_code_for_key_points():
    assert texts("- real\n```\n- not a point\n```\n2. also real") == ["real", "also real"]


@pytest.mark.parametrize("bullet", ["-", "*", "+", "1."])
@pytest.mark.parametrize("indent", [2, 4])
def test_it_keeps_nested_detail_whatever_the_bullets_and_indent(bullet, indent):
    pad = " " * indent
    answer = (
        f"{bullet} **Purpose:**\n{pad}* non-linearity\n{pad}* feature processing\n"
        f"{pad}{pad}- deeper\n"
        f"{bullet} **Dimension:** 4x the model dimension\n"
    )
    purpose, dimension = key_points(answer)
    assert purpose.text == "**Purpose:**"
    assert purpose.detail == f"* non-linearity\n* feature processing\n{pad}- deeper"
    assert dimension == KeyPoint("**Dimension:** 4x the model dimension")


def test_it_gives_a_following_paragraph_table_or_code_block_to_the_point_before_it():
    answer = (
        "Intro paragraph, before any point.\n\n"
        "- **Calculation:**\n\n"
        "```python\nparams * 2  # bytes\n- not an item\n```\n\n"
        "- **Compared:**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Read the table row by row.\n"
    )
    calculation, compared = key_points(answer)
    assert calculation.detail == "```python\nparams * 2  # bytes\n- not an item\n```"
    assert compared.detail == "| a | b |\n|---|---|\n| 1 | 2 |\n\nRead the table row by row."


def test_it_ends_a_point_at_a_line_that_labels_the_next_group():
    answer = (
        "**1. The Problem:**\n- LLMs hallucinate.\n\n**Architecture:**\n"
        "- **Ingestion:**\n  - chunk\n  - embed\n"
    )
    assert key_points(answer) == [
        KeyPoint("LLMs hallucinate."),
        KeyPoint("**Ingestion:**", "- chunk\n- embed"),
    ]


def test_it_takes_the_shallowest_items_as_top_level_when_the_whole_list_is_indented():
    assert texts("  - one\n    - inner\n  - two") == ["one", "two"]


def test_it_renders_a_key_points_detail_below_its_line():
    html = render_key_point("**Purpose:**", "- non-linearity\n- features")
    assert html.startswith('<strong>Purpose:</strong><div class="point-detail"><ul>')
    assert "<li>non-linearity</li>" in html
    assert render_key_point("plain") == "plain"


def test_it_leaves_no_key_point_of_the_seed_a_bare_heading(seed_text):
    questions = parse_bank(seed_text).questions
    assert len(questions) == 45
    for question in questions:
        points = key_points(question.answer)
        assert points, question.key
        for point in points:
            bare = point.text.replace("*", "").rstrip().endswith(":") and not point.detail.strip()
            assert not bare, f"{question.key}: {point.text}"


def test_it_warns_about_a_question_without_an_expected_answer():
    bank = parse_bank(SMALL_BANK)
    question = bank.questions[1]
    assert (question.key, question.answer) == ("s1-q2", "")
    assert bank.warnings[0] == "Section 1: Q2 (line 29) has no expected answer"
    assert "no '## Evaluation Rubric'" in bank.warnings[1]


def test_it_reads_the_small_bank():
    bank = parse_bank(SMALL_BANK)
    assert bank.description == "A bank small enough to read in one go."
    assert [(s.number, s.title) for s in bank.sections] == [(1, "Basics"), (2, "More")]
    assert [q.key for q in bank.questions] == ["s1-q1", "s1-q2", "s2-q3"]
    assert bank.questions[2].subsection == ""


def test_it_keys_a_number_repeated_within_a_section_with_a_suffix():
    text = make_bank(
        "## Section 1: A",
        "**Q1: first**",
        "**Expected Answer:**",
        "- a",
        "**Q1: again**",
        "**Expected Answer:**",
        "- b",
    )
    bank = parse_bank(text)
    assert [q.key for q in bank.questions] == ["s1-q1", "s1-q1-2"]
    assert "Section 1: Q1 appears 2 times" in bank.warnings[0]


def test_it_keeps_a_round_trip_of_the_seed(seed):
    assert parse_bank(export_bank(seed)) == seed


def test_it_keeps_a_round_trip_of_the_small_bank():
    bank = parse_bank(SMALL_BANK)
    assert parse_bank(export_bank(bank)) == bank


@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["same paragraph", "new paragraph"])
def test_it_keeps_a_round_trip_of_a_prompt_over_several_lines(between):
    bank = parse_bank(
        make_bank("## Section 1: A", f"**Q1: Design a bot.**{between}Docs change daily.")
    )

    assert bank.questions[0].prompt == f"Design a bot.{between}Docs change daily."
    assert parse_bank(export_bank(bank)) == bank


MALFORMED = {
    "missing title": (
        "\n\nIntro without a title\n## Section 1: A\n",
        3,
        "expected the bank title",
    ),
    "unknown ## heading": (
        make_bank("## Section 1: A", "", "**Q1: a**", "**Expected Answer:**", "- x", "## Appendix"),
        8,
        "expected '## Section N: Title'",
    ),
    "prose before any question": (
        make_bank("## Section 1: A", "", "Some prose nobody asked for."),
        5,
        "expected a question ('**Qn: text**' or '### Qn: text')",
    ),
    "expected answer before any question": (
        make_bank("## Section 1: A", "", "**Expected Answer:**", "- x"),
        5,
        "before any question; expected a question ('**Qn: text**' or '### Qn: text') first",
    ),
    "second expected answer": (
        make_bank(
            "## Section 1: A", "**Q1: a**", "**Expected Answer:**", "- x", "**Expected Answer:**"
        ),
        7,
        "expected the next question first",
    ),
    "rubric line that is not a criterion": (
        make_bank(
            "## Section 1: A",
            "**Q1: a**",
            "## Evaluation Rubric",
            "### Junior Level (1-3 years)",
            "- **Core:** basics",
            "Good candidates shine.",
        ),
        8,
        "expected a '### Level Name (years)' heading or a '- **Criterion:** description'",
    ),
    "criterion before any level heading": (
        make_bank("## Section 1: A", "**Q1: a**", "## Evaluation Rubric", "- **Core:** basics"),
        6,
        "expected a '### Level Name (years)' before criteria",
    ),
    "duplicate section number": (
        make_bank("## Section 1: A", "**Q1: a**", "## Section 2: B", "## Section 1: C"),
        6,
        "expected unique section numbers",
    ),
    "unclosed code fence": (
        make_bank(
            "## Section 1: A",
            "**Q1: a**",
            "**Expected Answer:**",
            "```python",
            "x = 1",
            "## Section 2: B",
        ),
        6,
        "expected a closing ``` line",
    ),
}


@pytest.mark.parametrize(("text", "line", "expected"), MALFORMED.values(), ids=MALFORMED.keys())
def test_it_names_the_line_and_what_was_expected(text, line, expected):
    with pytest.raises(BankFormatError) as caught:
        parse_bank(text, source="bad.md")
    assert (caught.value.source, caught.value.line) == ("bad.md", line)
    assert expected in caught.value.message
    assert str(caught.value).startswith(f"bad.md, line {line}: ")


def test_it_rejects_an_empty_file():
    with pytest.raises(BankFormatError, match="line 1: expected the bank title"):
        parse_bank("\n\n")


def test_it_refuses_a_question_before_the_first_section_naming_its_line():
    text = "# T\n\nIntro.\n\n**Q1: Lost?**\n\n**Expected Answer:**\n- yes\n\n## Section 1: A\n"
    with pytest.raises(BankFormatError) as refused:
        parse_bank(text, source="lost.md")
    assert refused.value.line == 5
    assert "question before the first section" in str(refused.value)
    with pytest.raises(BankFormatError, match="line 3: found a question before"):
        parse_bank("# T\n\n### Q1: Lost too?\n\n## Section 1: A\n")


def test_it_warns_about_each_level_missing_from_the_rubric_naming_its_line():
    text = make_bank(
        "## Section 1: A\n\n**Q1: Why?**\n\n**Expected Answer:**\n- because\n",
    ) + ("\n## Evaluation Rubric\n\n### Junior Level (1-3 years)\n- **Basics:** knows them\n")
    warnings = parse_bank(text).warnings
    missing = [w for w in warnings if w.startswith("Rubric (line")]
    assert [w.split(": no ")[1].split(" ")[0] for w in missing] == ["Mid", "Senior", "Principal"]
    line = text.split("\n").index("### Junior Level (1-3 years)") + 1
    assert all(w.startswith(f"Rubric (line {line})") for w in missing)
