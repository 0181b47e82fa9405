"""Editing the plan through the pages: search, add, remove, move, swap (htmx and plain forms)."""

import re

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Status
from questionbank.models import Bank, Question, Section

HTMX = {"HX-Request": "true"}


def items_of(interview):
    return list(interview.items.order_by("position"))


def question_ids(interview) -> list[int]:
    return [item.question_id for item in items_of(interview)]


def plan_url(name: str, interview, item=None) -> str:
    args = [interview.code] if item is None else [interview.code, item.code]
    return reverse(f"interviews:{name}", args=args)


@pytest.fixture
def logged_in(client, interviewer):
    client.force_login(interviewer)
    return client


def unplanned(interview):
    return interview.bank.questions.exclude(pk__in=question_ids(interview))


def test_it_shows_the_plan_warm_up_to_hardest_with_its_time(logged_in, interview):
    response = logged_in.get(plan_url("plan", interview))
    assert response.status_code == 200
    body = response.content.decode()
    items = items_of(interview)
    minutes = sum(item.snapshot["minutes"] for item in items)
    assert (
        f"{len(items)} questions, about {minutes} of the 40 minutes left after a 5-minute buffer"
        in body
    )
    assert "Every Senior criterion is covered." in body
    assert "How the plan was made" in body and "at most two stretch questions" in body
    numbers = [body.index(f'id="item-{item.code}"') for item in items]
    assert numbers == sorted(numbers)


def offered(response, action: str) -> list[Question]:
    """The questions a fragment offers, read from its buttons' labels: "Add S1 · Q5"."""
    labels = re.findall(rf'aria-label="{action} S(\d+) · (Q\d+)"', response.content.decode())
    return [
        Question.objects.get(section__number=section, number=number) for section, number in labels
    ]


def test_it_finds_bank_questions_not_yet_planned(logged_in, interview):
    response = logged_in.get(plan_url("plan_search", interview), {"q": "attention"}, headers=HTMX)
    results = offered(response, "Add")
    assert results and all(q.pk not in question_ids(interview) for q in results)
    assert all("attention" in (q.prompt + q.answer).lower() for q in results)


def test_it_shows_a_planned_question_as_added_not_addable(logged_in, interview):
    planned = items_of(interview)[0].question
    by_key = logged_in.get(plan_url("plan_search", interview), {"q": planned.key}, headers=HTMX)
    assert offered(by_key, "Add") == []
    body = by_key.content.decode()
    assert f'aria-label="Added: {planned.label} is in the plan">Added</button>' in body
    assert "disabled" in body


def test_it_tells_the_search_results_to_refresh_after_an_htmx_add(logged_in, interview):
    question = unplanned(interview).first()
    response = logged_in.post(
        plan_url("plan_add", interview), {"question": question.pk}, headers=HTMX
    )
    assert response.status_code == 200
    assert "plan-changed" in response["HX-Trigger-After-Settle"]
    again = logged_in.get(plan_url("plan_search", interview), {"q": question.key}, headers=HTMX)
    assert ">Added</button>" in again.content.decode()
    assert offered(again, "Add") == []


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_it_adds_a_question_at_the_end(logged_in, interview, headers):
    question = unplanned(interview).first()
    response = logged_in.post(
        plan_url("plan_add", interview), {"question": question.pk}, headers=headers
    )
    if headers:
        assert response.status_code == 200
        assert response.content.decode().lstrip().startswith('<section id="plan-list"')
    else:
        assert response.status_code == 302 and response.url == plan_url("plan", interview)
    assert question_ids(interview)[-1] == question.pk
    assert [i.position for i in items_of(interview)] == list(range(len(items_of(interview))))


@pytest.mark.parametrize("choice", ["planned", "other bank", "unknown", "not a number"])
def test_it_refuses_to_add_a_question_it_cannot_plan(logged_in, interview, choice):
    before = question_ids(interview)
    if choice == "planned":
        pk = before[0]
    elif choice == "other bank":
        bank = Bank.objects.create(title="Other", slug="other")
        section = Section.objects.create(bank=bank, number=1, title="One")
        pk = Question.objects.create(bank=bank, section=section, key="s1-q1", prompt="?").pk
    else:
        pk = {"unknown": 10**9, "not a number": "abc"}[choice]
    response = logged_in.post(plan_url("plan_add", interview), {"question": pk})
    assert response.status_code == 400
    assert question_ids(interview) == before


