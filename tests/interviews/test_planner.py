"""The planner: pure examples, then properties checked over 300 generated banks."""

import random
from collections import Counter
from dataclasses import dataclass, replace

import pytest

from interviews import services
from interviews.planner import (
    Plan,
    PlannerQuestion,
    PlanRequest,
    alternatives,
    build_plan,
    make_plan,
    same_thing,
)
from questionbank.models import Level

BANKS = 300
LEVELS = (1, 2, 3, 4)
CRITERIA = {level: tuple(f"level{level}-{i}" for i in range(5)) for level in LEVELS}
SPECIALIST = ("safety", "multimodal", "efficiency")


def q(id, level=3, minutes=5, criteria=(), section=1, times_asked=0, prompt="") -> PlannerQuestion:
    return PlannerQuestion(id, level, minutes, frozenset(criteria), section, times_asked, prompt)


# Generated banks ----------------------------------------------------------------------------------

# Prompts from a small vocabulary, so that some pairs are near-duplicates (rule 3).
TOPICS = ("attention heads", "vector search", "model serving", "prompt injection", "lora adapters")
ASPECTS = ("trade-offs latency", "failure modes", "evaluation metrics", "scaling costs")


@dataclass(frozen=True)
class Case:
    seed: int
    questions: tuple[PlannerQuestion, ...]
    request: PlanRequest
    result: Plan

    @property
    def plan(self) -> tuple[int, ...]:
        return self.result.ids

    @property
    def target(self) -> int:
        return self.request.target_level

    @property
    def pool(self) -> list[PlannerQuestion]:
        """What the planner may choose from: not already asked, timed, at most one level away."""
        return [
            x
            for x in self.questions
            if x.id not in self.request.already_asked
            and x.minutes > 0
            and abs(x.level - self.target) <= 1
        ]

    @property
    def chosen(self) -> list[PlannerQuestion]:
        by_id = {x.id: x for x in self.questions}
        return [by_id[i] for i in self.plan]

    @property
    def planned(self) -> int:
        return sum(x.minutes for x in self.chosen)

    @property
    def left_over(self) -> int:
        return self.request.budget - self.planned

    def minutes_at(self, on_target: bool) -> int:
        return sum(x.minutes for x in self.chosen if (x.level == self.target) == on_target)

    def covered(self) -> set[str]:
        return set().union(*(x.criteria for x in self.chosen))

    def unchosen(self) -> list[PlannerQuestion]:
        return [x for x in self.pool if x.id not in self.plan]

    def admissible(self, x: PlannerQuestion, stretch_cap: int = 2) -> bool:
        """Whether x could still join the plan under every rule."""
        if x.minutes > self.left_over or any(same_thing(x, y) for y in self.chosen):
            return False
        if x.level == self.target:
            return True
        same = sum(1 for y in self.chosen if y.level == x.level)
        cap = 1 if x.level < self.target else stretch_cap
        return same < cap and self.minutes_at(False) + x.minutes <= self.request.budget // 2


