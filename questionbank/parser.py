"""Read and write question banks in the series' Markdown format. Pure functions: no ORM here.

The format, as the banks are actually written::

    # Title
    (optional description)
    ## Section N: Title
    ### Optional subsection (often carrying the experience range)
    **Qn: prompt**            or    ### Qn: prompt
    (optional extra prompt text)
    **Expected Answer:**
    Markdown up to the next question, subsection, section or ---
    ## Evaluation Rubric
    ### Level Name (years)
    - **Criterion:** description
    ## Question Distribution by Section
    - **Section N (Label):** Qa-Qb - description

Question numbers repeat across sections, so a question's identity is its key, ``s{section}-q{n}``
(with a suffix if a section repeats a number), which is stable as long as the section and number
are. The distribution table is a claim about the content, checked and reported, never trusted.
"""

import re
import textwrap
from dataclasses import dataclass, field

from django.utils.text import slugify

from questionbank.levels import NAMES as LEVEL_NAMES

_TITLE = re.compile(r"^#\s+(?P<title>\S.*?)\s*$")
_SECTION = re.compile(r"^##\s+Section\s+(?P<number>\d+)\s*[:.\-–—]\s*(?P<title>\S.*?)\s*$", re.I)
_RUBRIC = re.compile(r"^##\s+Evaluation Rubric\s*$", re.I)
_DISTRIBUTION = re.compile(r"^##\s+Question Distribution\b.*$", re.I)
_H2 = re.compile(r"^##\s")
_H3 = re.compile(r"^###\s+(?P<text>\S.*?)\s*$")
_BOLD_QUESTION = re.compile(r"^\*\*Q(?P<number>\d+)\s*[:.]\s*(?P<prompt>.+?)\s*\*\*\s*$")
_HEADING_QUESTION = re.compile(r"^###\s+Q(?P<number>\d+)\s*[:.]\s*(?P<prompt>\S.*?)\s*$")
_EXPECTED_ANSWER = re.compile(r"^\*\*Expected Answer:?\*\*:?\s*(?P<rest>.*)$", re.I)
_RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LEVEL_HEADING = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<range>[^)]*)\))?$")
_CRITERION = re.compile(r"^[-*]\s+\*\*(?P<name>[^*]+?):?\*\*:?\s*(?P<description>.*)$")
_DISTRIBUTION_ROW = re.compile(
    r"^[-*]\s+\*\*Section\s+(?P<section>\d+)\s*(?:\((?P<label>[^)]*)\))?:?\*\*:?\s*"
    r"Q(?P<first>\d+)(?:\s*[-–]\s*Q?(?P<last>\d+))?\s*(?:[-–—:]\s*(?P<description>.*))?$",
    re.I,
)
_YEARS = re.compile(r"(\d+)\s*(?:\+|-\s*(\d+))?\s*years?", re.I)
_TOP_LEVEL_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?P<text>\S.*)$")
# How a question's number is stored and exported: 'Q16'. Question.number holds 20 characters.
QUESTION_NUMBER = re.compile(r"Q\d{1,19}")

# The column sizes of questionbank.models, so that a bank that does not fit is a format error
# naming its line, not a database error (tests/test_bad_input.py checks they agree).
MAX_LENGTHS = {
    "bank title": 200,
    "section title": 200,
    "subsection": 200,
    "rubric level heading": 200,
    "experience": 100,
    "rubric level key": 100,
    "criterion name": 200,
    "criterion key": 150,
}
# Section numbers are stored as PostgreSQL integers.
MAX_SECTION_NUMBER = 2**31 - 1


# Bounds on what an import renders, so no upload costs more than a fraction of a second: the seed
# bank is 38,552 characters, its longest prompt 164 and its longest expected answer 1,121.
MAX_BANK_CHARS = 300_000
MAX_PROMPT_CHARS = 4_000
MAX_ANSWER_CHARS = 20_000


