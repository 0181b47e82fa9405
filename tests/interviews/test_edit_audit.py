"""A reopened scorecard: every change is audited with its before and after values, and the
reopen's audit row carries the reason. Running interviews keep the throttled "changed" row."""

from django.urls import reverse

from interviews import services
from interviews.models import AuditAction, AuditEvent


def url(name, interview, item=None):
    args = [interview.code] + ([item.code] if item else [])
    return reverse(f"interviews:{name}", args=args)


def changes():
    return list(
        AuditEvent.objects.filter(action=AuditAction.CHANGED)
        .order_by("pk")
        .values_list("detail", flat=True)
    )


def reopened(interview, interviewer):
    interview.items.update(score=2)
    services.submit_scorecard(
        interview=interview, by=interviewer, recommendation="hire", rationale="Solid overall."
    )
    services.reopen_scorecard(interview=interview, by=interviewer, reason="Q scores mistyped.")
    interview.refresh_from_db()
    return interview


def test_it_records_each_change_after_a_reopen_with_before_and_after(
    client, interview, interviewer
):
    reopened(interview, interviewer)
    item = interview.items.order_by("position").first()
    where = services.where(item)
    client.force_login(interviewer)
    htmx = {"HX-Request": "true"}

    client.post(url("item_score", interview, item), {"score": "3"}, headers=htmx)
    client.post(url("item_score", interview, item), {"score": "4"}, headers=htmx)
    client.post(url("item_points", interview, item), {"points": ["0", "1"]}, headers=htmx)
    client.post(url("item_hint", interview, item), {"hint_given": "on"}, headers=htmx)
    client.post(
        url("item_notes", interview, item), {"notes": "Deep answer.", "version": "0"}, headers=htmx
    )
    client.post(
        url("submit", interview), {"recommendation": "strong_hire", "rationale": "Exceptional."}
    )

    assert changes() == [
        f"{where} score: 2 → 3",
        f"{where} score: 3 → 4",
        f"{where} key points: none → 1, 2",
        f"{where} hint given: False → True",
        f'{where} notes: "" → "Deep answer."',
        'recommendation: "Hire" → "Strong hire"',
        'rationale: "Solid overall." → "Exceptional."',
    ]
    reopen = AuditEvent.objects.get(action=AuditAction.REOPENED)
    assert reopen.detail == "reason: Q scores mistyped."


def test_it_records_plan_edits_after_a_reopen(client, interview, interviewer):
    reopened(interview, interviewer)
    item = interview.items.order_by("position").first()
    client.force_login(interviewer)

    client.post(url("plan_remove", interview, item))

    assert changes() == [f"plan: removed {services.where(item)}"]


def test_it_keeps_one_changed_row_per_window_for_a_running_interview(
    client, interview, interviewer
):
    interview.start()
    item = interview.items.order_by("position").first()
    client.force_login(interviewer)

    for score in ("1", "2", "3"):
        client.post(url("item_score", interview, item), {"score": score})

    assert changes() == [""]


def test_it_blanks_the_free_text_the_audit_quoted_on_erasure(
    client, interview, interviewer, manager
):
    reopened(interview, interviewer)
    item = interview.items.first()
    client.force_login(interviewer)
    client.post(url("item_notes", interview, item), {"notes": "Secret-ish.", "version": "0"})
    client.post(url("item_score", interview, item), {"score": "3"})

    services.erase_candidate(candidate=interview.candidate, by=manager)

    details = " ".join(AuditEvent.objects.values_list("detail", flat=True))
    assert "Secret-ish." not in details and "mistyped" not in details
    assert f"{services.where(item)} score: 2 → 3" in details
