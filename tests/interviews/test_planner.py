"""The planner: pure examples, then properties checked over 300 generated banks."""

import random
from dataclasses import dataclass, replace

import pytest

from interviews import services
from interviews.planner import Candidate, PlanRequest, alternatives, build_plan
from questionbank.models import Level

BANKS = 300
LEVELS = (1, 2, 3, 4)
CRITERIA = {level: tuple(f"level{level}-{i}" for i in range(5)) for level in LEVELS}
SPECIALIST = ("safety", "multimodal", "efficiency")


def q(id, level=3, minutes=5, criteria=(), section=1, times_asked=0) -> Candidate:
    return Candidate(id, level, minutes, frozenset(criteria), section, times_asked)


# Generated banks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    seed: int
    questions: tuple[Candidate, ...]
    request: PlanRequest
    plan: tuple[int, ...]

    @property
    def pool(self) -> list[Candidate]:
        """What the planner may choose from: not already asked, with an estimate of its time."""
        return [
            x for x in self.questions if x.id not in self.request.already_asked and x.minutes > 0
        ]

    @property
    def chosen(self) -> list[Candidate]:
        by_id = {x.id: x for x in self.questions}
        return [by_id[i] for i in self.plan]

    @property
    def left_over(self) -> int:
        return self.request.minutes - sum(x.minutes for x in self.chosen)

    def cheapest_covering(self, criterion: str) -> int | None:
        return min((x.minutes for x in self.pool if criterion in x.criteria), default=None)

    def cheapest_at(self, level: int) -> int | None:
        return min((x.minutes for x in self.pool if x.level == level), default=None)

    def cheapest_cover(self) -> int:
        """The planner's documented bound: each target criterion's cheapest question, summed."""
        return sum(self.cheapest_covering(c) or 0 for c in self.request.target_criteria)

    def unchosen(self) -> list[Candidate]:
        return [x for x in self.pool if x.id not in self.plan]


def generate(seed: int) -> tuple[list[Candidate], PlanRequest]:
    rng = random.Random(seed)
    questions = []
    for id in rng.sample(range(1, 100_000), rng.randint(0, 40)):
        level = rng.choice(LEVELS)
        criteria = set(rng.sample(CRITERIA[level], rng.randint(0, 2)))
        if rng.random() < 0.2:
            criteria.add(rng.choice(SPECIALIST))
        if rng.random() < 0.1:  # now and then a question also touches another level's rubric
            criteria.add(rng.choice(CRITERIA[rng.choice(LEVELS)]))
        questions.append(
            Candidate(
                id=id,
                level=level,
                minutes=rng.choice((0, 2, 3, 4, 5, 7, 8, 10, 15)),
                criteria=frozenset(criteria),
                section=rng.randint(1, 6),
                times_asked=rng.choice((0, 0, 0, 1, 2, 5)),
            )
        )
    target = rng.choice(LEVELS)
    request = PlanRequest(
        target_level=target,
        minutes=rng.randint(5, 90),
        target_criteria=CRITERIA[target][: rng.randint(1, 5)],
        specialist_criteria=tuple(rng.sample(SPECIALIST, rng.randint(0, 2))),
        already_asked=frozenset(x.id for x in questions if rng.random() < 0.15),
        seed=rng.randrange(2**31),
    )
    return questions, request


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    made = []
    for seed in range(BANKS):
        questions, request = generate(seed)
        plan = tuple(build_plan(questions, request))
        made.append(Case(seed, tuple(questions), request, plan))
    return made


# Properties over generated banks ------------------------------------------------------------------


def test_it_never_plans_over_the_duration(cases):
    for case in cases:
        assert case.left_over >= 0, f"bank {case.seed}"


def test_it_never_plans_a_question_already_asked_or_twice(cases):
    for case in cases:
        assert not set(case.plan) & case.request.already_asked, f"bank {case.seed}"
        assert len(set(case.plan)) == len(case.plan), f"bank {case.seed}"
        assert set(case.plan) <= {x.id for x in case.pool}, f"bank {case.seed}"


def test_it_plans_the_same_for_the_same_inputs_and_seed(cases):
    for case in cases[:100]:
        shuffled = list(case.questions)
        random.Random(case.seed).shuffle(shuffled)
        assert tuple(build_plan(case.questions, case.request)) == case.plan, f"bank {case.seed}"
        assert tuple(build_plan(shuffled, case.request)) == case.plan, f"bank {case.seed}"