class BankFormatError(ValueError):
    """The file is not a bank: names the file, the line and what was expected there."""

    def __init__(self, source: str, line: int, message: str):
        self.source, self.line, self.message = source, line, message
        super().__init__(f"{source}, line {line}: {message}")


@dataclass(frozen=True)
class ParsedQuestion:
    key: str
    number: str
    section_number: int
    prompt: str
    answer: str
    subsection: str
    line: int = field(compare=False)


@dataclass(frozen=True)
class ParsedSection:
    number: int
    title: str
    line: int = field(compare=False)
    questions: tuple[ParsedQuestion, ...]


@dataclass(frozen=True)
class ParsedCriterion:
    key: str
    name: str
    description: str
    line: int = field(compare=False)


@dataclass(frozen=True)
class ParsedLevel:
    key: str
    heading: str
    level: str  # one of LEVEL_NAMES, or "" for an unranked group such as Specialist Areas
    experience: str
    line: int = field(compare=False)
    criteria: tuple[ParsedCriterion, ...]


@dataclass(frozen=True)
class DistributionRow:
    section_number: int
    label: str
    first: int
    last: int
    description: str
    line: int = field(compare=False)


@dataclass(frozen=True)
class ParsedBank:
    title: str
    description: str
    sections: tuple[ParsedSection, ...]
    rubric: tuple[ParsedLevel, ...]
    distribution: tuple[DistributionRow, ...]
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def questions(self) -> list[ParsedQuestion]:
        return [q for s in self.sections for q in s.questions]

    @property
    def criteria(self) -> list[ParsedCriterion]:
        return [c for level in self.rubric for c in level.criteria]


def level_of(heading: str) -> str:
    """ "Principal/Staff Level" -> "Principal"; "Specialist Areas" -> "" (unranked)."""
    words = re.split(r"[\s/]+", heading.strip().lower())
    for name in LEVEL_NAMES:
        if words and words[0] == name.lower():
            return name
    return ""


def experience_range(text: str) -> tuple[int, int | None] | None:
    """ "1-3 years experience" -> (1, 3); "8+ years" -> (8, None); no range -> None."""
    match = _YEARS.search(text)
    if not match:
        return None
    low, high = match.groups()
    return int(low), int(high) if high else None


