"""Propose a level and rubric criteria for a question from the bank's own rubric. Pure functions.

Banks state a level only for some questions (a subsection such as "Basic Concepts (1-3 years
experience)"). For the rest the importer suggests one: the criteria whose descriptions share the
most distinctive words with the question, prompt weighted over answer, with the section title as a
hint. A suggestion is marked as such until an editor reviews it.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from questionbank.parser import ParsedLevel, ParsedQuestion, experience_range

_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "and",
        "any",
        "are",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "can",
        "could",
        "did",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "into",
        "its",
        "itself",
        "just",
        "knowledge",
        "know",
        "knows",
        "level",
        "more",
        "most",
        "not",
        "now",
        "off",
        "once",
        "only",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "understands",
        "understanding",
        "familiar",
        "can",
        "explain",
        "basic",
        "deep",
        "different",
        "various",
        "latest",
        "using",
        "use",
        "used",
        "make",
        "model",
        "models",
        "llm",
        "llms",
    ]
)


@dataclass(frozen=True)
class Suggestion:
    level: str  # a ranked level name ("Junior"…"Principal")
    criteria: tuple[str, ...]  # criterion keys, best first
    stated: bool  # the bank itself states the level (a subsection with a years range)


def words(text: str) -> list[str]:
    """Lower-case content words with a crude plural strip, enough to match 'encodings' to 'encoding'."""
    found = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        found.append(word)
    return found


def stated_level(subsection: str, rubric: tuple[ParsedLevel, ...]) -> str:
    """The ranked level whose experience range the subsection names, or ''."""
    wanted = experience_range(subsection)
    if wanted is None:
        return ""
    for level in rubric:
        if level.level and experience_range(level.experience) == wanted:
            return level.level
    return ""


def suggest(
    question: ParsedQuestion, section_title: str, rubric: tuple[ParsedLevel, ...]
) -> Suggestion:
    ranked = [level for level in rubric if level.level]
    if not ranked:
        return Suggestion(level="Mid", criteria=(), stated=False)
    criteria = [(level, c) for level in rubric for c in level.criteria]
    vocabulary = {c.key: set(words(f"{c.name} {c.description}")) for _, c in criteria}
    document_frequency = Counter(w for ws in vocabulary.values() for w in ws)
    idf = {w: math.log(1 + len(criteria) / n) for w, n in document_frequency.items()}

    text = Counter(words(question.answer))
    for word in words(question.prompt):
        text[word] += 3
    for word in words(section_title):
        text[word] += 2

    def score(key: str) -> float:
        return sum(idf[w] * math.log(1 + text[w]) for w in vocabulary[key] if w in text)

    scores = {c.key: score(c.key) for _, c in criteria}
    best = sorted(criteria, key=lambda lc: (-scores[lc[1].key], lc[1].line))
    level = stated_level(question.subsection, rubric)
    if not level:
        level = next(lv.level for lv, c in best if lv.level)
    own = next(c for lv, c in best if lv.level == level)
    chosen = [own.key]
    top = scores[best[0][1].key]
    for _, c in best:
        if len(chosen) == 3 or scores[c.key] < max(top * 0.6, 0.01):
            break
        if c.key not in chosen:
            chosen.append(c.key)
    return Suggestion(
        level=level, criteria=tuple(chosen), stated=bool(stated_level(question.subsection, rubric))
    )