def generate(seed: int) -> tuple[list[PlannerQuestion], PlanRequest]:
    rng = random.Random(seed)
    questions = []
    for id in rng.sample(range(1, 100_000), rng.randint(0, 40)):
        level = rng.choice(LEVELS)
        criteria = set(rng.sample(CRITERIA[level], rng.randint(0, 2)))
        if rng.random() < 0.2:
            criteria.add(rng.choice(SPECIALIST))
        if rng.random() < 0.1:  # now and then a question also touches another level's rubric
            criteria.add(rng.choice(CRITERIA[rng.choice(LEVELS)]))
        prompt = f"{rng.choice(TOPICS)} {rng.choice(ASPECTS)} case{rng.randint(1, 40)}"
        questions.append(
            PlannerQuestion(
                id=id,
                level=level,
                minutes=rng.choice((0, 2, 3, 4, 5, 7, 8, 10, 15)),
                criteria=frozenset(criteria),
                section=rng.randint(1, 8),
                times_asked=rng.choice((0, 0, 0, 1, 2, 5)),
                prompt=prompt if rng.random() < 0.5 else "",
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
        buffer_share=rng.choice((0.1, 0.1, 0.15, 0.2)),
    )
    return questions, request


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    made = []
    for seed in range(BANKS):
        questions, request = generate(seed)
        made.append(Case(seed, tuple(questions), request, make_plan(questions, request)))
    return made


# Properties over generated banks ------------------------------------------------------------------


def test_it_keeps_a_buffer_and_never_plans_over_the_rest(cases):
    for case in cases:
        request = case.request
        assert request.buffer_minutes >= request.minutes * request.buffer_share, case.seed
        assert case.result.buffer_minutes == request.buffer_minutes, case.seed
        assert case.left_over >= 0, f"bank {case.seed}"
        assert case.result.planned_minutes == case.planned, case.seed


def test_it_never_plans_a_question_already_asked_or_twice(cases):
    for case in cases:
        assert not set(case.plan) & case.request.already_asked, f"bank {case.seed}"
        assert len(set(case.plan)) == len(case.plan), f"bank {case.seed}"
        assert {x.id for x in case.chosen if x.minutes <= 0} == set(), f"bank {case.seed}"


def test_it_never_plans_a_question_two_levels_away(cases):
    tempted = 0
    for case in cases:
        far = [x for x in case.questions if abs(x.level - case.target) >= 2 and x.minutes > 0]
        tempted += bool(far)
        assert all(abs(x.level - case.target) <= 1 for x in case.chosen), f"bank {case.seed}"
    assert tempted > BANKS // 2


def test_it_plans_at_most_one_baseline_and_two_stretch_questions(cases):
    baselines = stretches = 0
    for case in cases:
        levels = Counter(x.level for x in case.chosen)
        assert levels[case.target - 1] <= 1, f"bank {case.seed}"
        assert levels[case.target + 1] <= 2, f"bank {case.seed}"
        baselines += levels[case.target - 1]
        stretches += levels[case.target + 1] == 2
    assert baselines > BANKS // 4 and stretches > 0


def test_it_never_plans_two_questions_that_ask_the_same_thing(cases):
    with_duplicates = 0
    for case in cases:
        pairs = [(a, b) for a in case.pool for b in case.pool if a.id < b.id and same_thing(a, b)]
        with_duplicates += bool(pairs)
        for a in case.chosen:
            for b in case.chosen:
                assert a.id == b.id or not same_thing(a, b), f"bank {case.seed}: {a.id}, {b.id}"
    assert with_duplicates > BANKS // 2


def test_it_gives_the_target_level_at_least_half_the_minutes_when_the_bank_allows(cases):
    """Below half only when every off-target question is needed for coverage and no target-level
    question could be added."""
    exceptions = 0
    for case in cases:
        if 2 * case.minutes_at(True) >= case.planned:
            continue
        exceptions += 1
        at_target = [x for x in case.unchosen() if x.level == case.target]
        assert not any(case.admissible(x) for x in at_target), f"bank {case.seed}"
        for x in case.chosen:
            if x.level == case.target:
                continue
            others = set().union(*(y.criteria for y in case.chosen if y.id != x.id))
            if {c for c in case.request.target_criteria if c in x.criteria} - others:
                continue  # needed for coverage
            rest = [y for y in case.chosen if y.id != x.id]
            room = case.left_over + x.minutes
            could = [
                y
                for y in at_target
                if y.minutes <= room and not any(same_thing(y, z) for z in rest)
            ]
            assert not could, f"bank {case.seed}: {x.id} could give way to {could[0].id}"
    assert exceptions < BANKS // 5
    assert sum(case.minutes_at(False) > 0 for case in cases) > BANKS // 3


def test_it_covers_every_target_criterion_when_the_cheapest_target_level_cover_fits(cases):
    checked = 0
    for case in cases:
        criteria = set(case.request.target_criteria)
        covering = [x for x in case.pool if x.level == case.target and x.criteria & criteria]
        if any(same_thing(a, b) for a in covering for b in covering if a.id < b.id):
            continue
        cheapest = {
            c: min((x.minutes for x in covering if c in x.criteria), default=None) for c in criteria
        }
        if sum(m for m in cheapest.values() if m is not None) > case.request.budget:
            continue
        checked += 1
        for criterion, minutes in cheapest.items():
            if minutes is not None:
                assert criterion in case.covered(), f"bank {case.seed}: {criterion} not covered"
    assert checked > BANKS // 3


def test_it_says_which_target_criteria_it_leaves_out_and_why(cases):
    left_out = 0
    for case in cases:
        uncovered = [c for c in case.request.target_criteria if c not in case.covered()]
        assert [x.criterion for x in case.result.left_out] == uncovered, f"bank {case.seed}"
        assert all(x.reason for x in case.result.left_out), f"bank {case.seed}"
        left_out += len(uncovered)
        for criterion in uncovered:
            could = [x for x in case.unchosen() if criterion in x.criteria and case.admissible(x)]
            assert not could, f"bank {case.seed}: {criterion} could have been covered"
    assert left_out > BANKS // 4


def test_it_leaves_out_a_baseline_stretch_or_specialist_only_when_none_fits(cases):
    """Whatever the plan lacks, no question that would supply it could still join the plan
    without letting questions off the target level outweigh it (rule 6)."""
    checked = 0
    for case in cases:

        def could_join(x, case=case):
            off = case.minutes_at(False) + (0 if x.level == case.target else x.minutes)
            return case.admissible(x, 1) and off <= case.minutes_at(True) + (
                x.minutes if x.level == case.target else 0
            )

        levels = {x.level for x in case.chosen}
        for level in (case.target - 1, case.target + 1):
            if level not in levels:
                checked += 1
                fits = [x for x in case.unchosen() if x.level == level]
                assert not any(could_join(x) for x in fits), f"bank {case.seed}"
        for criterion in case.request.specialist_criteria:
            if criterion not in case.covered():
                checked += 1
                fits = [x for x in case.unchosen() if criterion in x.criteria]
                assert not any(could_join(x) for x in fits), f"bank {case.seed}"
    assert checked > BANKS // 4


def test_it_fills_the_time_with_target_level_questions_until_none_fits(cases):
    left_at_target = 0
    for case in cases:
        at_target = [x for x in case.unchosen() if x.level == case.target]
        left_at_target += bool(at_target)
        assert not any(case.admissible(x) for x in at_target), f"bank {case.seed}"
    assert left_at_target > BANKS // 4


def test_it_plans_the_same_for_the_same_inputs_and_seed(cases):
    for case in cases[:100]:
        shuffled = list(case.questions)
        random.Random(case.seed).shuffle(shuffled)
        assert tuple(build_plan(case.questions, case.request)) == case.plan, f"bank {case.seed}"
        assert tuple(build_plan(shuffled, case.request)) == case.plan, f"bank {case.seed}"


def test_it_orders_from_warm_up_to_hardest(cases):
    mixed = 0
    for case in cases:
        levels = [x.level for x in case.chosen]
        mixed += len(set(levels)) > 1
        assert levels == sorted(levels), f"bank {case.seed}"
    assert mixed > BANKS // 4


def test_it_keeps_its_plan_through_a_dict(cases):
    for case in cases[:20]:
        assert Plan.from_dict(case.result.as_dict()) == case.result


def test_it_may_plan_differently_for_another_seed():
    # Twelve interchangeable questions and time for three: only the seed decides.
    questions = [q(i, criteria={"a"}) for i in range(1, 13)]
    request = PlanRequest(target_level=3, minutes=17, target_criteria=("a",))
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
    request = PlanRequest(target_level=3, minutes=23, target_criteria=("a", "b"))
    assert sorted(build_plan(questions, request)) == [2, 3]


def test_it_prefers_one_question_covering_several_criteria():
    questions = [q(1, criteria={"a"}), q(2, criteria={"b"}), q(3, criteria={"a", "b"})]
    request = PlanRequest(target_level=3, minutes=6, target_criteria=("a", "b"))
    assert build_plan(questions, request) == [3]


def test_it_adds_baseline_and_stretch_after_coverage():
    questions = [
        q(1, level=3, criteria={"a"}),
        q(2, level=2),
        q(3, level=4),
        q(4, level=3, section=2),
        q(5, level=1),
    ]
    request = PlanRequest(target_level=3, minutes=23, target_criteria=("a",))
    assert build_plan(questions, request) == [2, 1, 4, 3]


def test_it_lets_a_stretch_give_way_when_the_target_level_would_not_carry_half_the_time():
    questions = [
        q(1, level=3, criteria={"a"}),
        q(2, level=2),
        q(3, level=4),
        q(4, level=3, section=2),
    ]
    request = PlanRequest(target_level=3, minutes=17, target_criteria=("a",))
    assert build_plan(questions, request) == [2, 1, 4]


def test_it_keeps_the_stretchs_time_when_picking_a_less_asked_baseline():
    # The least-asked baseline (8 min) would leave no room for the 4-minute stretch.
    questions = [
        q(1, level=3, minutes=8, criteria={"a"}),
        q(2, level=2, minutes=8),
        q(3, level=2, minutes=4, times_asked=3),
        q(4, level=4, minutes=4, times_asked=3),
    ]
    request = PlanRequest(target_level=3, minutes=18, target_criteria=("a",))
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
        minutes=17,
        target_criteria=("a",),
        specialist_criteria=("safety", "multimodal"),
    )
    assert sorted(build_plan(questions, request)) == [1, 2, 3]