class _Parser:
    def __init__(self, text: str, source: str):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.source = source
        self.warnings: list[str] = []
        self.title = ""
        self.description: list[str] = []
        self.sections: list[dict] = []
        self.rubric: list[dict] = []
        self.distribution: list[DistributionRow] = []
        self.mode = "start"  # start, description, section, rubric, distribution
        self.subsection = ""
        self.question: dict | None = None
        self.in_fence = False
        self.fence_line = 0

    def error(self, line: int, message: str) -> BankFormatError:
        return BankFormatError(self.source, line, message)

    def check_length(self, line: int, what: str, value: str) -> None:
        limit = MAX_LENGTHS[what]
        if len(value) > limit:
            raise self.error(
                line, f"the {what} is {len(value)} characters long; expected at most {limit}"
            )

    def parse(self) -> ParsedBank:
        for number, line in enumerate(self.lines, start=1):
            if "\x00" in line:
                raise self.error(number, "found a NUL character; expected text")
            self.feed(number, line)
        if self.in_fence:
            raise self.error(
                self.fence_line,
                "a code fence (```) opened here is never closed; expected a closing ``` line",
            )
        self.end_question()
        if not self.title:
            raise self.error(1, "expected the bank title ('# Title'), found an empty file")
        if not self.sections:
            raise self.error(len(self.lines), "expected at least one '## Section N: Title'")
        sections = tuple(self.build_section(s) for s in self.sections)
        rubric = tuple(self.build_level(level) for level in self.rubric)
        self.check_keys(sections, rubric)
        self.check_levels(rubric)
        self.check_distribution(sections)
        return ParsedBank(
            title=self.title,
            description="\n".join(self.description).strip(),
            sections=sections,
            rubric=rubric,
            distribution=tuple(self.distribution),
            warnings=tuple(self.warnings),
        )

    def feed(self, number: int, line: int) -> None:
        if (
            self.question is not None
            and self.question["answer_line"]
            and self.in_answer(number, line)
        ):
            self.question["answer"].append(line)
            return
        stripped = line.strip()
        if self.mode == "start":
            if not stripped:
                return
            match = _TITLE.match(line)
            if not match:
                raise self.error(number, "expected the bank title ('# Title') on the first line")
            self.check_length(number, "bank title", match["title"])
            self.title, self.mode = match["title"], "description"
            return
        if _H2.match(line):
            self.start_part(number, line)
        elif self.mode == "description":
            if _BOLD_QUESTION.match(line) or _HEADING_QUESTION.match(line):
                raise self.error(
                    number,
                    "found a question before the first section; expected a "
                    "'## Section N: Title' heading above it",
                )
            self.description.append(line)
        elif self.mode == "section":
            self.feed_section(number, line)
        elif self.mode == "rubric":
            self.feed_rubric(number, line)
        elif self.mode == "distribution":
            self.feed_distribution(number, line)

    def in_answer(self, number: int, line: str) -> bool:
        """Whether a line still belongs to the expected answer being read."""
        if _FENCE.match(line):
            self.in_fence = not self.in_fence
            self.fence_line = number
            return True
        if self.in_fence:
            return True
        if _H2.match(line) or _H3.match(line) or _RULE.match(line):
            return False
        # A second "Expected Answer" usually means a question line is missing: say so, don't merge.
        if _EXPECTED_ANSWER.match(line.strip()):
            return False
        return not (_BOLD_QUESTION.match(line) or _HEADING_QUESTION.match(line))

    def start_part(self, number: int, line: str) -> None:
        self.end_question()
        self.subsection = ""
        if match := _SECTION.match(line):
            if int(match["number"]) > MAX_SECTION_NUMBER:
                raise self.error(
                    number,
                    f"the section number is too large; expected at most {MAX_SECTION_NUMBER}",
                )
            self.check_length(number, "section title", match["title"])
            self.mode = "section"
            self.sections.append(
                {"number": int(match["number"]), "title": match["title"], "line": number, "q": []}
            )
        elif _RUBRIC.match(line):
            self.mode = "rubric"
        elif _DISTRIBUTION.match(line):
            self.mode = "distribution"
        else:
            raise self.error(
                number,
                "expected '## Section N: Title', '## Evaluation Rubric' or "
                f"'## Question Distribution by Section', found {line.strip()!r}",
            )

    def feed_section(self, number: int, line: str) -> None:
        stripped = line.strip()
        match = _BOLD_QUESTION.match(line) or _HEADING_QUESTION.match(line)
        if match:
            if not QUESTION_NUMBER.fullmatch(f"Q{int(match['number'])}"):
                raise self.error(
                    number, "the question number is too long; expected at most 19 digits"
                )
            self.end_question()
            self.question = {
                "number": int(match["number"]),
                "prompt": [match["prompt"]],
                "answer": [],
                "answer_line": 0,
                "line": number,
                "subsection": self.subsection,
            }
        elif heading := _H3.match(line):
            self.check_length(number, "subsection", heading["text"])
            self.end_question()
            self.subsection = heading["text"]
        elif expected := _EXPECTED_ANSWER.match(stripped):
            if self.question is None:
                raise self.error(
                    number,
                    "found '**Expected Answer:**' before any question; expected a question "
                    "('**Qn: text**' or '### Qn: text') first",
                )
            if self.question["answer_line"]:
                raise self.error(
                    number,
                    "found a second '**Expected Answer:**' for one question; expected the next "
                    "question first",
                )
            self.question["answer_line"] = number
            if expected["rest"]:
                self.question["answer"].append(expected["rest"])
        elif _RULE.match(line):
            self.end_question()
        elif not stripped:
            if self.question is not None:
                self.question["prompt"].append("")
        elif self.question is None:
            raise self.error(
                number,
                "expected a question ('**Qn: text**' or '### Qn: text') or a '### Subsection', "
                f"found {stripped[:60]!r}",
            )
        else:
            self.question["prompt"].append(line)

    def end_question(self) -> None:
        question, self.question = self.question, None
        self.in_fence = False
        if question is None:
            return
        section = self.sections[-1]
        answer = "\n".join(question["answer"]).strip("\n")
        if not answer.strip():
            self.warnings.append(
                f"Section {section['number']}: Q{question['number']} (line {question['line']}) "
                "has no expected answer"
            )
        question["answer"] = answer
        question["prompt"] = "\n".join(question["prompt"]).strip()
        for part, limit in (("prompt", MAX_PROMPT_CHARS), ("answer", MAX_ANSWER_CHARS)):
            if len(question[part]) > limit:
                raise self.error(
                    question["line"],
                    f"Q{question['number']}'s {'expected answer' if part == 'answer' else part} "
                    f"has {len(question[part]):,} characters; the limit is {limit:,}",
                )
        section["q"].append(question)

    def feed_rubric(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped or _RULE.match(line):
            return
        if heading := _H3.match(line):
            match = _LEVEL_HEADING.match(heading["text"])
            self.check_length(number, "rubric level heading", match["name"].strip())
            self.check_length(number, "experience", (match["range"] or "").strip())
            self.rubric.append(
                {
                    "heading": match["name"].strip(),
                    "experience": (match["range"] or "").strip(),
                    "line": number,
                    "criteria": [],
                }
            )
        elif criterion := _CRITERION.match(stripped):
            if not self.rubric:
                raise self.error(number, "expected a '### Level Name (years)' before criteria")
            self.check_length(number, "criterion name", criterion["name"].strip())
            self.rubric[-1]["criteria"].append(
                {
                    "name": criterion["name"].strip(),
                    "description": criterion["description"].strip(),
                    "line": number,
                }
            )
        else:
            raise self.error(
                number,
                "expected a '### Level Name (years)' heading or a '- **Criterion:** description' "
                f"bullet in the rubric, found {stripped[:60]!r}",
            )

    def feed_distribution(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped or _RULE.match(line):
            return
        match = _DISTRIBUTION_ROW.match(stripped)
        if not match:
            self.warnings.append(
                f"Line {number}: could not read this distribution row, so it was not checked "
                "(expected '- **Section N (Label):** Qa-Qb - description')"
            )
            return
        self.distribution.append(
            DistributionRow(
                section_number=int(match["section"]),
                label=(match["label"] or "").strip(),
                first=int(match["first"]),
                last=int(match["last"] or match["first"]),
                description=(match["description"] or "").strip(),
                line=number,
            )
        )

    def build_section(self, section: dict) -> ParsedSection:
        seen: dict[str, int] = {}
        questions = []
        for q in section["q"]:
            key = f"s{section['number']}-q{q['number']}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                self.warnings.append(
                    f"Section {section['number']}: Q{q['number']} appears {seen[key]} times "
                    f"(line {q['line']}); keyed as {key}-{seen[key]}"
                )
                key = f"{key}-{seen[key]}"
            questions.append(
                ParsedQuestion(
                    key=key,
                    number=f"Q{q['number']}",
                    section_number=section["number"],
                    prompt=q["prompt"],
                    answer=q["answer"],
                    subsection=q["subsection"],
                    line=q["line"],
                )
            )
        if not questions:
            self.warnings.append(f"Section {section['number']}: has no questions")
        return ParsedSection(
            number=section["number"],
            title=section["title"],
            line=section["line"],
            questions=tuple(questions),
        )

    def build_level(self, level: dict) -> ParsedLevel:
        rank = level_of(level["heading"])
        prefix = (rank or level["heading"].split()[0]).lower()
        if not level["criteria"]:
            raise self.error(level["line"], "expected at least one '- **Criterion:** description'")
        self.check_length(level["line"], "rubric level key", slugify(prefix))
        for c in level["criteria"]:
            self.check_length(c["line"], "criterion key", slugify(f"{prefix} {c['name']}"))
        return ParsedLevel(
            key=slugify(prefix),
            heading=level["heading"],
            level=rank,
            experience=level["experience"],
            line=level["line"],
            criteria=tuple(
                ParsedCriterion(
                    key=slugify(f"{prefix} {c['name']}"),
                    name=c["name"],
                    description=c["description"],
                    line=c["line"],
                )
                for c in level["criteria"]
            ),
        )

    def check_keys(self, sections: tuple[ParsedSection, ...], rubric: tuple[ParsedLevel, ...]):
        numbers: dict[int, int] = {}
        for section in sections:
            if section.number in numbers:
                raise self.error(
                    section.line,
                    f"Section {section.number} appears twice (first on line "
                    f"{numbers[section.number]}); expected unique section numbers",
                )
            numbers[section.number] = section.line
        for kind, items in (
            ("rubric level", rubric),
            ("criterion", [c for lv in rubric for c in lv.criteria]),
        ):
            lines: dict[str, int] = {}
            for item in items:
                if item.key in lines:
                    raise self.error(
                        item.line,
                        f"this {kind} has the same key {item.key!r} as the one on line "
                        f"{lines[item.key]}; expected unique names",
                    )
                lines[item.key] = item.line
        ranks = [lv.level for lv in rubric if lv.level]
        if len(ranks) != len(set(ranks)):
            raise self.error(rubric[-1].line, f"expected each of {', '.join(LEVEL_NAMES)} once")

    def check_levels(self, rubric: tuple[ParsedLevel, ...]) -> None:
        """A level missing from the rubric cannot be planned for or summarised: say so now."""
        if not rubric:
            self.warnings.append(
                "The bank has no '## Evaluation Rubric': no interview can be planned or "
                "summarised until it has one"
            )
            return
        ranked = {lv.level for lv in rubric if lv.level}
        for name in LEVEL_NAMES:
            if name not in ranked:
                self.warnings.append(
                    f"Rubric (line {rubric[0].line}): no {name} level, so no {name} interview "
                    "can be planned or summarised with this bank"
                )

    def check_distribution(self, sections: tuple[ParsedSection, ...]) -> None:
        if not self.distribution:
            return
        by_number = {s.number: s for s in sections}
        listed = set()
        for row in self.distribution:
            listed.add(row.section_number)
            section = by_number.get(row.section_number)
            claimed = f"Q{row.first}-Q{row.last}"
            if section is None:
                self.warnings.append(
                    f"Section {row.section_number}: the distribution table lists {claimed} "
                    "but the bank has no such section"
                )
                continue
            numbers = [int(q.number[1:]) for q in section.questions]
            actual = f"Q{numbers[0]}-Q{numbers[-1]}" if numbers else "no questions"
            expected = list(range(row.first, row.last + 1))
            if numbers != expected:
                self.warnings.append(
                    f"Section {row.section_number}: the distribution table says {claimed} "
                    f"({len(expected)} questions) but the section has {actual} "
                    f"({len(numbers)} questions)"
                )
        for section in sections:
            if section.number not in listed:
                self.warnings.append(
                    f"Section {section.number}: missing from the distribution table"
                )


def parse_bank(text: str, source: str = "<bank>") -> ParsedBank:
    """Parse a bank's Markdown. Raises BankFormatError naming the line on malformed input."""
    if len(text) > MAX_BANK_CHARS:
        raise BankFormatError(
            source, 1, f"the bank has {len(text):,} characters; the limit is {MAX_BANK_CHARS:,}"
        )
    return _Parser(text, source).parse()


@dataclass(frozen=True)
class KeyPoint:
    """One thing an interviewer ticks: a top-level item of the expected answer, with its detail."""

    text: str  # the item's first line, Markdown
    detail: str = ""  # its nested items, continuation lines and following blocks, Markdown


_INDENT = re.compile(r"^[ \t]*")
_GROUP_BREAK = re.compile(r"^(\*\*[^*]+\*\*:?|__[^_]+__:?|#{1,6}\s.*)\s*$")
_ANY_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])\s+\S")


