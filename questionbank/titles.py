"""How a question is named where people see it. Pure functions.

Question numbers repeat across sections (Section 4 and Section 5 both have a Q18), so a question is
named by section and number, "S4 · Q18", with a short title taken from its prompt.
"""

import re

TITLE_LENGTH = 48

_SECTION_NUMBER = re.compile(r"^\s*Section\s+(?P<n>\d+)", re.I)
_LEAD_IN = re.compile(
    r"^(explain|describe|define|compare)\s+(the\s+)?(concept|idea|notion)\s+of\s+|"
    r"^(can you\s+)?(explain|describe|define)\s+(the\s+|what\s+)?|"
    r"^what\s+(is|are)\s+(the\s+|a\s+|an\s+)?|"
    r"^how\s+(would|do|does|can)\s+you\s+|"
    r"^why\s+(do|does|did|is|are)\s+",
    re.I,
)
_SECOND_CLAUSE = re.compile(r",?\s+and\s+(?=(why|how|what|when|where|common)\b)", re.I)
_MARKUP = re.compile(r"[*_`\"“”]")


def section_number_of(section: str) -> int | None:
    """ "Section 4: RAG & System Design" -> 4; anything else -> None."""
    match = _SECTION_NUMBER.match(section or "")
    return int(match["n"]) if match else None


def question_label(section_number: int | None, number: str) -> str:
    """ "S4 · Q18"; just the number when the section is unknown."""
    number = (number or "").strip()
    if not number.upper().startswith("Q"):
        number = f"Q{number}"
    return f"S{section_number} · {number}" if section_number is not None else number


def short_title(prompt: str, length: int = TITLE_LENGTH) -> str:
    """The prompt's first clause without its lead-in, cut at a word: a name for lists and screens.

    "Explain the concept of "Speculative Decoding" for LLM inference acceleration." ->
    "Speculative Decoding for LLM inference…"
    """
    text = _MARKUP.sub("", (prompt or "").strip().split("\n")[0]).strip()
    text = re.split(r"(?<=[?.!])\s|[?:;]", text, maxsplit=1)[0].rstrip(" .?!")
    text = _SECOND_CLAUSE.split(text, maxsplit=1)[0]
    stripped = _LEAD_IN.sub("", text).strip()
    text = stripped or text
    if len(text) > length:
        cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;-–")
        text = f"{cut}…"
    return text[:1].upper() + text[1:]
