"""Pick an interview plan from a bank. Pure and deterministic: same inputs and seed, same plan.

The rules, in order (the plan page shows them in these words, from `RULES`):

1. **A buffer comes off the top** for the introduction and the candidate's own questions: at least
   `buffer_share` of the duration (10 % unless settings.INTERVIEW_PLAN_BUFFER says more), rounded up.
   Questions are planned into what is left, the *budget*.
2. **Never a question two levels away** from the target: only the target level, the level below
   (baseline) and the level above (stretch) are considered. Questions the candidate already had
   and questions without a time are never offered.
3. **No two questions that ask the same thing**: two questions of one section whose criteria
   overlap on more than half of the smaller set, or whose prompts share more than half their
   content words, are never planned together.
4. **Cover every criterion of the target level first**, with target-level questions; while
   choosing, the planner keeps back enough minutes for the cheapest target-level question of every
   criterion still uncovered (and for one baseline and one stretch when all of it fits), so if the
   cheapest target-level covers fit the budget together, every criterion they can cover is
   covered. A criterion no target-level question can cover is then covered from the level below or
   above, within rules 5 and 6.
5. **At most one baseline question and at most two stretch questions**: one of each is added when
   it fits, so the summary can place the candidate; a second stretch only when nothing at the
   target level fits any more.
6. **The target level carries most of the time**: questions below or above never take more than
   half the budget, and while they still outweigh the target-level minutes, one that coverage
   does not need is dropped whenever target-level questions can take its place.
7. A question for each chosen **specialist area**, within the rules above: the interviewer asked
   for it, so its minutes are kept back during rule 4 with the baseline's and stretch's, and it is
   chosen before them.
8. **Fill the budget with target-level questions**, the least asked first, then balancing
   sections.

Throughout, the least-asked questions win (exposure balancing) and remaining ties are broken by a
seeded shuffle. Criteria left uncovered are reported with the reason (`Plan.left_out`). The plan is
ordered from warm-up to hardest.
"""

import functools
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from questionbank.levels import Level

DEFAULT_BUFFER_SHARE = 0.10
MAX_BASELINE = 1
MAX_STRETCH = 2

RULES = (
    "A buffer of at least {buffer_percent} % of the duration is kept for the introduction and the "
    "candidate's own questions.",
    "Only questions at the target level, one level below (baseline) or one above (stretch); never "
    "two levels away, never a question the candidate already had.",
    "No two questions that ask the same thing: same section with overlapping criteria, or a "
    "near-duplicate prompt.",
    "Every criterion of the target level is covered first, with target-level questions where the "
    "bank has them; any left out are listed with the reason.",
    "At most one baseline question and at most two stretch questions.",
    "The target level carries at least half of the planned minutes when the bank has the "
    "questions; questions below or above never take more than half the time.",
    "A question for each chosen specialist area, its time kept back while covering the target "
    "level.",
    "The rest of the time goes to target-level questions, balancing sections; the least-asked "
    "questions are preferred.",
)


@dataclass(frozen=True)
class PlannerQuestion:
    """A bank question as the planner sees it (not to be confused with a candidate, a person)."""

    id: int
    level: int
    minutes: int
    criteria: frozenset[str]
    section: int
    times_asked: int = 0
    prompt: str = ""


@dataclass(frozen=True)
class PlanRequest:
    target_level: int
    minutes: int
    target_criteria: tuple[str, ...]
    specialist_criteria: tuple[str, ...] = ()
    already_asked: frozenset[int] = frozenset()
    seed: int = 0
    buffer_share: float = DEFAULT_BUFFER_SHARE

    @property
    def buffer_minutes(self) -> int:
        return min(self.minutes, math.ceil(self.minutes * self.buffer_share - 1e-9))

    @property
    def budget(self) -> int:
        return self.minutes - self.buffer_minutes


@dataclass(frozen=True)
class LeftOut:
    """A target criterion the plan does not cover, and why."""

    criterion: str
    reason: str


@dataclass(frozen=True)
class Plan:
    ids: tuple[int, ...]
    duration: int
    buffer_minutes: int
    planned_minutes: int
    target_minutes: int
    left_out: tuple[LeftOut, ...] = field(default=())

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        return cls(
            **{
                **data,
                "ids": tuple(data["ids"]),
                "left_out": tuple(LeftOut(**x) for x in data["left_out"]),
            }
        )


