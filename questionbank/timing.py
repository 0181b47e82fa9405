"""How long a question takes in an interview. Pure functions, no ORM.

The time model, in the order it applies:

1. A **measured** time wins once a question has been timed in at least `MIN_TIMED` interviews
   (the live view adds up the seconds spent on each question): the median, in whole minutes.
2. Otherwise the **editor's** minutes, when an editor set them (admin or reviewed mapping).
3. Otherwise the **model's estimate** from the text:
   - design and scenario questions ("Design…", "You need to…", "Your system…", "How would you
     design/architect…", or a subsection that says scenario/design): at least 10 minutes, 10 plus
     one minute per 40 words of expected answer beyond 80, at most 20;
   - definitions ("What is…", "Explain…", "Why…", "Compare…"…): 3 to 6 minutes, 3 plus one per
     50 words of expected answer beyond 40;
   - anything else (calculations, how-do-you questions): 4 to 10 minutes, by the same length rule.
"""

import math
import re
from collections.abc import Sequence
from statistics import median

MIN_TIMED = 5
DESIGN_MINUTES = (10, 20)
DEFINITION_MINUTES = (3, 6)
OTHER_MINUTES = (4, 10)

DESIGN, DEFINITION, OTHER = "design", "definition", "other"
KIND_LABELS = {DESIGN: "design or scenario", DEFINITION: "definition", OTHER: "discussion"}

_DESIGN_PROMPT = re.compile(
    r"^\s*(design|architect|you need|you are|you're|your\b|imagine|suppose|"
    r"how would you (design|architect|build|implement|evaluate|scale))",
    re.I,
)
_DESIGN_SUBSECTION = re.compile(r"\b(scenario|design|case stud)", re.I)
_DEFINITION_PROMPT = re.compile(
    r"^\s*(what (is|are)|what's|explain|define|describe|why|compare|"
    r"what happens|what does|how does|how do .* work|what were)\b",
    re.I,
)


def kind_of(prompt: str, subsection: str = "") -> str:
    """ "design", "definition" or "other", from the prompt's opening words and the subsection."""
    if _DESIGN_PROMPT.match(prompt) or (
        _DESIGN_SUBSECTION.search(subsection) and not _DEFINITION_PROMPT.match(prompt)
    ):
        return DESIGN
    if _DEFINITION_PROMPT.match(prompt):
        return DEFINITION
    return OTHER


def estimate_minutes(prompt: str, answer: str, subsection: str = "") -> int:
    """The model's estimate (rule 3 above): the kind of question sets the range, length the place."""
    words = len(answer.split())
    kind = kind_of(prompt, subsection)
    if kind == DESIGN:
        low, high = DESIGN_MINUTES
        minutes = low + max(0, words - 80) // 40
    else:
        low, high = DEFINITION_MINUTES if kind == DEFINITION else OTHER_MINUTES
        minutes = low + max(0, words - 40) // 50
    return max(low, min(minutes, high))


def measured_minutes(seconds: Sequence[int]) -> int | None:
    """The median of the recorded times in whole minutes (at least 1), or None below MIN_TIMED.

    Only times above zero count: a question shown for no time at all was skipped, not timed.
    """
    timed = [s for s in seconds if s > 0]
    if len(timed) < MIN_TIMED:
        return None
    return max(1, math.floor(median(timed) / 60 + 0.5))


def planned_minutes(minutes: int, measured: int | None) -> int:
    """The minutes a plan counts for a question: measured when known (rule 1), else its minutes."""
    return measured if measured is not None else minutes