def test_it_covers_every_target_criterion_when_the_cheapest_cover_fits(cases):
    checked = 0
    for case in cases:
        if case.cheapest_cover() > case.request.minutes:
            continue
        checked += 1
        covered = set().union(*(x.criteria for x in case.chosen))
        for criterion in case.request.target_criteria:
            if case.cheapest_covering(criterion) is not None:
                assert criterion in covered, f"bank {case.seed}: {criterion} not covered"
    assert checked > BANKS // 2


def test_it_adds_a_baseline_and_a_stretch_when_their_time_fits_after_coverage(cases):
    checked = 0
    for case in cases:
        target = case.request.target_level
        below, above = case.cheapest_at(target - 1), case.cheapest_at(target + 1)
        if case.cheapest_cover() + (below or 0) + (above or 0) > case.request.minutes:
            continue
        checked += 1
        levels = {x.level for x in case.chosen}
        if below is not None:
            assert target - 1 in levels, f"bank {case.seed}: no baseline"
        if above is not None:
            assert target + 1 in levels, f"bank {case.seed}: no stretch"
    assert checked > BANKS // 3


def test_it_leaves_out_a_baseline_stretch_or_specialist_only_when_none_fits(cases):
    """Whatever the plan lacks, no question that would supply it fits the minutes left over."""
    for case in cases:
        target, levels = case.request.target_level, {x.level for x in case.chosen}
        covered = set().union(*(x.criteria for x in case.chosen))
        for level in (target - 1, target + 1):
            if level not in levels:
                fits = [x for x in case.unchosen() if x.level == level]
                assert all(x.minutes > case.left_over for x in fits), f"bank {case.seed}"
        for criterion in case.request.specialist_criteria:
            if criterion not in covered:
                fits = [x for x in case.unchosen() if criterion in x.criteria]
                assert all(x.minutes > case.left_over for x in fits), f"bank {case.seed}"


def test_it_fills_the_time_until_no_question_fits(cases):
    for case in cases:
        assert all(x.minutes > case.left_over for x in case.unchosen()), f"bank {case.seed}"


def test_it_orders_from_warm_up_to_hardest(cases):
    for case in cases:
        levels = [x.level for x in case.chosen]
        assert levels == sorted(levels), f"bank {case.seed}"


def test_it_may_plan_differently_for_another_seed():
    # Twelve interchangeable questions and time for three: only the seed decides.
    questions = [q(i, criteria={"a"}) for i in range(1, 13)]
    request = PlanRequest(target_level=3, minutes=15, target_criteria=("a",))
    plans = {tuple(build_plan(questions, replace(request, seed=seed))) for seed in range(20)}
    assert len(plans) > 1


# Examples ------------------------------------------------------------------------------------------


def test_it_plans_nothing_from_an_empty_bank_or_with_no_time():
    request = PlanRequest(target_level=3, minutes=45, target_criteria=("a",))
    assert build_plan([], request) == []
    assert build_plan([q(1, minutes=10)], replace(request, minutes=5)) == []


def test_it_never_plans_a_question_without_a_time_estimate():
    request = PlanRequest(target_level=3, minutes=45, target_criteria=("a",))
    assert build_plan([q(1, minutes=0, criteria={"a"}), q(2)], request) == [2]


def test_it_keeps_back_time_for_coverage_instead_of_spending_it_on_one_criterion():
    # A greedy pick of the 20-minute question for "a" would leave no time for "b".
    questions = [
        q(1, minutes=20, criteria={"a"}),
        q(2, minutes=10, criteria={"a"}, times_asked=5),
        q(3, minutes=10, criteria={"b"}, times_asked=5),
    ]
    request = PlanRequest(target_level=3, minutes=20, target_criteria=("a", "b"))
    assert sorted(build_plan(questions, request)) == [2, 3]


def test_it_prefers_one_question_covering_several_criteria():
    questions = [q(1, criteria={"a"}), q(2, criteria={"b"}), q(3, criteria={"a", "b"})]
    request = PlanRequest(target_level=3, minutes=5, target_criteria=("a", "b"))
    assert build_plan(questions, request) == [3]


