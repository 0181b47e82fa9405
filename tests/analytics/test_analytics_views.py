import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews import analytics, services
from interviews.models import AnalyticsSnapshot, Candidate, Interview
from questionbank.models import Level, Question

PAGES = [
    ("interviews:analytics_calibration", "manager"),
    ("interviews:analytics_agreement", "manager"),
    ("interviews:analytics_mine", "interviewer"),
    ("interviews:analytics_questions", "editor"),
]


def client_as(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def people(history, manager, editor):
    """The demo history, and a manager and an editor to read its pages."""


@pytest.mark.parametrize(("name", "who"), PAGES)
def test_it_shows_each_page_in_a_constant_number_of_queries(
    client, people, name, who, django_assert_max_num_queries
):
    client = client_as(client, who)
    client.get(reverse(name))  # warm the session
    # session, user, roles, snapshot, scorecards since; the questions page adds its one list.
    with django_assert_max_num_queries(6):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"Synthetic data" in response.content
    assert b"<svg" in response.content


@pytest.mark.parametrize(("name", "who"), PAGES)
def test_it_downloads_every_table_as_csv(client, people, name, who):
    response = client_as(client, who).get(reverse(f"{name}_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 2 and all(len(row) == len(rows[0]) for row in rows)


def test_it_shows_managers_every_interviewer_by_name(client, people):
    page = client_as(client, "manager").get(reverse("interviews:analytics_calibration"))
    assert b"Avery (synthetic)" in page.content and b"Emery (synthetic)" in page.content


def test_it_shows_an_interviewer_only_their_own_name(client, people):
    page = client_as(client, "interviewer").get(reverse("interviews:analytics_mine"))
    text = page.content.decode()
    assert "You are " in text and "Peer 1" in text
    assert "synthetic)" not in text
    csv_text = client.get(reverse("interviews:analytics_mine_csv")).content.decode()
    assert "You," in csv_text and "synthetic" not in csv_text.lower()


def test_it_says_how_many_scorecards_came_in_since(client, people, seed_bank):
    interview = Interview.objects.filter(candidate__name__startswith="Synthetic").first()
    Interview.objects.filter(pk=interview.pk).update(
        submitted_at=AnalyticsSnapshot.objects.latest_one().computed_at
        + __import__("datetime").timedelta(seconds=1)
    )
    page = client_as(client, "manager").get(reverse("interviews:analytics_agreement"))
    assert b"1 scorecard submitted since" in page.content


def test_it_lets_an_editor_retire_a_question_and_the_planner_never_plans_it(
    client, people, seed_bank, make_interview
):
    question = Question.objects.filter(bank=seed_bank, level=Level.SENIOR).plannable().first()
    response = client_as(client, "editor").post(
        reverse("interviews:analytics_question_status"),
        {"question": question.pk, "status": "retired"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.retired_at is not None and question.status_label == "Retired"
    planned = set()
    for seed in range(25):
        interview = make_interview(f"Planner check {seed}", planned_minutes=90, seed=seed)
        planned |= set(interview.items.values_list("question_id", flat=True))
    assert question.pk not in planned
    assert len(planned) > 10  # the planner did plan, from the other questions


def test_it_never_plans_leaked_or_flagged_questions(seed_bank):
    leaked, flagged, *_ = Question.objects.filter(bank=seed_bank)
    leaked.set_status("leaked")
    Question.objects.filter(pk=flagged.pk).update(flags="does not separate candidates")
    ids = {c.id for c in services.planner_questions(bank=seed_bank)}
    assert leaked.pk not in ids and flagged.pk not in ids
    assert len(ids) == Question.objects.filter(bank=seed_bank).count() - 2


def test_it_refuses_a_bad_status_change_and_changes_nothing(client, people, seed_bank):
    question = Question.objects.filter(bank=seed_bank).first()
    client_as(client, "editor").post(
        reverse("interviews:analytics_question_status"), {"question": question.pk, "status": "gone"}
    )
    question.refresh_from_db()
    assert question.retired_at is None and question.leaked_at is None


def test_it_puts_a_retired_question_back_in_use(client, people, seed_bank):
    question = Question.objects.filter(bank=seed_bank).first()
    question.set_status("retired")
    client_as(client, "editor").post(
        reverse("interviews:analytics_question_status"),
        {"question": question.pk, "status": "in_use"},
    )
    assert Question.objects.filter(pk=question.pk).plannable().exists() or question.flags


def test_it_writes_flags_on_refresh_that_the_planner_reads(people, seed_bank):
    # The synthetic history's first question is aced by everyone.
    first = Question.objects.filter(bank=seed_bank).order_by("bank__title", "position").first()
    first.refresh_from_db()
    assert "too easy for its level" in first.flags
    assert first.pk not in {c.id for c in services.planner_questions(bank=seed_bank)}


def test_it_reports_severities_in_score_points_by_user(people):
    severity = analytics.rater_severities()
    avery, emery = (User.objects.get(username=u).pk for u in ("synthetic-avery", "synthetic-emery"))
    assert severity[emery] > 0 > severity[avery]


def test_it_seeds_a_synthetic_history_that_is_idempotent_and_labelled(people, settings):
    names = sorted(
        Candidate.objects.filter(name__startswith="Synthetic candidate").values_list(
            "name", flat=True
        )
    )
    before = Interview.objects.count()
    call_command("seed_analytics_demo", "--candidates", "30", verbosity=0)
    after = sorted(
        Candidate.objects.filter(name__startswith="Synthetic candidate").values_list(
            "name", flat=True
        )
    )
    assert after == names and Interview.objects.count() == before
    assert AnalyticsSnapshot.objects.latest_one().synthetic


def test_it_refuses_the_synthetic_history_without_debug(seed_bank, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("seed_analytics_demo", verbosity=0)
    assert not Candidate.objects.exists()


def test_it_shows_an_empty_state_before_any_snapshot(client, manager):
    page = client_as(client, "manager").get(reverse("interviews:analytics_calibration"))
    assert page.status_code == 200 and b"Not computed yet" in page.content
    assert b"Synthetic data" not in page.content


def test_it_never_lets_flags_leave_a_criterion_without_a_question(seed_bank):
    Question.objects.filter(bank=seed_bank).update(flags="does not separate candidates")
    candidates = services.planner_questions(bank=seed_bank)
    covered = {key for c in candidates for key in c.criteria}
    everything = set(
        seed_bank.criteria.filter(questions__isnull=False).values_list("key", flat=True)
    )
    assert covered == everything
    assert len(candidates) < Question.objects.filter(bank=seed_bank).count()


@pytest.mark.parametrize(("name", "who"), PAGES[:1] + PAGES[2:3])
def test_it_says_on_the_calibration_pages_when_estimates_are_corrected(
    client, people, settings, name, who
):
    client = client_as(client, who)
    settings.INTERVIEW_CORRECT_SEVERITY = False
    off = client.get(reverse(name))
    settings.INTERVIEW_CORRECT_SEVERITY = True
    on = client.get(reverse(name))

    assert off.status_code == on.status_code == 200
    assert "Level estimates are corrected" not in off.content.decode()
    assert "Level estimates are corrected" in on.content.decode()