def _indent(line: str) -> int:
    return len(_INDENT.match(line)[0].expandtabs(4))


def key_points(answer: str) -> list[KeyPoint]:
    """The top-level list items of an expected answer, each with the detail that belongs to it.

    A point carries what follows it up to the next top-level item: nested items (two- or
    four-space indents, bullets or numbers), indented continuation, and paragraphs, tables or
    code blocks written straight after it. A line that is a heading of its own (a whole-line
    bold label such as "**Architecture:**", or a Markdown heading) ends the point, so a group
    label is never taken as a point's detail. Lists inside code fences are not items.
    """
    lines = answer.split("\n")
    in_fence, fenced = False, []
    for line in lines:
        fence = bool(_FENCE.match(line))
        fenced.append(in_fence or fence)
        if fence:
            in_fence = not in_fence
    items = [i for i, line in enumerate(lines) if not fenced[i] and _ANY_ITEM.match(line)]
    if not items:
        return []
    base = min(_indent(lines[i]) for i in items)
    points: list[KeyPoint] = []
    current: dict | None = None

    def close():
        if current is not None:
            nested = textwrap.dedent("\n".join(current["nested"])).strip("\n")
            following = "\n".join(current["following"]).strip("\n")
            detail = "\n\n".join(part for part in (nested, following) if part.strip())
            points.append(KeyPoint(text=current["text"], detail=detail))

    for i, line in enumerate(lines):
        indent = _indent(line)
        if not fenced[i] and indent == base and (match := _TOP_LEVEL_ITEM.match(line.strip())):
            close()
            current = {"text": match["text"].strip(), "nested": [], "following": []}
        elif not fenced[i] and indent <= base and _GROUP_BREAK.match(line.strip()):
            close()
            current = None
        elif current is None:
            continue
        elif not line.strip():
            current["following" if current["following"] else "nested"].append("")
        elif indent > base and not current["following"]:
            current["nested"].append(line)
        else:
            current["following"].append(line)
    close()
    return points


