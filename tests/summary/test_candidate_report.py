"""The candidate-safe report is written for the candidate: notes only when shared, their own feedback
field, bank order, readable type."""

import re

from django.urls import reverse

from interviews import reports
from interviews.models import PlannedQuestion

NOTE = "NOTE-FOR-COLLEAGUES"
SHARED = "NOTE-SHARED-WITH-CANDIDATE"
FEEDBACK = "FEEDBACK-FOR-THE-CANDIDATE"


def candidate_report(client, interview) -> str:
    url = reverse("interviews:report", args=[interview.code])
    response = client.get(url, {"profile": "candidate"})
    assert response.status_code == 200
    return response.content.decode()


def test_it_keeps_notes_out_of_the_candidate_report_by_default(
    client, interviewer, make_interview, score, submit
):
    interview = make_interview()
    score(interview, 3, notes={0: NOTE, 1: SHARED}, shared={1})
    submit(interview)
    client.force_login(interviewer)

    html = candidate_report(client, interview)

    assert NOTE not in html
    assert SHARED in html
    internal = client.get(reverse("interviews:report", args=[interview.code])).content.decode()
    assert NOTE in internal and SHARED in internal


def test_it_shows_the_candidate_feedback_written_at_submission(
    client, interviewer, make_interview, score
):
    interview = make_interview()
    score(interview, 3)
    client.force_login(interviewer)

    response = client.post(
        reverse("interviews:submit", args=[interview.code]),
        {"recommendation": "hire", "rationale": "Solid.", "candidate_feedback": f"  {FEEDBACK}\n"},
    )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.candidate_feedback == FEEDBACK
    assert FEEDBACK in candidate_report(client, interview)


def test_it_needs_no_candidate_feedback_to_submit(client, interviewer, make_interview, score):
    interview = make_interview()
    score(interview, 3)
    client.force_login(interviewer)

    client.post(
        reverse("interviews:submit", args=[interview.code]),
        {"recommendation": "hire", "rationale": "Solid."},
    )

    interview.refresh_from_db()
    assert interview.status == "submitted" and interview.candidate_feedback == ""


def test_it_lists_the_candidate_report_in_bank_order(client, interviewer, make_interview, score):
    interview = make_interview()
    items = list(interview.items.order_by("position"))
    # Ask the questions in reverse bank order.
    items.sort(key=reports.bank_order, reverse=True)
    for position, item in enumerate(items):
        item.position = position
    PlannedQuestion.objects.bulk_update(items, ["position"])
    score(interview, 3)
    client.force_login(interviewer)

    html = candidate_report(client, interview)

    sections = re.findall(r"<h2>(Section (\d+)[^<]*)</h2>", html)
    numbers = [int(n) for _, n in sections]
    assert len(numbers) >= 2, "the check needs questions from several sections"
    assert numbers == sorted(numbers)


def test_it_shares_notes_only_when_the_interviewer_marks_them(client, interviewer, make_interview):
    interview = make_interview()
    interview.start()
    item = interview.items.order_by("position").first()
    client.force_login(interviewer)
    url = reverse("interviews:item_sharing", args=[interview.code, item.code])

    client.post(url, {"notes_shared": "on"})
    item.refresh_from_db()
    assert item.notes_shared is True

    client.post(url, {})
    item.refresh_from_db()
    assert item.notes_shared is False
