"""The autosave answer written out (interviews/fragments.py) against the partial it stands for."""

import re

import pytest
from django.template.loader import render_to_string

from interviews import fragments
from interviews.models import PlannedQuestion, Score

SAVED_AT = re.compile(r"Saved at \d\d:\d\d:\d\d")


def rendered(item) -> str:
    context = {"interview": item.interview, "item": item, "can_edit": True}
    return render_to_string("interviews/live.html#notes-saved", context)


@pytest.mark.parametrize(
    ("score", "notes"),
    [(None, ""), (Score.SOLID, "Clear."), (Score.EXCEPTIONAL, ""), (Score.NO_EVIDENCE, "  \n")],
)
def test_it_writes_the_notes_saved_partial_as_the_template_renders_it(interview, score, notes):
    item = interview.items.order_by("position").first()
    item.score, item.notes, item.notes_version = score, notes, 7
    written, template = fragments.notes_saved(item), rendered(item)
    assert SAVED_AT.search(written) and SAVED_AT.search(template)
    assert SAVED_AT.sub("", written) == SAVED_AT.sub("", template)


def test_it_shows_the_evidence_warning_only_when_a_note_is_needed(interview):
    item = interview.items.order_by("position").first()
    item.score, item.notes = Score.EXCEPTIONAL, ""
    assert (
        f'id="evidence-{item.code}" class="evidence-needed" role="alert" hx-swap-oob="true">'
        in (fragments.notes_saved(item))
    )
    item.notes = "Went deep on trade-offs."
    assert " hidden>" in fragments.notes_saved(item)


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