_WORD = re.compile(r"[a-z][a-z0-9\-]+")
_COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "what",
        "how",
        "why",
        "when",
        "which",
        "your",
        "you",
        "are",
        "does",
        "from",
        "into",
        "their",
        "there",
        "have",
        "has",
        "its",
        "can",
        "would",
        "could",
        "should",
        "will",
        "about",
        "between",
        "using",
        "use",
        "used",
        "explain",
        "describe",
        "design",
        "build",
        "implement",
        "system",
        "model",
        "models",
        "llm",
        "llms",
        "key",
    ]
)


@functools.lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _COMMON)


def near_duplicate(a: str, b: str) -> bool:
    """Prompts sharing more than half of the smaller prompt's content words (at least three)."""
    wa, wb = content_words(a), content_words(b)
    if min(len(wa), len(wb)) < 3:
        return False
    return len(wa & wb) * 2 > min(len(wa), len(wb))


def same_thing(a: PlannerQuestion, b: PlannerQuestion) -> bool:
    """Rule 3: whether two questions ask the same thing."""
    shared = len(a.criteria & b.criteria)
    if a.section == b.section and shared and shared * 2 > min(len(a.criteria), len(b.criteria)):
        return True
    return near_duplicate(a.prompt, b.prompt)


class _Planner:
    def __init__(self, questions: Iterable[PlannerQuestion], request: PlanRequest):
        self.request = request
        target = request.target_level
        pool = sorted(
            (
                q
                for q in questions
                if q.id not in request.already_asked
                and q.minutes > 0
                and abs(q.level - target) <= 1
            ),
            key=lambda q: q.id,
        )
        rng = random.Random(request.seed)  # noqa: S311 (a seeded tie-break, not a secret)
        self.tiebreak = {q.id: rng.random() for q in pool}
        self.pool = pool
        self.chosen: list[PlannerQuestion] = []
        self.chosen_ids: set[int] = set()
        self.remaining = request.budget

    # What may be taken ----------------------------------------------------------------------------

    def conflicts(self, q: PlannerQuestion) -> bool:
        return any(same_thing(q, other) for other in self.chosen)

    def off_target_minutes(self) -> int:
        return sum(q.minutes for q in self.chosen if q.level != self.request.target_level)

    def level_room(self, q: PlannerQuestion, stretch_cap: int = MAX_STRETCH) -> bool:
        """Rules 5 and 6: the caps on baseline and stretch questions and on their minutes."""
        target = self.request.target_level
        if q.level == target:
            return True
        same = sum(1 for x in self.chosen if x.level == q.level)
        cap = MAX_BASELINE if q.level < target else stretch_cap
        return same < cap and self.off_target_minutes() + q.minutes <= self.request.budget // 2

    def admissible(self, q: PlannerQuestion, stretch_cap: int = MAX_STRETCH) -> bool:
        return (
            q.id not in self.chosen_ids
            and q.minutes <= self.remaining
            and self.level_room(q, stretch_cap)
            and not self.conflicts(q)
        )

    def available(self) -> list[PlannerQuestion]:
        return [q for q in self.pool if q.id not in self.chosen_ids]

    def preference(self, q: PlannerQuestion) -> tuple:
        """Lower is better: least asked first, then the seeded shuffle."""
        return (q.times_asked, self.tiebreak[q.id])

    def take(self, q: PlannerQuestion) -> None:
        self.chosen.append(q)
        self.chosen_ids.add(q.id)
        self.remaining -= q.minutes

    def drop(self, q: PlannerQuestion) -> None:
        self.chosen.remove(q)
        self.chosen_ids.discard(q.id)
        self.remaining += q.minutes

    @staticmethod
    def cheapest(candidates: Iterable[PlannerQuestion]) -> int | None:
        return min((q.minutes for q in candidates), default=None)

    def level_pool(self, level: int) -> list[PlannerQuestion]:
        return [q for q in self.available() if q.level == level]

    # Rule 4: coverage ------------------------------------------------------------------------------

    def coverage_reserve(self, uncovered: set[str], available: list[PlannerQuestion]) -> int:
        """Minutes needed to cover each uncovered criterion with its own cheapest question."""
        return sum(
            self.cheapest(q for q in available if criterion in q.criteria) or 0
            for criterion in uncovered
        )

    def covered(self) -> set[str]:
        return set().union(*(q.criteria for q in self.chosen))

    def cover_at_target(self) -> None:
        request, target = self.request, self.request.target_level
        uncovered = set(request.target_criteria)
        extras = [self.cheapest(self.level_pool(level)) for level in (target - 1, target + 1)]
        extras += [
            self.cheapest(q for q in self.pool if area in q.criteria)
            for area in request.specialist_criteria
            if area not in request.target_criteria
        ]
        extras_reserve = sum(m for m in extras if m is not None)
        at_target = [q for q in self.pool if q.level == target]
        if self.coverage_reserve(uncovered, at_target) + extras_reserve > self.remaining:
            extras_reserve = 0
        for criterion in request.target_criteria:
            if criterion not in uncovered:
                continue
            available = [q for q in self.level_pool(target) if not self.conflicts(q)]
            options = []
            for q in available:
                if criterion not in q.criteria:
                    continue
                rest = [a for a in available if a.id != q.id and not same_thing(a, q)]
                reserve = self.coverage_reserve(uncovered - q.criteria, rest)
                if q.minutes + reserve + extras_reserve <= self.remaining:
                    options.append(q)
            if not options:
                continue
            # The least asked first, so candidates in a loop get different questions; then the
            # question covering the most criteria still uncovered.
            best = min(
                options,
                key=lambda q: (q.times_asked, -len(uncovered & q.criteria), self.tiebreak[q.id]),
            )
            self.take(best)
            uncovered -= best.criteria

    def cover_nearby(self) -> None:
        """Criteria no target-level question covered: from the level below or above (rule 4)."""
        target = self.request.target_level
        for criterion in self.request.target_criteria:
            if criterion in self.covered():
                continue
            options = [
                q for q in self.available() if criterion in q.criteria and self.admissible(q)
            ]
            if options:
                self.take(
                    min(
                        options,
                        key=lambda q: (
                            -len(set(self.request.target_criteria) & q.criteria - self.covered()),
                            q.level > target,
                            *self.preference(q),
                        ),
                    )
                )

    # Rules 5-8 -------------------------------------------------------------------------------------

    def add_one(
        self,
        candidates: Sequence[PlannerQuestion],
        stretch_cap: int = MAX_STRETCH,
        balanced: bool = False,
    ):
        """Take the preferred admissible candidate; `balanced` also keeps rule 6's share."""
        fitting = [
            q
            for q in candidates
            if self.admissible(q, stretch_cap) and not (balanced and self.tips_balance(q))
        ]
        if fitting:
            self.take(min(fitting, key=self.preference))

    def tips_balance(self, q: PlannerQuestion) -> bool:
        """Whether taking q would leave the target level with less time than the others."""
        if q.level == self.request.target_level:
            return False
        return self.off_target_minutes() + q.minutes > self.target_minutes()

    def add_baseline_and_stretch(self, balanced: bool = False) -> None:
        target = self.request.target_level
        missing = [
            level
            for level in (target - 1, target + 1)
            if not any(q.level == level for q in self.chosen)
        ]
        for index, level in enumerate(missing):
            # The baseline must not spend the minutes that were kept back for the stretch.
            later = sum(self.cheapest(self.level_pool(lv)) or 0 for lv in missing[index + 1 :])
            pool = self.level_pool(level)
            options = [q for q in pool if q.minutes + later <= self.remaining] or pool
            self.add_one(options, 1, balanced)

    def add_specialists(self, balanced: bool = False) -> None:
        for criterion in self.request.specialist_criteria:
            if criterion not in self.covered():
                options = [q for q in self.available() if criterion in q.criteria]
                self.add_one(options, MAX_STRETCH, balanced)

    def fill(self, levels: set[int]) -> None:
        while True:
            fitting = [q for q in self.available() if q.level in levels and self.admissible(q)]
            if not fitting:
                return
            sections = Counter(q.section for q in self.chosen)
            self.take(
                min(
                    fitting,
                    key=lambda q: (q.times_asked, sections[q.section], self.tiebreak[q.id]),
                )
            )

    def needed_for_coverage(self, q: PlannerQuestion) -> bool:
        """Whether q is the only planned question covering some target criterion."""
        others = set().union(*(x.criteria for x in self.chosen if x is not q))
        return any(c in q.criteria and c not in others for c in self.request.target_criteria)

    def target_minutes(self) -> int:
        return sum(q.minutes for q in self.chosen if q.level == self.request.target_level)

    def rebalance(self) -> None:
        """Rule 6: while off-target questions outweigh the target level, drop one that coverage
        does not need, if target-level questions can take its place."""
        target = self.request.target_level
        while self.off_target_minutes() > self.target_minutes():
            removable = sorted(
                (q for q in self.chosen if q.level != target and not self.needed_for_coverage(q)),
                # The second stretch first, then the longest.
                key=lambda q: (q.level < target, -q.minutes, q.id),
            )
            for q in removable:
                before = list(self.chosen)
                self.drop(q)
                self.fill({target})
                if self.target_minutes() > sum(x.minutes for x in before if x.level == target):
                    break
                for x in list(self.chosen):
                    self.drop(x)
                for x in before:
                    self.take(x)
            else:
                return

    def plan(self) -> list[int]:
        target = self.request.target_level
        self.cover_at_target()
        self.cover_nearby()
        self.add_specialists()
        self.add_baseline_and_stretch()
        self.fill({target})
        self.fill({target + 1})  # a second stretch only once nothing at the target level fits
        self.rebalance()
        # What rebalancing made room for, without tipping the balance again.
        self.add_baseline_and_stretch(balanced=True)
        self.add_specialists(balanced=True)
        order = {q.id: index for index, q in enumerate(self.pool)}
        warm_up_first = sorted(self.chosen, key=lambda q: (q.level, q.minutes, order[q.id]))
        return [q.id for q in warm_up_first]

    def left_out(self) -> tuple[LeftOut, ...]:
        return tuple(
            LeftOut(c, self.why_uncovered(c))
            for c in self.request.target_criteria
            if c not in self.covered()
        )

    def why_uncovered(self, criterion: str) -> str:
        target = self.request.target_level
        levels = [Level.label_of(lv) for lv in (target - 1, target, target + 1)]
        covering = [q for q in self.available() if criterion in q.criteria]
        if not covering:
            return (
                f"no question at {'–'.join(x for x in levels if x)} that the candidate has not "
                "had yet covers it (rule 2)"
            )
        fits = [q for q in covering if q.minutes <= self.remaining]
        if any(self.level_room(q) for q in fits):
            return "every question covering it asks the same thing as a planned one (rule 3)"
        if fits:
            return (
                "only baseline or stretch questions cover it, and their limit is reached (rule 5)"
            )
        return (
            f"not enough time: its shortest question takes {self.cheapest(covering)} min, and "
            f"{self.remaining} min are left after the buffer"
        )