def export_bank(bank: ParsedBank) -> str:
    """Write a bank back in the series format; parse_bank(export_bank(b)) gives b's content."""
    out = [f"# {bank.title}", ""]
    if bank.description:
        out += [bank.description, ""]
    for index, section in enumerate(bank.sections):
        if index:
            out += ["---", ""]
        out += [f"## Section {section.number}: {section.title}", ""]
        subsection = ""
        for q in section.questions:
            if q.subsection and q.subsection != subsection:
                subsection = q.subsection
                out += [f"### {subsection}", ""]
            first, _, rest = q.prompt.partition("\n")
            out += [f"**{q.number}: {first}**"]
            if rest.strip():
                # As written: a blank line after the bold line starts a new paragraph, none does not.
                out += rest.split("\n")
            out += [""]
            if q.answer.strip():
                out += ["**Expected Answer:**", q.answer, ""]
    if bank.rubric:
        out += ["---", "", "## Evaluation Rubric", ""]
        for level in bank.rubric:
            heading = f"{level.heading} ({level.experience})" if level.experience else level.heading
            out += [f"### {heading}"]
            out += [f"- **{c.name}:** {c.description}" for c in level.criteria]
            out += [""]
    if bank.distribution:
        out += ["---", "", "## Question Distribution by Section", ""]
        for row in bank.distribution:
            label = f" ({row.label})" if row.label else ""
            description = f" - {row.description}" if row.description else ""
            out += [
                f"- **Section {row.section_number}{label}:** Q{row.first}-Q{row.last}{description}"
            ]
    return "\n".join(out).rstrip("\n") + "\n"
