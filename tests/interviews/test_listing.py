"""The dashboard's plain SQL reads (interviews/listing.py) hold to the ORM rules they restate."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviews.listing import InterviewList, awaiting_scorecard, overdue_count
from interviews.models import Interview, PlannedQuestion, Status

# Names whose characters mean something to LIKE, and a case the search must ignore.
NAMES = ["Ada Lovelace", "ada byron", "50% Grace", "Grace_Hopper", "Back\\slash", "Alan Turing"]
SEARCHES = ["", "ada", "ADA", "%", "_", "50%", "e_h", "\\", "nobody"]


@pytest.fixture
def interviews(make_interview, interviewer, other_interviewer):
    """Interviews by several names, statuses and interviewers, some on the same day."""
    made, now = [], timezone.now()
    for n, name in enumerate(NAMES * 2):
        people = [[interviewer], [other_interviewer], [interviewer, other_interviewer]][n // 3 % 3]
        interview = make_interview(name, interviewers=people, planned_minutes=10)
        interview.scheduled_for = now + timedelta(days=n // 3)  # three share each day
        interview.status = [Status.UPCOMING, Status.IN_PROGRESS, Status.COMPLETED][n % 3]
        interview.ended_at = now - timedelta(hours=n) if n % 3 == 2 else None
        interview.save()
        made.append(interview)
    return made


@pytest.mark.parametrize("who", ["interviewer", "manager"])
def test_it_lists_the_rows_the_orm_rules_give(request, interviews, who):
    user = request.getfixturevalue(who)
    for name in SEARCHES:
        for status in ["", Status.IN_PROGRESS, Status.COMPLETED, "nonsense"]:
            orm = (
                Interview.objects.visible_to(user)
                .matching(name=name, status=status)
                .order_by("-scheduled_for", "-pk")
            )
            listed = InterviewList(user=user, everyone=who == "manager", name=name, status=status)
            assert listed.count() == orm.count(), (name, status)
            assert [i.pk for i in listed[0:50]] == [i.pk for i in orm], (name, status)
            assert [i.pk for i in listed[2:5]] == [i.pk for i in orm[2:5]], (name, status)


def test_it_reads_each_row_as_the_orm_does(interviewer, interviews):
    """Every field, typed as the ORM types it (SQLite returns dates and UUIDs as text)."""
    fields = ["pk", "code", "candidate_id", "position", "target_level", "scheduled_for", "status"]
    orm = Interview.objects.select_related("candidate").order_by("-scheduled_for", "-pk")

    def values(rows):
        return [(*(getattr(i, f) for f in fields), i.candidate.name) for i in rows]

    assert values(InterviewList(user=interviewer, everyone=True)[0:50]) == values(orm)


def test_it_counts_the_overdue_scorecards_as_the_orm_rule_does(interviews, settings):
    for hours in (1, 3, 6, 100):  # the fixture's interviews ended 2, 5, 8 and 11 hours ago
        settings.SCORECARD_DUE_HOURS = hours
        assert overdue_count() == Interview.objects.overdue().count(), hours
    assert overdue_count() == 0 < Interview.objects.awaiting_scorecard().count()


def test_it_finds_names_by_what_they_contain_whatever_the_case(interviewer, interviews):
    def names(search):
        listed = InterviewList(user=interviewer, everyone=True, name=search)
        return {i.candidate.name for i in listed[0:50]}

    assert names("ADA") == {"Ada Lovelace", "ada byron"}
    assert names("%") == {"50% Grace"}
    assert names("_") == {"Grace_Hopper"}
    assert names("\\") == {"Back\\slash"}


def test_it_reads_a_page_with_its_candidates_and_progress_in_one_query(interviewer, interviews):
    first = interviews[0]
    items = list(first.items.order_by("position"))
    items[0].score, items[1].score = 0, 3
    PlannedQuestion.objects.bulk_update(items[:2], ["score"])
    listed = InterviewList(user=interviewer, everyone=False)
    with CaptureQueriesContext(connection) as queries:
        page = listed[0:25]
        row = next(i for i in page if i.pk == first.pk)
        assert (row.candidate.name, row.code, row.status) == (
            first.candidate.name,
            first.code,
            first.status,
        )
        assert row.scheduled_for == first.scheduled_for
        assert (row.scored_count, row.planned_count) == (2, len(items))
    assert len(queries) == 1


def test_it_lists_the_scorecards_a_user_owes_as_the_orm_rule_does(
    interviewer, other_interviewer, interviews
):
    for user, owed in ((interviewer, 3), (other_interviewer, 2)):
        orm = Interview.objects.editable_by(user).awaiting_scorecard().order_by("ended_at", "pk")
        due = awaiting_scorecard(user, limit=10)
        assert [i.pk for i in due] == [i.pk for i in orm[:10]]
        assert len(due) == owed
        assert [i.pk for i in awaiting_scorecard(user, limit=2)] == [i.pk for i in orm[:2]]
        first = orm.select_related("candidate").first()
        assert (due[0].candidate.name, due[0].ended_at) == (first.candidate.name, first.ended_at)


def test_it_lists_nothing_for_someone_on_no_interview(django_user_model, interviews):
    nobody = django_user_model.objects.create_user("on-nothing")
    listed = InterviewList(user=nobody, everyone=False)
    assert (listed.count(), listed[0:25]) == (0, [])
    assert awaiting_scorecard(nobody, limit=10) == []