def make_plan(questions: Iterable[PlannerQuestion], request: PlanRequest) -> Plan:
    """The plan: the chosen ids from warm-up to hardest, its minutes and what it leaves out."""
    planner = _Planner(questions, request)
    ids = planner.plan()
    return Plan(
        ids=tuple(ids),
        duration=request.minutes,
        buffer_minutes=request.buffer_minutes,
        planned_minutes=sum(q.minutes for q in planner.chosen),
        target_minutes=planner.target_minutes(),
        left_out=planner.left_out(),
    )


def gaps(
    questions: Iterable[PlannerQuestion], request: PlanRequest, planned: Iterable[int]
) -> tuple[LeftOut, ...]:
    """The target criteria a plan as it stands (perhaps edited by hand) leaves out, and why."""
    questions = list(questions)
    planner = _Planner(questions, request)
    by_id = {q.id: q for q in questions}
    for qid in planned:
        if qid in by_id:
            q = by_id[qid]
            planner.chosen.append(q)
            planner.chosen_ids.add(q.id)
            planner.remaining -= q.minutes
    return planner.left_out()


def build_plan(questions: Iterable[PlannerQuestion], request: PlanRequest) -> list[int]:
    """The ids of the planned questions, from warm-up to hardest."""
    return list(make_plan(questions, request).ids)


def rules_in_words(buffer_share: float = DEFAULT_BUFFER_SHARE) -> list[str]:
    percent = f"{buffer_share * 100:g}"
    return [rule.format(buffer_percent=percent) for rule in RULES]


def alternatives(
    current: PlannerQuestion,
    questions: Iterable[PlannerQuestion],
    exclude: frozenset[int],
    limit: int = 5,
) -> list[int]:
    """Questions that could replace `current`: they share a criterion, closest level first."""
    options = [
        q
        for q in questions
        if q.id != current.id and q.id not in exclude and q.criteria & current.criteria
    ]
    options.sort(
        key=lambda q: (
            -len(q.criteria & current.criteria),
            abs(q.level - current.level),
            q.times_asked,
            abs(q.minutes - current.minutes),
            q.id,
        )
    )
    return [q.id for q in options[:limit]]
