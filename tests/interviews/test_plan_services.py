"""Planning an interview and editing its plan, through interviews/services.py."""

import json

import pytest
from django.conf import settings

from interviews import services
from interviews.models import Candidate
from questionbank.models import Level, Question


def items_of(interview):
    return list(interview.items.order_by("position"))


def positions(interview) -> list[int]:
    return [item.position for item in items_of(interview)]


def question_ids(interview) -> list[int]:
    return [item.question_id for item in items_of(interview)]


def assert_contiguous(interview):
    assert positions(interview) == list(range(interview.items.count()))


def test_it_reads_the_seed_bank_as_the_fixture_has_it(bank):
    """Most tests get it by bulk copy from the first load (see conftest): the same rows."""
    fixture = json.loads((settings.BASE_DIR / "fixtures" / f"{bank.slug}.json").read_text())
    questions = [row["fields"] for row in fixture if row["model"] == "questionbank.question"]
    assert bank.questions.count() == len(questions) == 45
    assert Question.criteria.through.objects.filter(question__bank=bank).count() == sum(
        len(q["criteria"]) for q in questions
    )
    assert not bank.questions.exclude(mapping="reviewed").exists()


def test_it_plans_a_senior_interview_that_fits_and_covers_the_level(interview, bank):
    items = items_of(interview)
    senior = set(
        bank.criteria.filter(rubric_level__level=Level.SENIOR).values_list("key", flat=True)
    )
    covered = {c["key"] for item in items for c in item.snapshot["criteria"]}
    levels = [item.snapshot["level"] for item in items]

    assert_contiguous(interview)
    assert sum(item.snapshot["minutes"] for item in items) <= 45
    assert senior <= covered
    assert {Level.MID, Level.PRINCIPAL} <= set(levels)
    assert levels == sorted(levels)


def test_it_pins_each_planned_question_as_a_snapshot(interview):
    items = items_of(interview)
    assert items
    for item in items:
        assert item.pinned == item.question.snapshot()


def test_it_plans_the_same_for_the_same_seed_and_exposure(make_interview):
    first = make_interview("Ada")
    planned = question_ids(first)
    first.delete()
    assert question_ids(make_interview("Ada")) == planned


def test_it_never_repeats_a_question_across_a_candidates_loop(
    make_interview, interviewer, other_interviewer, manager
):
    candidate = Candidate.objects.create(name="Ada Lovelace")
    first = make_interview(candidate, interviewers=[interviewer])
    second = make_interview(candidate, interviewers=[other_interviewer], seed=1)
    third = make_interview(candidate, interviewers=[other_interviewer], target_level=Level.MID)

    asked = [set(question_ids(i)) for i in (first, second, third)]
    assert all(asked)
    assert not asked[0] & asked[1]
    assert not (asked[0] | asked[1]) & asked[2]


def test_it_prefers_questions_asked_least_often_across_candidates(make_interview):
    # Same seed: without exposure balancing the second plan would repeat the first entirely. A
    # few repeats stay where the rules leave no fresh question: S4 · Q20 is the seed's only Mid
    # question on RAG implementation, and coverage comes first.
    first = make_interview("Ada", target_level=Level.MID)
    second = make_interview("Grace", target_level=Level.MID)
    shared = set(question_ids(first)) & set(question_ids(second))
    assert len(shared) <= 2 < len(question_ids(first))


def test_it_adds_a_bank_question_at_the_end(interview, bank):
    question = bank.questions.exclude(pk__in=question_ids(interview)).first()
    item = services.add_question(interview=interview, question=question)
    assert items_of(interview)[-1] == item
    assert item.pinned == question.snapshot()
    assert_contiguous(interview)


def test_it_removes_a_question_and_closes_the_gap(interview):
    removed = items_of(interview)[1]
    services.remove_item(item=removed)
    assert removed.question_id not in question_ids(interview)
    assert_contiguous(interview)


def test_it_moves_the_current_question_on_when_it_is_removed(interview):
    interview.start()
    first, second = items_of(interview)[:2]
    services.remove_item(item=first)
    interview.refresh_from_db()
    assert interview.current == second

    last = items_of(interview)[-1]
    interview.move_to(last)
    services.remove_item(item=last)
    interview.refresh_from_db()
    assert interview.current == items_of(interview)[-1]


