"""The seed bank's plans at every level, 45 and 60 minutes: every rule of the planner holds."""

from collections import Counter

import pytest

from interviews import planner, services
from questionbank.levels import Level
from questionbank.timing import DESIGN, kind_of

pytestmark = pytest.mark.django_db


def plan_for(bank, level: int, minutes: int, seed: int = 0):
    questions = services.planner_questions(bank=bank)
    request = services.plan_request(bank=bank, target_level=level, minutes=minutes, seed=seed)
    plan = planner.make_plan(questions, request)
    by_id = {q.id: q for q in questions}
    return request, plan, [by_id[i] for i in plan.ids]


@pytest.mark.parametrize("minutes", [45, 60])
@pytest.mark.parametrize("level", list(Level))
def test_it_plans_the_seed_by_every_rule(seed_bank, level, minutes):
    for seed in (0, 1, 2):
        request, plan, chosen = plan_for(seed_bank, level, minutes, seed)
        where = f"{level.label}, {minutes} min, seed {seed}"
        planned = sum(q.minutes for q in chosen)
        at_target = sum(q.minutes for q in chosen if q.level == level)
        levels = Counter(q.level for q in chosen)

        assert plan.buffer_minutes >= minutes / 10, where
        assert planned <= minutes - plan.buffer_minutes, where
        assert all(abs(q.level - level) <= 1 for q in chosen), where
        assert levels[level - 1] <= 1 and levels[level + 1] <= 2, where
        assert 2 * at_target >= planned, where
        for a in chosen:
            for b in chosen:
                assert a.id == b.id or not planner.same_thing(a, b), f"{where}: {a.id}, {b.id}"
        covered = set().union(*(q.criteria for q in chosen))
        assert set(request.target_criteria) <= covered, where
        assert plan.left_out == (), where


def test_it_plans_no_senior_question_for_a_junior_and_no_warm_up_crowd_for_a_senior(seed_bank):
    _, _, junior = plan_for(seed_bank, Level.JUNIOR, 45)
    assert Level.SENIOR not in {q.level for q in junior}
    _, _, senior = plan_for(seed_bank, Level.SENIOR, 60)
    assert sum(q.level == Level.MID for q in senior) == 1


def test_it_plans_the_standard_system_design_question_for_a_principal(seed_bank):
    for minutes in (45, 60):
        _, _, principal = plan_for(seed_bank, Level.PRINCIPAL, minutes)
        keys = {q.id: q for q in principal}
        design = seed_bank.questions.get(key="s9-q26")
        assert design.pk in keys, minutes


def test_it_gives_the_seeds_design_questions_at_least_ten_minutes(seed_bank):
    designs = [q for q in seed_bank.questions.all() if kind_of(q.prompt, q.subsection) == DESIGN]
    assert len(designs) >= 8
    assert all(q.minutes >= 10 for q in designs), [(q.key, q.minutes) for q in designs]
