"""The dashboard: whose interviews, search, status filter, pages, progress, query budget."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from interviews.models import Candidate, Interview, PlannedQuestion, Status
from interviews.views.dashboard import PAGE_SIZE, date_label

DASHBOARD = reverse("interviews:dashboard")


def listed(response) -> list[str]:
    return [interview.candidate.name for interview in response.context["page"].object_list]


@pytest.fixture
def many(make_interview, interviewer):
    """Thirty of my interviews, one a day, newest "Candidate 29"; each plans the same questions."""
    first = make_interview("Candidate 00", planned_minutes=10)
    items = list(first.items.all())
    day = timezone.now()
    for n in range(1, 30):
        interview = Interview.objects.create(
            candidate=Candidate.objects.create(name=f"Candidate {n:02}"),
            position="ML Engineer",
            target_level=first.target_level,
            bank=first.bank,
            scheduled_for=day + timedelta(days=n),
        )
        interview.interviewers.add(interviewer)
        PlannedQuestion.objects.bulk_create(
            PlannedQuestion(
                interview=interview, question=i.question, position=i.position, snapshot=i.snapshot
            )
            for i in items
        )
    return Interview.objects.all()


def test_it_lists_only_my_interviews_for_an_interviewer(
    client, make_interview, interviewer, other_interviewer
):
    make_interview("Mine")
    make_interview("Theirs", interviewers=[other_interviewer])
    client.force_login(interviewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert listed(response) == ["Mine"]
    assert b"Theirs" not in response.content
    assert b"My interviews" in response.content


def test_it_lists_everyones_interviews_for_a_hiring_manager(
    client, make_interview, manager, other_interviewer
):
    make_interview("Mine")
    make_interview("Theirs", interviewers=[other_interviewer])
    client.force_login(manager)
    response = client.get(DASHBOARD)
    assert sorted(listed(response)) == ["Mine", "Theirs"]
    assert b"All interviews" in response.content


def test_it_shows_progress_as_questions_scored_of_planned(client, interviewer, interview):
    first, second = interview.items.order_by("position")[:2]
    first.score, second.score = 0, 4
    PlannedQuestion.objects.bulk_update([first, second], ["score"])
    client.force_login(interviewer)
    body = client.get(DASHBOARD).content.decode()
    assert f"2 / {interview.items.count()} scored" in body
    assert "ML Engineer" in body and "Senior" in body and "Upcoming" in body


def test_it_searches_by_candidate_name(client, make_interview, interviewer):
    make_interview("Ada Lovelace")
    make_interview("Grace Hopper")
    client.force_login(interviewer)
    assert listed(client.get(DASHBOARD, {"q": "lovel"})) == ["Ada Lovelace"]
    nothing = client.get(DASHBOARD, {"q": "Turing"})
    assert listed(nothing) == [] and b"No interviews match." in nothing.content


def test_it_filters_by_status(client, make_interview, interviewer):
    make_interview("Waiting")
    running = make_interview("Running")
    running.start()
    client.force_login(interviewer)
    assert listed(client.get(DASHBOARD, {"status": Status.IN_PROGRESS})) == ["Running"]
    assert listed(client.get(DASHBOARD, {"status": Status.UPCOMING})) == ["Waiting"]
    assert len(listed(client.get(DASHBOARD, {"status": "nonsense"}))) == 2


def test_it_answers_htmx_searches_with_the_results_only(client, make_interview, interviewer):
    make_interview("Ada Lovelace")
    client.force_login(interviewer)
    response = client.get(DASHBOARD, {"q": "Ada"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "Ada Lovelace" in body and "<html" not in body


def test_it_pages_the_list_newest_first(client, interviewer, many):
    client.force_login(interviewer)
    first = client.get(DASHBOARD)
    assert PAGE_SIZE == 25
    assert listed(first) == [f"Candidate {n:02}" for n in range(29, 4, -1)]
    assert b"Page 1 of 2" in first.content and b'rel="next"' in first.content

    second = client.get(DASHBOARD, {"page": "2"})
    assert listed(second) == [f"Candidate {n:02}" for n in range(4, -1, -1)]
    assert listed(client.get(DASHBOARD, {"page": "abc"})) == listed(first)


@pytest.mark.parametrize("role", ["interviewer", "manager"])
def test_it_keeps_the_dashboards_query_count_as_interviews_grow(
    client, request, make_interview, django_assert_num_queries, role
):
    client.force_login(request.getfixturevalue(role))
    make_interview("Ada")
    make_interview("Grace").start()
    with CaptureQueriesContext(connection) as two:
        assert client.get(DASHBOARD).status_code == 200

    request.getfixturevalue("many")
    assert Interview.objects.count() == 32
    with django_assert_num_queries(len(two)):
        response = client.get(DASHBOARD)
    assert len(listed(response)) == PAGE_SIZE


def test_it_keeps_the_searchs_query_count_as_matches_grow(
    client, manager, make_interview, django_assert_num_queries
):
    client.force_login(manager)
    make_interview("Candidate Ada")
    with CaptureQueriesContext(connection) as one:
        assert listed(client.get(DASHBOARD, {"q": "candidate"})) == ["Candidate Ada"]

    for n in range(PAGE_SIZE + 5):
        make_interview(f"Candidate {n:02}").start()
    with django_assert_num_queries(len(one)):
        response = client.get(DASHBOARD, {"q": "candidate"})
    assert len(listed(response)) == PAGE_SIZE
    assert b"Page 1 of 2" in response.content


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 1, 5, 0, 7), datetime(2026, 12, 31, 23, 59), datetime(987, 9, 10, 9, 0)],
)
def test_it_prints_dates_as_the_date_filter_does(moment):
    assert date_label(moment) == dateformat.format(moment, "j M Y, H:i")
    assert date_label(moment, year=False) == dateformat.format(moment, "j M, H:i")


def test_it_prints_dates_in_the_active_language():
    moment = datetime(2026, 3, 5, 9, 30)  # "Mär", "Mar", "mars"
    for language in ("de", "en-gb", "fr", "de"):
        with translation.override(language):
            assert date_label(moment) == dateformat.format(moment, "j M Y, H:i")