@pytest.mark.parametrize("seed", range(10))
def test_it_prefers_the_least_asked_among_otherwise_equal_questions(seed):
    covering = [q(1, criteria={"a"}, times_asked=4), q(2, criteria={"a"}, times_asked=1)]
    filling = [q(3, section=2, times_asked=2), q(4, section=2, times_asked=0)]
    request = PlanRequest(target_level=3, minutes=12, target_criteria=("a",), seed=seed)
    assert sorted(build_plan(covering + filling, request)) == [2, 4]


def test_it_never_repeats_what_the_candidate_already_had_even_if_nothing_else_covers_it():
    questions = [q(1, criteria={"a"}), q(2, section=2)]
    request = PlanRequest(
        target_level=3, minutes=45, target_criteria=("a",), already_asked=frozenset({1})
    )
    assert build_plan(questions, request) == [2]


def test_it_keeps_a_buffer_of_a_tenth_rounded_up_or_what_is_configured():
    request = PlanRequest(target_level=3, minutes=45, target_criteria=())
    assert (request.buffer_minutes, request.budget) == (5, 40)
    assert replace(request, minutes=60).buffer_minutes == 6
    assert replace(request, buffer_share=0.2).buffer_minutes == 9
    questions = [q(i, minutes=10, section=i) for i in range(1, 6)]
    assert len(build_plan(questions, replace(request, minutes=50))) == 4