@pytest.mark.parametrize(("index", "offset", "expected"), [(1, -1, 0), (1, 1, 2), (0, -1, 0)])
def test_it_moves_a_question_up_or_down(interview, index, offset, expected):
    items = items_of(interview)
    services.move_item(item=items[index], offset=offset)
    assert question_ids(interview)[expected] == items[index].question_id
    assert_contiguous(interview)


def test_it_keeps_the_last_question_last_when_moved_down(interview):
    last = items_of(interview)[-1]
    services.move_item(item=last, offset=1)
    assert items_of(interview)[-1] == last
    assert_contiguous(interview)


def test_it_swaps_a_question_in_place_and_scores_it_afresh(interview):
    item = items_of(interview)[2]
    item.score, item.hint_given, item.covered_points = 3, True, [0]
    item.save()
    option = services.swap_options(item=item)[0]

    services.swap_item(item=item, question=option)
    item.refresh_from_db()
    assert (item.question, item.position) == (option, 2)
    assert item.pinned == option.snapshot()
    assert (item.score, item.hint_given, item.covered_points) == (None, False, [])
    assert_contiguous(interview)


def test_it_offers_swaps_that_share_a_criterion_and_are_not_asked_yet(make_interview, interview):
    earlier = make_interview(interview.candidate, seed=5, planned_minutes=90)
    asked = set(question_ids(interview)) | set(question_ids(earlier))
    items = items_of(interview)
    offered = set()
    for item in items:
        criteria = set(item.question.criteria.values_list("pk", flat=True))
        for option in services.swap_options(item=item, limit=50):
            assert criteria & set(option.criteria.values_list("pk", flat=True))
            assert option.pk not in asked
            offered.add(item.pk)
    assert offered == {item.pk for item in items}, "every planned question has a swap to check"


def test_it_offers_no_swap_for_a_question_deleted_from_the_bank(interview):
    item = items_of(interview)[0]
    Question.objects.filter(pk=item.question_id).delete()
    item.refresh_from_db()
    assert services.swap_options(item=item) == []


def test_it_counts_how_often_each_question_was_asked(interview, bank):
    exposure = {c.id: c.times_asked for c in services.planner_questions(bank=bank)}
    planned = set(question_ids(interview))
    assert len(exposure) == 45
    assert {qid for qid, n in exposure.items() if n} == planned
    assert all(exposure[qid] == 1 for qid in planned)


def test_it_plans_with_the_measured_median_once_a_question_was_timed_five_times(
    make_interview, bank
):
    question = bank.questions.get(key="s9-q26")
    estimated = question.minutes
    interviews = [make_interview(f"Timed {n}", target_level=Level.PRINCIPAL) for n in range(5)]
    for n, interview in enumerate(interviews):
        item = interview.items.filter(question=question).first() or services.add_question(
            interview=interview, question=question
        )
        item.seconds_spent = 60 * (20 + n)  # 20..24 minutes: median 22
        item.save(update_fields=["seconds_spent"])

    by_id = {q.id: q for q in services.planner_questions(bank=bank)}
    assert by_id[question.pk].minutes == 22 != estimated

    item = services.add_question(
        interview=make_interview("Later", target_level=Level.PRINCIPAL), question=question
    )
    assert (item.pinned.minutes, item.pinned.estimated_minutes) == (22, estimated)
    assert (item.pinned.measured_minutes, item.pinned.timed) == (22, 5)


def test_it_keeps_the_estimate_below_five_timings(make_interview, bank):
    question = bank.questions.get(key="s9-q26")
    interview = make_interview("Once", target_level=Level.PRINCIPAL)
    item = interview.items.filter(question=question).first() or services.add_question(
        interview=interview, question=question
    )
    item.seconds_spent = 3000
    item.save(update_fields=["seconds_spent"])
    by_id = {q.id: q for q in services.planner_questions(bank=bank)}
    assert by_id[question.pk].minutes == question.minutes
