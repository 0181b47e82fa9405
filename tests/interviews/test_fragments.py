"""The live view's htmx answers (interviews/fragments.py) and the autosave's read."""

import re

from django.test import RequestFactory

from interviews import fragments
from interviews.models import PlannedQuestion, Score


def notes_saved(item) -> str:
    context = {"interview": item.interview, "item": item, "can_edit": True}
    return fragments.partial(
        RequestFactory().post("/"), "interviews/live.html", "notes_saved", context
    )


def test_it_answers_a_notes_save_with_the_time_the_version_and_an_emptied_conflict_box(interview):
    item = interview.items.order_by("position").first()
    item.notes_version = 7
    answer = notes_saved(item)
    assert re.search(
        r'id="save-status" data-state="saved" hx-swap-oob="true">Saved at \d\d:\d\d:\d\d<', answer
    )
    assert f'id="notes-version-{item.code}" value="7" hx-swap-oob="true">' in answer
    assert f'<div id="conflict-{item.code}" hx-swap-oob="true"></div>' in answer


def test_it_shows_the_evidence_warning_only_when_a_note_is_needed(interview):
    item = interview.items.order_by("position").first()
    item.score, item.notes = Score.EXCEPTIONAL, ""
    assert (
        f'id="evidence-{item.code}" class="evidence-needed" role="alert" hx-swap-oob="true">'
        in notes_saved(item)
    )
    item.notes = "Went deep on trade-offs."
    assert " hidden>" in notes_saved(item)


def test_it_reads_an_autosave_target_only_for_its_interviewers(interview, other_interviewer):
    item = interview.items.order_by("position").first()
    interviewer = interview.interviewers.get()
    found = PlannedQuestion.objects.for_autosave(
        interview_code=interview.code, item_code=item.code, user=interviewer
    )
    assert (found.pk, found.notes_version, found.interview.status) == (
        item.pk,
        item.notes_version,
        interview.status,
    )
    assert found.interview.code == interview.code and found.code == item.code
    assert found.interview.candidate.erased_at is None
    assert (
        PlannedQuestion.objects.for_autosave(
            interview_code=interview.code, item_code=item.code, user=other_interviewer
        )
        is None
    )