def test_it_never_plans_a_question_two_levels_from_the_target():
    questions = [q(1, level=1, criteria={"a"}), q(2, level=3, section=2), q(3, level=4)]
    request = PlanRequest(target_level=1, minutes=60, target_criteria=("a",))
    assert build_plan(questions, request) == [1]


def test_it_plans_a_second_stretch_only_once_nothing_at_the_target_level_fits():
    questions = [
        q(1, level=3, minutes=10, criteria={"a"}),
        q(2, level=4, minutes=3, section=2),
        q(3, level=4, minutes=3, section=3),
        q(4, level=4, minutes=3, section=4),
        q(5, level=3, minutes=4, section=5),
    ]
    request = PlanRequest(target_level=3, minutes=23, target_criteria=("a",), seed=1)
    plan = build_plan(questions, request)
    assert plan[:2] == [5, 1] and len(plan) == 4  # two of the three stretch questions, not three


def test_it_never_plans_two_questions_of_a_section_on_the_same_criteria():
    # S7: prompt injection, jailbreaking and privacy all test Security.
    questions = [
        q(1, criteria={"security"}, section=7),
        q(2, criteria={"security", "safety"}, section=7),
        q(3, criteria={"security"}, section=9),
    ]
    request = PlanRequest(target_level=3, minutes=60, target_criteria=("security",))
    plan = build_plan(questions, request)
    assert len(plan) == 2 and 3 in plan


def test_it_never_plans_two_near_duplicate_prompts():
    questions = [
        q(1, section=1, prompt="Explain the KV cache in LLM inference and why it matters."),
        q(2, section=2, prompt="What is the KV cache in LLM inference, and why is it important?"),
        q(3, section=3, prompt="Calculate the memory needed to load a 7B model in FP16."),
    ]
    request = PlanRequest(target_level=3, minutes=60, target_criteria=())
    plan = build_plan(questions, request)
    assert len(plan) == 2 and 3 in plan


def test_it_says_which_criteria_it_leaves_out_and_why():
    questions = [q(1, minutes=5, criteria={"a"}), q(2, minutes=30, criteria={"b"}, section=2)]
    request = PlanRequest(target_level=3, minutes=20, target_criteria=("a", "b", "c"))
    plan = make_plan(questions, request)
    assert plan.ids == (1,)
    reasons = {x.criterion: x.reason for x in plan.left_out}
    assert reasons.keys() == {"b", "c"}
    assert reasons["b"].startswith("not enough time: its shortest question takes 30 min")
    assert "no question" in reasons["c"]


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
    offered = 0
    for case in cases[:100]:
        for current in case.pool[:3]:
            exclude = case.request.already_asked
            for other_id in alternatives(current, case.questions, exclude):
                other = next(x for x in case.questions if x.id == other_id)
                assert other.criteria & current.criteria, f"bank {case.seed}"
                assert other.id != current.id and other.id not in exclude, f"bank {case.seed}"
                offered += 1
    assert offered > 100


# The real seed bank --------------------------------------------------------------------------------


def test_it_plans_a_senior_45_minute_interview_from_the_seed(bank):
    senior = tuple(
        bank.criteria.filter(rubric_level__level=Level.SENIOR).values_list("key", flat=True)
    )
    candidates = services.planner_questions(bank=bank)
    request = PlanRequest(target_level=Level.SENIOR, minutes=45, target_criteria=senior, seed=7)
    chosen = [x for x in candidates if x.id in set(build_plan(candidates, request))]

    assert len(senior) == 5
    assert set(senior) <= set().union(*(x.criteria for x in chosen))
    assert {Level.MID, Level.PRINCIPAL} <= {x.level for x in chosen}
    assert sum(x.minutes for x in chosen) <= 45