def test_it_removes_a_question_and_keeps_positions_contiguous(logged_in, interview):
    removed = items_of(interview)[1]
    response = logged_in.post(plan_url("plan_remove", interview, removed), headers=HTMX)
    assert response.status_code == 200
    assert removed.question_id not in question_ids(interview)
    assert [i.position for i in items_of(interview)] == list(range(len(items_of(interview))))


def test_it_moves_a_question_down_and_up(logged_in, interview):
    first, second = items_of(interview)[:2]
    logged_in.post(plan_url("plan_move", interview, first), {"offset": "1"})
    assert items_of(interview)[:2] == [second, first]
    logged_in.post(plan_url("plan_move", interview, first), {"offset": "-1"}, headers=HTMX)
    assert items_of(interview)[:2] == [first, second]


@pytest.mark.parametrize("offset", ["5", "x", ""])
def test_it_refuses_a_move_that_is_not_one_step(logged_in, interview, offset):
    before = question_ids(interview)
    item = items_of(interview)[1]
    response = logged_in.post(plan_url("plan_move", interview, item), {"offset": offset})
    assert response.status_code == 400
    assert question_ids(interview) == before


def test_it_suggests_alternatives_that_share_a_criterion(logged_in, interview):
    item = items_of(interview)[0]
    response = logged_in.get(plan_url("plan_swap_options", interview, item), headers=HTMX)
    options = offered(response, "Swap for")
    criteria = set(item.question.criteria.values_list("pk", flat=True))
    assert options and options == services.swap_options(item=item)
    for option in options:
        assert criteria & set(option.criteria.values_list("pk", flat=True))


def test_it_swaps_a_question_for_a_suggested_alternative_in_place(logged_in, interview):
    item = items_of(interview)[1]
    option = services.swap_options(item=item)[0]
    response = logged_in.post(plan_url("plan_swap", interview, item), {"question": option.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.question, item.position) == (option, 1)


def test_it_refuses_a_swap_for_a_question_sharing_no_criterion(logged_in, interview):
    item = items_of(interview)[1]
    criteria = item.question.criteria.all()
    unrelated = unplanned(interview).exclude(criteria__in=criteria).first()
    response = logged_in.post(plan_url("plan_swap", interview, item), {"question": unrelated.pk})
    assert response.status_code == 400
    assert b"Pick one of the suggested alternatives." in response.content
    item.refresh_from_db()
    assert item.question != unrelated


def test_it_refuses_plan_changes_once_submitted(logged_in, interview):
    interview.status = Status.SUBMITTED
    interview.save()
    before = question_ids(interview)
    item = items_of(interview)[0]
    assert logged_in.post(plan_url("plan_remove", interview, item)).status_code == 403
    question = unplanned(interview).first()
    assert (
        logged_in.post(plan_url("plan_add", interview), {"question": question.pk}).status_code
        == 403
    )
    assert question_ids(interview) == before


def test_it_says_when_the_bank_cannot_fill_the_time(logged_in, make_interview):
    interview = make_interview("Junior", target_level=1, planned_minutes=60)
    body = logged_in.get(plan_url("plan", interview)).content.decode()
    total = sum(item.snapshot["minutes"] for item in items_of(interview))
    assert 54 - total >= 5
    assert f"{54 - total} minutes are not planned" in body


def test_it_lists_target_criteria_a_hand_edited_plan_leaves_out(logged_in, interview):
    security = [i for i in items_of(interview) if "senior-security" in str(i.snapshot)]
    for item in security:
        logged_in.post(plan_url("plan_remove", interview, item))
    body = logged_in.get(plan_url("plan", interview)).content.decode()
    assert "Not covered by this plan:" in body
    assert "<strong>Security</strong> —" in body
