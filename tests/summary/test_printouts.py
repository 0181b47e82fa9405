"""PDFs made by the task worker: the page that waits, the poll, one render per content and person,
failures, renders that went quiet, expiry and erasure."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from interviews import printouts, reports, services
from interviews.models import AuditAction, AuditEvent, Interview, Printout

HTMX = {"HX-Request": "true"}


@pytest.fixture
def interview(make_interview, score, submit, interviewer, manager):
    interview = make_interview("Ada Lovelace")
    score(interview, 3, notes={0: "Knew the KV cache."})
    return submit(interview, "hire", "Ready for Senior.")


@pytest.fixture
def asker(client, manager):
    """The hiring manager, who may read the report and the debrief."""
    client.force_login(manager)
    return client


def pdf_url(interview: Interview, name: str) -> str:
    if name == "debrief_pdf":
        return reverse("interviews:debrief_pdf", args=[interview.candidate.code])
    return reverse("interviews:report_pdf", args=[interview.code]) + "?profile=candidate"


def exported() -> int:
    return AuditEvent.objects.filter(action=AuditAction.EXPORTED).count()


@pytest.mark.parametrize("name", ["report_pdf", "debrief_pdf"])
def test_it_answers_a_waiting_page_until_the_worker_has_made_the_pdf(
    asker, interview, name, queued_tasks, db_worker
):
    url = pdf_url(interview, name)

    waiting = asker.get(url)

    printout = Printout.objects.get()
    assert waiting.status_code == 202
    assert "Making the PDF" in waiting.text
    assert reverse("interviews:printout_status", args=[printout.code]) in waiting.text
    assert exported() == 0  # nothing has left the system yet
    assert DBTaskResult.objects.count() == 1

    db_worker()
    response = asker.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert exported() == 1
    assert Printout.objects.get().html == ""  # the HTML is dropped once the PDF is made


@pytest.mark.parametrize("name", ["report_pdf", "debrief_pdf"])
def test_it_queues_one_render_however_often_it_is_asked(asker, interview, name, queued_tasks):
    url = pdf_url(interview, name)

    statuses = [asker.get(url).status_code for _ in range(3)]

    assert statuses == [202, 202, 202]
    assert Printout.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_it_makes_a_new_pdf_when_the_report_changes(asker, interview, manager):
    url = reverse("interviews:report_pdf", args=[interview.code])
    first = asker.get(url)
    Interview.objects.filter(pk=interview.pk).update(rationale="Changed my mind: strong hire.")

    second = asker.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert Printout.objects.count() == 2


def test_it_keeps_each_persons_pdf_their_own(client, interview, interviewer, manager):
    url = reverse("interviews:report_pdf", args=[interview.code])
    client.force_login(manager)
    client.get(url)
    managers = Printout.objects.get()
    client.force_login(interviewer)

    assert client.get(url).status_code == 200
    assert Printout.objects.count() == 2  # the same HTML, asked by another person
    status = reverse("interviews:printout_status", args=[managers.code])
    assert client.get(status, headers=HTMX).status_code == 404


def test_it_polls_until_the_pdf_is_made_then_opens_it(asker, interview, queued_tasks, db_worker):
    url = pdf_url(interview, "report_pdf")
    asker.get(url)
    status = reverse("interviews:printout_status", args=[Printout.objects.get().code])

    queued = asker.get(status, headers=HTMX)
    unchanged = asker.get(status, {"shown": "queued"}, headers=HTMX)
    db_worker()
    made = asker.get(status, {"shown": "queued"}, headers=HTMX)

    assert queued.status_code == 200
    assert f'hx-get="{status}?shown=queued"' in queued.text  # and so on, every second
    assert "HX-Trigger" not in queued
    assert (unchanged.status_code, unchanged.content) == (204, b"")  # nothing to announce
    assert made.status_code == 200
    assert "hx-get" not in made.text
    assert "downloads now" in made.text
    assert json.loads(made["HX-Trigger"]) == {"printout-ready": {"url": url}}


def test_it_says_when_the_pdf_could_not_be_made_and_tries_again_when_asked(
    asker, interview, monkeypatch
):
    url = pdf_url(interview, "report_pdf")
    render_pdf = reports.render_pdf

    def broken(html, base_url):
        raise ValueError("no fonts")

    monkeypatch.setattr(reports, "render_pdf", broken)
    failed = asker.get(url)
    status = reverse("interviews:printout_status", args=[Printout.objects.get().code])
    polled = asker.get(status, headers=HTMX)
    monkeypatch.setattr(reports, "render_pdf", render_pdf)
    polled_again = asker.get(status, headers=HTMX)  # a poll does not try again
    asked_again = asker.get(url)

    assert failed.status_code == 202
    assert "could not be made" in failed.text
    assert "hx-get" not in failed.text
    assert "could not be made" in polled.text and "could not be made" in polled_again.text
    assert asked_again.status_code == 200
    assert asked_again["Content-Type"] == "application/pdf"
    assert Printout.objects.count() == 1


def test_it_queues_again_a_render_that_went_quiet(asker, interview, queued_tasks):
    asker.get(pdf_url(interview, "report_pdf"))
    printout = Printout.objects.get()
    status = reverse("interviews:printout_status", args=[printout.code])

    asker.get(status, headers=HTMX)
    Printout.objects.update(queued=timezone.now() - Printout.QUIET_AFTER - timedelta(seconds=1))
    asker.get(status, headers=HTMX)

    assert DBTaskResult.objects.count() == 2  # once when asked, once when it went quiet
    printout.refresh_from_db()
    assert timezone.now() - printout.queued < timedelta(minutes=1)


def test_it_says_when_the_wait_is_longer_than_usual(asker, interview, queued_tasks):
    asker.get(pdf_url(interview, "report_pdf"))
    printout = Printout.objects.get()
    status = reverse("interviews:printout_status", args=[printout.code])
    assert asker.get(status, {"shown": "queued"}, headers=HTMX).status_code == 204
    Printout.objects.update(queued=timezone.now() - Printout.SLOW_AFTER - timedelta(seconds=1))

    polled = asker.get(status, {"shown": "queued"}, headers=HTMX)

    assert "taking longer than usual" in polled.text
    assert f'hx-get="{status}?shown=slow"' in polled.text
    assert asker.get(status, {"shown": "slow"}, headers=HTMX).status_code == 204


def test_it_forgets_pdfs_after_an_hour(asker, interview):
    asker.get(pdf_url(interview, "report_pdf"))
    asker.get(pdf_url(interview, "debrief_pdf"))
    old = Printout.objects.filter(path=pdf_url(interview, "report_pdf"))
    old.update(created=timezone.now() - Printout.KEPT_FOR - timedelta(seconds=1))

    call_command("periodic", "--once", stdout=io.StringIO())

    assert [p.path for p in Printout.objects.all()] == [pdf_url(interview, "debrief_pdf")]


def test_it_answers_a_poll_for_a_pdf_that_is_gone_with_404(asker, interview, queued_tasks):
    asker.get(pdf_url(interview, "report_pdf"))
    status = reverse("interviews:printout_status", args=[Printout.objects.get().code])
    Printout.objects.all().delete()

    polled = asker.get(status, headers=HTMX)

    assert polled.status_code == 404


def test_it_deletes_the_pdfs_when_the_candidate_is_erased(asker, interview, manager):
    asker.get(pdf_url(interview, "report_pdf"))
    asker.get(pdf_url(interview, "debrief_pdf"))

    services.erase_candidate(candidate=interview.candidate, by=manager)

    assert not Printout.objects.exists()


def test_it_refuses_a_fourth_pdf_while_three_of_the_same_persons_wait(
    asker, interview, queued_tasks, db_worker
):
    for url in (pdf_url(interview, "report_pdf"), pdf_url(interview, "debrief_pdf")):
        assert asker.get(url).status_code == 202
    internal = reverse("interviews:report_pdf", args=[interview.code])
    assert asker.get(internal).status_code == 202
    Interview.objects.filter(pk=interview.pk).update(rationale="A fourth page.")

    refused = asker.get(internal)
    db_worker()
    after = asker.get(internal)

    assert refused.status_code == 429
    assert "3 of your PDFs are being made already" in refused.text
    assert after.status_code == 202  # queued now: the other three are made
    assert Printout.objects.count() == 4


def test_it_makes_nothing_of_a_printout_erased_while_it_waited(asker, interview, queued_tasks):
    asker.get(pdf_url(interview, "report_pdf"))
    printout_id = Printout.objects.get().pk
    Printout.objects.all().delete()

    assert printouts.render(printout_id) == "gone"
    assert not Printout.objects.exists()
