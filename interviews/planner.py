"""Pick an interview plan from a bank. Pure and deterministic: same inputs and seed, same plan.

Priorities, in order:

1. Cover every criterion of the target level, when the time allows. While choosing, the planner
   keeps back enough minutes for the cheapest question of every criterion still uncovered, so it
   never spends the time that coverage needs on something else: if the cheapest covering questions
   fit the duration together, all target criteria are covered.
2. One question from the level below (baseline) and one from the level above (stretch), so the
   summary can place the candidate; their time is kept back during step 1 when both steps fit.
3. A question for each chosen specialist area.
4. Fill the remaining time, balancing sections, preferring levels near the target.

Throughout, questions the candidate already had are never offered, the least-asked questions win
(exposure balancing), and remaining ties are broken by a seeded shuffle. The plan is ordered from
warm-up to hardest.
"""

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A bank question as the planner sees it."""

    id: int
    level: int
    minutes: int
    criteria: frozenset[str]
    section: int
    times_asked: int = 0


@dataclass(frozen=True)
class PlanRequest:
    target_level: int
    minutes: int
    target_criteria: tuple[str, ...]
    specialist_criteria: tuple[str, ...] = ()
    already_asked: frozenset[int] = frozenset()
    seed: int = 0


class _Planner:
    def __init__(self, questions: Iterable[Candidate], request: PlanRequest):
        self.request = request
        pool = sorted(
            (q for q in questions if q.id not in request.already_asked and q.minutes > 0),
            key=lambda q: q.id,
        )
        rng = random.Random(request.seed)  # noqa: S311 (a seeded tie-break, not a secret)
        self.tiebreak = {q.id: rng.random() for q in pool}
        self.pool = pool
        self.chosen: list[Candidate] = []
        self.remaining = request.minutes

    def available(self) -> list[Candidate]:
        taken = {q.id for q in self.chosen}
        return [q for q in self.pool if q.id not in taken]

    def preference(self, q: Candidate) -> tuple:
        """Lower is better: least asked first, then the seeded shuffle."""
        return (q.times_asked, self.tiebreak[q.id])

    def take(self, q: Candidate) -> None:
        self.chosen.append(q)
        self.remaining -= q.minutes

    def cheapest(self, candidates: Iterable[Candidate]) -> int | None:
        return min((q.minutes for q in candidates), default=None)

    def coverage_reserve(self, uncovered: set[str], available: list[Candidate]) -> int | None:
        """Minutes needed to cover each uncovered criterion with its own cheapest question."""
        total = 0
        for criterion in uncovered:
            cost = self.cheapest(q for q in available if criterion in q.criteria)
            if cost is None:
                continue  # nothing in the bank covers it: it cannot be planned for
            total += cost
        return total

    def level_pool(self, level: int) -> list[Candidate]:
        return [q for q in self.available() if q.level == level]

    def cover_target(self) -> None:
        request = self.request
        uncovered = set(request.target_criteria)
        extras = [
            self.cheapest(self.level_pool(level))
            for level in (request.target_level - 1, request.target_level + 1)
        ]
        extras_reserve = sum(m for m in extras if m is not None)
        if self.coverage_reserve(uncovered, self.available()) + extras_reserve > self.remaining:
            extras_reserve = 0
        for criterion in request.target_criteria:
            if criterion not in uncovered:
                continue
            available = self.available()
            options = []
            for q in available:
                if criterion not in q.criteria:
                    continue
                after = uncovered - q.criteria
                reserve = self.coverage_reserve(after, [a for a in available if a.id != q.id])
                if q.minutes + reserve + extras_reserve <= self.remaining:
                    options.append(q)
            if not options:
                continue
            best = min(
                options,
                key=lambda q: (
                    -len(uncovered & q.criteria),
                    q.level != request.target_level,
                    abs(q.level - request.target_level),
                    *self.preference(q),
                ),
            )
            self.take(best)
            uncovered -= best.criteria

    def add_one(self, candidates: Sequence[Candidate]) -> None:
        fitting = [q for q in candidates if q.minutes <= self.remaining]
        if fitting:
            self.take(min(fitting, key=self.preference))

    def add_baseline_and_stretch(self) -> None:
        missing = [
            level
            for level in (self.request.target_level - 1, self.request.target_level + 1)
            if not any(q.level == level for q in self.chosen)
        ]
        for index, level in enumerate(missing):
            # The baseline must not spend the minutes that step 1 kept back for the stretch.
            later = sum(self.cheapest(self.level_pool(lv)) or 0 for lv in missing[index + 1 :])
            pool = self.level_pool(level)
            self.add_one([q for q in pool if q.minutes + later <= self.remaining] or pool)

    def add_specialists(self) -> None:
        for criterion in self.request.specialist_criteria:
            if not any(criterion in q.criteria for q in self.chosen):
                self.add_one([q for q in self.available() if criterion in q.criteria])

    def fill(self) -> None:
        target = self.request.target_level
        while True:
            fitting = [q for q in self.available() if q.minutes <= self.remaining]
            if not fitting:
                return
            sections = Counter(q.section for q in self.chosen)
            self.take(
                min(
                    fitting,
                    key=lambda q: (
                        sections[q.section],
                        abs(q.level - target),
                        q.level > target,
                        *self.preference(q),
                    ),
                )
            )

    def plan(self) -> list[int]:
        self.cover_target()
        self.add_baseline_and_stretch()
        self.add_specialists()
        self.fill()
        order = {q.id: index for index, q in enumerate(self.pool)}
        warm_up_first = sorted(self.chosen, key=lambda q: (q.level, q.minutes, order[q.id]))
        return [q.id for q in warm_up_first]


def build_plan(questions: Iterable[Candidate], request: PlanRequest) -> list[int]:
    """The ids of the planned questions, from warm-up to hardest."""
    return _Planner(questions, request).plan()


def alternatives(
    current: Candidate, questions: Iterable[Candidate], exclude: frozenset[int], limit: int = 5
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
