"""Starting an interview: the form creates the candidate, the interview and its plan."""

import pytest
from django.urls import reverse

from interviews.models import Candidate, Interview
from questionbank.models import Bank, Criterion, Level, RubricLevel

NEW = reverse("interviews:new")


@pytest.fixture
def logged_in(client, interviewer):
    client.force_login(interviewer)
    return client


def form_data(bank, **overrides) -> dict:
    return {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "external_id": " ATS-42 ",
        "position": "ML Engineer",
        "target_level": str(Level.SENIOR),
        "bank": bank.pk,
        "planned_minutes": "45",
        **overrides,
    }


def test_it_offers_the_form_with_me_on_the_panel(logged_in, interviewer, bank):
    response = logged_in.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["interviewers"] == [interviewer.pk]
    assert form.initial["bank"] == bank.pk


def test_it_creates_the_candidate_the_interview_and_its_plan(logged_in, interviewer, bank):
    response = logged_in.post(NEW, form_data(bank))
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("interviews:plan", args=[interview.code])
    candidate = interview.candidate
    assert (candidate.name, candidate.email, candidate.external_id) == (
        "Ada Lovelace",
        "ada@example.com",
        "ATS-42",
    )
    assert candidate.created_by == interviewer
    assert (interview.position, interview.target_level, interview.planned_minutes) == (
        "ML Engineer",
        Level.SENIOR,
        45,
    )
    assert list(interview.interviewers.all()) == [interviewer]
    assert interview.created_by == interviewer
    items = list(interview.items.order_by("position"))
    assert items and sum(i.snapshot["minutes"] for i in items) <= 45


def test_it_puts_the_chosen_interviewers_on_the_panel(
    logged_in, interviewer, other_interviewer, bank
):
    data = form_data(bank, interviewers=[interviewer.pk, other_interviewer.pk])
    logged_in.post(NEW, data)
    assert set(Interview.objects.get().interviewers.all()) == {interviewer, other_interviewer}


def test_it_plans_a_new_interview_for_an_existing_candidate_without_repeats(
    logged_in, interviewer, make_interview, other_interviewer, bank
):
    mine = Candidate.objects.create(name="Ada Lovelace", created_by=interviewer)
    earlier = make_interview(mine, interviewers=[other_interviewer])
    data = form_data(bank, name="", candidate=earlier.candidate.pk)
    assert logged_in.post(NEW, data).status_code == 302

    later = Interview.objects.exclude(pk=earlier.pk).get()
    assert later.candidate == earlier.candidate
    assert Candidate.objects.count() == 1
    asked = set(earlier.items.values_list("question", flat=True))
    assert later.items.exists()
    assert not asked & set(later.items.values_list("question", flat=True))


def test_it_plans_a_question_for_each_chosen_specialist_area(logged_in, bank):
    areas = list(Criterion.objects.filter(bank=bank, rubric_level__level__isnull=True)[:2])
    logged_in.post(NEW, form_data(bank, specialist_areas=[a.pk for a in areas]))
    interview = Interview.objects.get()
    covered = {c["key"] for item in interview.items.all() for c in item.snapshot["criteria"]}
    assert set(interview.specialist_areas.all()) == set(areas)
    assert {a.key for a in areas} <= covered


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "Pick a candidate or enter a new candidate&#x27;s name."),
        ({"position": ""}, "position", "This field is required."),
        ({"planned_minutes": "5"}, "planned_minutes", "greater than or equal to 10"),
        ({"target_level": "9"}, "target_level", "Select a valid choice."),
    ],
)
def test_it_shows_what_is_missing_and_creates_nothing(logged_in, bank, overrides, field, message):
    response = logged_in.post(NEW, form_data(bank, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Interview.objects.exists() and not Candidate.objects.exists()


def test_it_refuses_a_specialist_area_from_another_bank(logged_in, bank):
    other = Bank.objects.create(title="Other bank", slug="other-bank")
    group = RubricLevel.objects.create(bank=other, key="specialist", heading="Specialist Areas")
    foreign = Criterion.objects.create(
        bank=other, rubric_level=group, key="specialist-robotics", name="Robotics", description="-"
    )
    response = logged_in.post(NEW, form_data(bank, specialist_areas=[foreign.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["specialist_areas"] == [
        "Choose specialist areas from the chosen bank."
    ]
    assert not Interview.objects.exists()


def test_it_schedules_an_interview_for_later(client, interviewer, bank):
    client.force_login(interviewer)

    response = client.post(
        "/interviews/new/",
        {
            "name": "Later Candidate",
            "position": "ML Engineer",
            "target_level": 2,
            "bank": bank.pk,
            "planned_minutes": 45,
            "scheduled_for": "2030-01-15T10:30",
        },
    )

    assert response.status_code == 302
    interview = Interview.objects.get(candidate__name="Later Candidate")
    assert interview.scheduled_for.year == 2030
    assert interview.status == "upcoming"


def test_it_refuses_a_new_candidate_with_an_ats_id_already_taken(logged_in, bank):
    """ATS ids are unique (the API syncs by them): a form error, not a database error."""
    Candidate.objects.create(name="Ada L.", external_id="ATS-42")
    response = logged_in.post(NEW, form_data(bank))
    assert response.status_code == 200
    assert "external_id" in response.context["form"].errors
    assert Candidate.objects.count() == 1 and not Interview.objects.exists()