def test_it_adds_baseline_and_stretch_after_coverage():
    questions = [
        q(1, level=3, criteria={"a"}),
        q(2, level=2),
        q(3, level=4),
        q(4, level=3, section=2),
        q(5, level=1),
    ]
    request = PlanRequest(target_level=3, minutes=15, target_criteria=("a",))
    assert build_plan(questions, request) == [2, 1, 3]


def test_it_keeps_the_stretchs_time_when_picking_a_less_asked_baseline():
    # The least-asked baseline (8 min) would leave no room for the 4-minute stretch.
    questions = [
        q(1, level=3, minutes=4, criteria={"a"}),
        q(2, level=2, minutes=8),
        q(3, level=2, minutes=4, times_asked=3),
        q(4, level=4, minutes=4, times_asked=3),
    ]
    request = PlanRequest(target_level=3, minutes=12, target_criteria=("a",))
    assert build_plan(questions, request) == [3, 1, 4]


def test_it_includes_a_question_for_each_specialist_area_when_time_allows():
    questions = [
        q(1, criteria={"a"}),
        q(2, criteria={"safety"}, section=2),
        q(3, criteria={"multimodal"}, section=3),
        q(4, section=4),
        q(5, section=5),
    ]
    request = PlanRequest(
        target_level=3,
        minutes=15,
        target_criteria=("a",),
        specialist_criteria=("safety", "multimodal"),
    )
    assert sorted(build_plan(questions, request)) == [1, 2, 3]


@pytest.mark.parametrize("seed", range(10))
def test_it_prefers_the_least_asked_among_otherwise_equal_questions(seed):
    covering = [q(1, criteria={"a"}, times_asked=4), q(2, criteria={"a"}, times_asked=1)]
    filling = [q(3, section=2, times_asked=2), q(4, section=2, times_asked=0)]
    request = PlanRequest(target_level=3, minutes=10, target_criteria=("a",), seed=seed)
    assert sorted(build_plan(covering + filling, request)) == [2, 4]


def test_it_never_repeats_what_the_candidate_already_had_even_if_nothing_else_covers_it():
    questions = [q(1, criteria={"a"}), q(2, section=2)]
    request = PlanRequest(
        target_level=3, minutes=45, target_criteria=("a",), already_asked=frozenset({1})
    )
    assert build_plan(questions, request) == [2]


# Alternatives --------------------------------------------------------------------------------------


def test_it_suggests_alternatives_sharing_a_criterion_closest_level_first():
    current = q(1, level=3, criteria={"a", "b"})
    questions = [
        current,
        q(2, level=1, criteria={"a"}),
        q(3, level=3, criteria={"b"}),
        q(4, level=3, criteria={"c"}),
        q(5, level=4, criteria={"a", "b"}),
        q(6, level=3, criteria={"a"}),
    ]
    assert alternatives(current, questions, exclude=frozenset()) == [5, 3, 6, 2]
    assert alternatives(current, questions, exclude=frozenset({5, 6})) == [3, 2]
    assert alternatives(current, questions, exclude=frozenset(), limit=2) == [5, 3]


def test_it_suggests_no_alternative_when_nothing_shares_a_criterion():
    current = q(1, criteria={"a"})
    assert alternatives(current, [current, q(2, criteria={"b"}), q(3)], frozenset()) == []


def test_it_suggests_alternatives_that_share_a_criterion_on_generated_banks(cases):
    for case in cases[:100]:
        for current in case.pool[:3]:
            exclude = case.request.already_asked
            for other_id in alternatives(current, case.questions, exclude):
                other = next(x for x in case.questions if x.id == other_id)
                assert other.criteria & current.criteria, f"bank {case.seed}"
                assert other.id != current.id and other.id not in exclude, f"bank {case.seed}"


# The real seed bank --------------------------------------------------------------------------------


def test_it_plans_a_senior_45_minute_interview_from_the_seed(bank):
    senior = tuple(
        bank.criteria.filter(rubric_level__level=Level.SENIOR).values_list("key", flat=True)
    )
    candidates = services.planner_candidates(bank)
    request = PlanRequest(target_level=Level.SENIOR, minutes=45, target_criteria=senior, seed=7)
    chosen = [x for x in candidates if x.id in set(build_plan(candidates, request))]

    assert len(senior) == 5
    assert set(senior) <= set().union(*(x.criteria for x in chosen))
    assert {Level.MID, Level.PRINCIPAL} <= {x.level for x in chosen}
    assert sum(x.minutes for x in chosen) <= 45
