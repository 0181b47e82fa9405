"""Interview state changes and per-question scoring, on the models."""

import secrets
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview, PlannedQuestion, Status


def items_of(interview) -> list[PlannedQuestion]:
    return list(interview.items.order_by("position"))


def test_it_pins_the_question_as_it_was_when_planned(client, interviewer, interview):
    item = items_of(interview)[0]
    pinned = dict(item.snapshot)
    question = item.question
    old_prompt = question.prompt_html

    question.prompt = "Rewritten after the interview was planned."
    question.answer = "- A new expected answer"
    question.level, question.minutes = 1, 30
    question.save()

    item.refresh_from_db()
    assert item.snapshot == pinned
    assert item.pinned.prompt_html == old_prompt
    client.force_login(interviewer)
    body = client.get(interview.get_absolute_url()).content.decode()
    assert old_prompt in body
    assert "Rewritten after the interview was planned." not in body
    assert "A new expected answer" not in body


def test_it_keeps_the_pinned_question_when_the_bank_question_is_deleted(interview):
    item = items_of(interview)[0]
    number = item.snapshot["number"]
    item.question.delete()
    item.refresh_from_db()
    assert item.question is None
    assert item.pinned.number == number


def test_it_starts_the_clock_on_the_first_question(interview):
    interview.start()
    interview.refresh_from_db()
    assert interview.status == Status.IN_PROGRESS
    assert interview.started_at is not None
    assert interview.current == items_of(interview)[0]
    assert interview.current_since is not None


def test_it_starts_only_once(interview):
    interview.start()
    started_at = interview.started_at
    interview.start()
    interview.refresh_from_db()
    assert interview.started_at == started_at


def test_it_ends_and_records_the_end_time_and_the_last_questions_time(interview):
    interview.start()
    interview.current_since = timezone.now() - timedelta(seconds=60)
    interview.end()
    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED
    assert interview.ended_at >= interview.started_at
    assert interview.current.seconds_spent >= 60


def test_it_does_not_restart_or_re_end_a_completed_interview(interview):
    interview.start()
    interview.end()
    ended_at = interview.ended_at
    interview.start()
    interview.end()
    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED
    assert interview.ended_at == ended_at


def test_it_kills_the_candidate_screen_when_ending(interview):
    interview.start()
    token = interview.open_screen()
    interview.end()
    interview.refresh_from_db()
    assert interview.screen_token is None
    assert not Interview.objects.filter(screen_token=token).exists()


def test_it_opens_an_unguessable_screen_link_that_replaces_the_previous_one(interview):
    first = interview.open_screen()
    second = interview.open_screen()
    assert len(first) >= len(secrets.token_urlsafe(32)) and len(second) >= 43
    assert first != second
    interview.refresh_from_db()
    assert interview.screen_token == second
    interview.revoke_screen()
    interview.refresh_from_db()
    assert interview.screen_token is None


def test_it_adds_the_time_spent_to_the_question_left(interview):
    interview.start()
    first, second = items_of(interview)[:2]
    interview.current_since = timezone.now() - timedelta(seconds=90)
    interview.move_to(second)
    first.refresh_from_db()
    interview.refresh_from_db()
    assert 90 <= first.seconds_spent < 100
    assert interview.current == second


def test_it_saves_notes_only_on_the_version_they_were_based_on(interview):
    item = items_of(interview)[0]
    assert item.save_notes("first", base_version=0)
    assert item.notes_version == 1

    stale = PlannedQuestion.objects.get(pk=item.pk)
    assert not stale.save_notes("second", base_version=0)
    assert (stale.notes, stale.notes_version) == ("first", 1)

    assert stale.save_notes("first, then second", base_version=1)
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == ("first, then second", 2)


def test_it_ticks_and_unticks_key_points(interview):
    item = items_of(interview)[0]
    item.set_point(1, True)
    item.set_point(0, True)
    item.set_point(1, True)
    assert item.covered_points == [0, 1]
    PlannedQuestion.objects.get(pk=item.pk).set_point(0, False)
    item.refresh_from_db()
    assert item.covered_points == [1]


def test_it_tells_not_assessed_from_unscored(interview):
    item = items_of(interview)[0]
    assert not item.is_scored
    item.score = 0
    assert item.is_scored


def test_it_lists_the_questions_a_candidate_already_had(make_interview, interview):
    later = make_interview(interview.candidate, seed=2)
    first_ids = {i.question_id for i in items_of(interview)}
    later_ids = {i.question_id for i in items_of(later)}
    assert interview.candidate.asked_question_ids() == first_ids | later_ids
    assert interview.candidate.asked_question_ids(exclude_interview=later) == first_ids


def test_it_shows_every_interview_to_a_hiring_manager_and_only_theirs_to_an_interviewer(
    make_interview, interviewer, other_interviewer, manager
):
    mine = make_interview("Mine")
    theirs = make_interview("Theirs", interviewers=[other_interviewer])
    assert list(Interview.objects.visible_to(interviewer)) == [mine]
    assert set(Interview.objects.visible_to(manager)) == {mine, theirs}
    assert not Interview.objects.editable_by(manager).exists()


def test_it_links_to_the_live_view(interview):
    assert interview.get_absolute_url() == reverse("interviews:live", args=[interview.code])


def test_it_reads_the_plan_in_order_in_one_query_with_every_field(
    interview, django_assert_num_queries
):
    first = items_of(interview)[0]
    first.position, first.score, first.notes = 1000, 3, "Moved to the end."
    first.save(update_fields=["position", "score", "notes"])
    expected = items_of(interview)
    with django_assert_num_queries(1):
        plan = interview.plan()
        fields = [f.attname for f in PlannedQuestion._meta.concrete_fields]
        assert [[getattr(i, f) for f in fields] for i in plan] == [
            [getattr(i, f) for f in fields] for i in expected
        ]
        assert plan[-1].notes == "Moved to the end." and plan[-1].interview is interview
