"""The live view's htmx answers (interviews/fragments.py) and the autosave's read and write."""

import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews import fragments
from interviews.models import Candidate, Interview, PlannedQuestion, Score, Status


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


def test_it_puts_one_csrf_token_in_every_form_of_the_live_page(client, interview):
    client.force_login(interview.interviewers.get())
    page = client.get(reverse("interviews:live", args=[interview.code])).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == page.count('<form method="post"') + page.count("<form class=") > 5
    assert len(set(tokens)) == 1


def test_it_answers_an_autosave_without_renewing_the_csrf_cookie(client, interview):
    client.force_login(interview.interviewers.get())
    item = interview.items.order_by("position").first()
    url = reverse("interviews:item_notes", args=[interview.code, item.code])
    response = client.post(url, {"notes": "Typed.", "version": 0}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    assert "csrftoken" not in response.cookies


def save_running_notes(item, user, text="Typed.", version=0):
    return PlannedQuestion.objects.save_running_notes(
        interview_code=item.interview.code,
        item_code=item.code,
        user=user,
        text=text,
        base_version=version,
    )


def test_it_saves_a_running_interviews_notes_in_one_statement(interview):
    interview.start()
    item, interviewer = interview.items.order_by("position").first(), interview.interviewers.get()
    with CaptureQueriesContext(connection) as queries:
        saved = save_running_notes(item, interviewer, "Knows the KV cache.")
    assert len(queries) == 1
    assert (saved.pk, saved.notes, saved.notes_version) == (item.pk, "Knows the KV cache.", 1)
    assert (saved.interview.pk, saved.interview.code) == (interview.pk, interview.code)
    assert saved.interview.status == Status.IN_PROGRESS
    with CaptureQueriesContext(connection) as audit_reads:
        assert saved.interview.candidate.code == interview.candidate.code
    assert len(audit_reads) == 1  # the candidate: what the audit row needs, in one read
    item.refresh_from_db()
    assert (item.notes, item.notes_version, item.updated) == (
        "Knows the KV cache.",
        1,
        saved.updated,
    )


def test_it_saves_nothing_in_one_statement_unless_all_its_checks_pass(interview, other_interviewer):
    """Each case the read-then-save path must tell apart (404, 403, 410, 409, already saved)."""
    interview.start()
    item, interviewer = interview.items.order_by("position").first(), interview.interviewers.get()
    item.save_notes("Saved before.", 0)
    assert save_running_notes(item, other_interviewer, version=1) is None
    assert save_running_notes(item, interviewer, version=0) is None  # stale: someone saved since
    assert save_running_notes(item, interviewer, "Saved before.", version=1) is None
    for status in (Status.UPCOMING, Status.COMPLETED, Status.SUBMITTED):
        Interview.objects.filter(pk=interview.pk).update(status=status)
        assert save_running_notes(item, interviewer, version=1) is None
    Interview.objects.filter(pk=interview.pk).update(status=Status.IN_PROGRESS)
    Candidate.objects.filter(pk=interview.candidate_id).update(erased_at=timezone.now())
    assert save_running_notes(item, interviewer, version=1) is None
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == ("Saved before.", 1)
    Candidate.objects.filter(pk=interview.candidate_id).update(erased_at=None)
    assert save_running_notes(item, interviewer, version=1).notes_version == 2
