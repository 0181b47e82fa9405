"""Privacy: the personal-data export, erasure (no personal string left anywhere in the database),
the retention purge, the audit log and CSV formula neutralising."""

import csv
import io
import json
import time
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import locmem
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews import reports
from interviews.models import (
    AuditAction,
    AuditEvent,
    Candidate,
    Interview,
    PlannedQuestion,
    Reopening,
    Status,
)

from .helpers import MARKER_NAME, World, score_all, submit

NOTE_MARKER = "Walrus-Note-Marker"
PRIVATE_MARKER = "Pangolin-Private-Marker"
RATIONALE_MARKER = "Okapi-Rationale-Marker"
REASON_MARKER = "Narwhal-Reason-Marker"
POSITION_MARKER = "Quokka-Position-Marker"
EMAIL_MARKER = "zebedee.marker@example.com"
ATS_MARKER = "ATS-Axolotl-Marker"
MARKERS = [
    MARKER_NAME,
    NOTE_MARKER,
    PRIVATE_MARKER,
    RATIONALE_MARKER,
    REASON_MARKER,
    POSITION_MARKER,
    EMAIL_MARKER,
    ATS_MARKER,
]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"interviews:{name}", args=args)


def dump_database() -> str:
    """Every row of every table, as `dumpdata` writes it; lower-cased, so a slug finds its name."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def question_statistics() -> tuple[Counter, dict, dict]:
    """What must survive an erasure: times asked and the score distribution of each question."""
    rows = Counter(PlannedQuestion.objects.values_list("question_id", "score", "position"))
    asked = dict(
        PlannedQuestion.objects.values("question")
        .annotate(n=Count("id"))
        .values_list("question", "n")
    )
    scores = Counter(PlannedQuestion.objects.values_list("question_id", "score"))
    return rows, asked, dict(scores)


@pytest.fixture
def marked(world: World) -> World:
    """The world with personal data and free text everywhere a candidate's can be.

    The owner's scorecard was submitted with notes (one private) and a rationale, then reopened
    with a reason; the panel's is submitted; both have been viewed and exported, so the audit log
    and the frozen summaries hold whatever those views wrote.
    """
    candidate = world.candidate
    candidate.email, candidate.external_id = EMAIL_MARKER, ATS_MARKER
    candidate.save()
    for interview in (world.interview, world.panel_interview):
        Interview.objects.filter(pk=interview.pk).update(position=POSITION_MARKER)
        items = list(interview.items.order_by("position"))
        for index, item in enumerate(items):
            item.score = 4
            item.notes = f"{NOTE_MARKER} on {item.snapshot['number']}"
            item.notes_shared = index != 0
            if index == 0:
                item.notes = f"{PRIVATE_MARKER}: said to mention nothing"
        PlannedQuestion.objects.bulk_update(items, ["score", "notes", "notes_shared"])
        submit(interview, rationale=f"{RATIONALE_MARKER}: clear and careful.")
    owner = logged_in(world.users["owner"])
    response = owner.post(url("reopen", world.interview.code), {"reason": REASON_MARKER})
    assert response.status_code == 302

    manager = logged_in(world.users["manager"])
    code, candidate_code = world.interview.code, candidate.code
    for name, args, query in [
        ("summary", [code], ""),
        ("report", [code], ""),
        ("report_pdf", [code], ""),
        ("report_pdf", [world.panel_interview.code], "?profile=candidate"),
        ("export_csv", [code], ""),
        ("export_json", [code], ""),
        ("debrief", [candidate_code], ""),
        ("debrief_pdf", [candidate_code], ""),
        ("candidate_export", [candidate_code], ""),
    ]:
        assert manager.get(url(name, *args) + query).status_code == 200, name
    return world


# Export ------------------------------------------------------------------------------------------


def test_it_exports_everything_held_about_a_candidate_for_a_manager(marked):
    manager = logged_in(marked.users["manager"])

    response = manager.get(url("candidate_export", marked.candidate.code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["candidate"] == {
        "id": str(marked.candidate.code),
        "name": MARKER_NAME,
        "email": EMAIL_MARKER,
        "ats_id": ATS_MARKER,
        "created": marked.candidate.created.isoformat(),
    }
    interviews = {i["interview"]["id"]: i for i in data["interviews"]}
    marked_codes = {str(marked.interview.code), str(marked.panel_interview.code)}
    assert set(interviews) == marked_codes | {str(marked.intruder_interview.code)}
    owners = interviews[str(marked.interview.code)]
    assert owners["interview"]["interviewers"] == ["owner"]
    assert owners["reopenings"][0]["reason"] == REASON_MARKER
    notes = [q["notes"] for i in data["interviews"] for q in i["questions"]]
    assert any(NOTE_MARKER in n for n in notes) and any(PRIVATE_MARKER in n for n in notes)
    assert all(q["score"] == 4 for code in marked_codes for q in interviews[code]["questions"])
    assert interviews[str(marked.panel_interview.code)]["interview"]["rationale"].startswith(
        RATIONALE_MARKER
    )
    assert {"viewed", "exported", "reopened"} <= {e["action"] for e in data["audit"]}


@pytest.mark.parametrize("role", ["owner", "panel_before", "outsider", "editor"])
def test_it_lets_nobody_but_a_manager_export_a_candidate(world, role):
    response = logged_in(world.users[role]).get(url("candidate_export", world.candidate.code))
    assert response.status_code == 404


# Erasure -----------------------------------------------------------------------------------------


def test_it_asks_for_the_name_before_erasing(world):
    manager = logged_in(world.users["manager"])

    page = manager.get(url("candidate_erase", world.candidate.code))

    assert page.status_code == 200
    assert f"Erase {MARKER_NAME}?" in page.text
    assert 'name="confirm_name"' in page.text
    assert Candidate.objects.get().erased_at is None


def test_it_erases_nothing_for_a_wrong_name(marked):
    before = dump_database()
    manager = logged_in(marked.users["manager"])

    response = manager.post(
        url("candidate_erase", marked.candidate.code), {"confirm_name": "Zebedee"}
    )

    assert response.status_code == 200
    assert "The name does not match; nothing was erased." in response.text
    candidate = Candidate.objects.get()
    assert candidate.name == MARKER_NAME and candidate.erased_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.ERASED).exists()
    after = dump_database()
    for marker in MARKERS:
        assert after.count(marker.lower()) == before.count(marker.lower()), marker


def test_it_leaves_no_personal_string_anywhere_in_the_database_after_erasing(marked):
    before = dump_database()
    for marker in MARKERS:
        assert marker.lower() in before, f"{marker} should be in the database before erasure"
    statistics = question_statistics()
    manager = logged_in(marked.users["manager"])

    response = manager.post(
        url("candidate_erase", marked.candidate.code), {"confirm_name": MARKER_NAME}
    )

    assert response.status_code == 302
    after = dump_database()
    left = [marker for marker in MARKERS if marker.lower() in after]
    assert not left, f"still in the database after erasure: {left}"
    candidate = Candidate.objects.get()
    assert candidate.erased_at is not None and candidate.code == marked.candidate.code
    # Anonymous question statistics survive: which questions were asked, and how they scored.
    assert question_statistics() == statistics
    assert PlannedQuestion.objects.filter(
        question__isnull=False, score__isnull=False
    ).count() == sum(statistics[0].values())
    erased = AuditEvent.objects.get(action=AuditAction.ERASED)
    assert erased.actor == marked.users["manager"] and erased.candidate_code == candidate.code


def test_it_shows_an_erased_candidate_on_no_page(marked):
    manager = logged_in(marked.users["manager"])
    erase = url("candidate_erase", marked.candidate.code)
    assert manager.post(erase, {"confirm_name": MARKER_NAME}).status_code == 302
    code = marked.interview.code

    for page in [
        url("dashboard"),
        url("summary", code),
        url("report", code),
        url("debrief", marked.candidate.code),
        url("export_csv", code),
        url("candidate_export", marked.candidate.code),
        url("audit"),
    ]:
        response = manager.get(page)
        assert response.status_code == 200, page
        text = response.content.decode().lower()
        assert not [m for m in MARKERS if m.lower() in text], page


# Retention ---------------------------------------------------------------------------------------


@pytest.fixture
def ages(world: World, make_interview) -> dict[str, Candidate]:
    """Candidates by the age of their last interview (or record, with none)."""
    long_ago = timezone.now() - timedelta(days=400)
    owner = world.users["owner"]

    def candidate(name, *, interview_days=None, created=None, erased=False) -> Candidate:
        person = Candidate.objects.create(name=name, email=f"{name.lower()}@example.com")
        if interview_days is not None:
            interview = make_interview(
                person, interviewers=[owner], bank=world.bank, planned_minutes=30, seed=3
            )
            when = timezone.now() - timedelta(days=interview_days)
            Interview.objects.filter(pk=interview.pk).update(scheduled_for=when)
            interview.items.update(score=2)
        Candidate.objects.filter(pk=person.pk).update(
            created=created or person.created, erased_at=long_ago if erased else None
        )
        return person

    return {
        "old": candidate("Oldham", interview_days=400, created=long_ago),
        "old_record": candidate("Nointerview", created=long_ago),
        "recent": candidate("Recent", interview_days=10),
        "old_but_recently_seen": candidate("Returner", interview_days=5, created=long_ago),
        "already_erased": candidate("Gone", interview_days=500, created=long_ago, erased=True),
        "today": world.candidate,
    }


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_candidates", *args, stdout=out)
    return out.getvalue()


def test_it_lists_the_old_candidates_and_erases_nothing_on_a_dry_run(ages):
    before = dump_database()

    output = purge("--older-than", "365", "--dry-run")

    assert f"Would erase candidate {ages['old'].code}" in output
    assert f"Would erase candidate {ages['old_record'].code}" in output
    assert "Would erase 2 candidate(s) with no interview in 365 days." in output
    for name in ("recent", "old_but_recently_seen", "already_erased", "today"):
        assert str(ages[name].code) not in output
    assert dump_database() == before


def test_it_purges_only_candidates_older_than_the_limit(ages):
    statistics = question_statistics()

    output = purge("--older-than", "365")

    assert "Erased 2 candidate(s) with no interview in 365 days." in output
    for name in ("old", "old_record"):
        erased = Candidate.objects.get(pk=ages[name].pk)
        assert erased.erased_at is not None and erased.email == ""
        assert erased.name != ages[name].name
    for name in ("recent", "old_but_recently_seen", "today"):
        kept = Candidate.objects.get(pk=ages[name].pk)
        assert kept.erased_at is None and kept.name == ages[name].name
    assert question_statistics() == statistics
    events = AuditEvent.objects.filter(action=AuditAction.ERASED)
    assert {e.candidate_code for e in events} == {ages["old"].code, ages["old_record"].code}
    assert {(e.actor, e.actor_name) for e in events} == {(None, "system")}
    # Names never reach the output: it goes to logs that outlive the erasure.
    assert "Oldham" not in output and "Nointerview" not in output
    assert "Erased 0 candidate(s)" in purge("--older-than", "365")


def test_it_refuses_to_purge_with_a_limit_under_a_day(world):
    with pytest.raises(CommandError, match="at least 1 day"):
        purge("--older-than", "0")


# The audit log -----------------------------------------------------------------------------------


def events(after: int = 0, **filters) -> list[tuple]:
    """Audit rows (newer than the row `after`, a primary key), oldest first."""
    return list(
        AuditEvent.objects.filter(pk__gt=after, **filters)
        .order_by("pk")
        .values_list("actor__username", "action", "object_type", "object_id", "detail")
    )


def test_it_audits_views_and_exports_with_who_did_them(world):
    score_all(world.panel_interview)
    submit(world.panel_interview)
    manager = logged_in(world.users["manager"])
    panel = logged_in(world.users["panel_after"])
    code, candidate = str(world.interview.code), str(world.candidate.code)
    # The world's submissions were audited by the service; only what the views add counts here.
    assert {e[1] for e in events()} == {"submitted"}
    start = AuditEvent.objects.latest("pk").pk

    for client, page in [
        (manager, url("summary", code)),
        (manager, url("report", code)),
        (manager, url("report_pdf", code) + "?profile=candidate"),
        (manager, url("export_csv", code)),
        (manager, url("export_json", code)),
        (manager, url("candidate_export", candidate)),
        (panel, url("debrief", candidate)),
        (panel, url("debrief_pdf", candidate)),
    ]:
        assert client.get(page).status_code == 200, page

    assert events(after=start) == [
        ("manager", "viewed", "interview", code, "summary"),
        ("manager", "viewed", "interview", code, "report"),
        ("manager", "exported", "interview", code, "report pdf (candidate)"),
        ("manager", "exported", "interview", code, "csv"),
        ("manager", "exported", "interview", code, "json"),
        ("manager", "exported", "candidate", candidate, "personal data export"),
        ("panel", "viewed", "candidate", candidate, "debrief"),
        ("panel", "exported", "candidate", candidate, "debrief pdf"),
    ]
    assert set(AuditEvent.objects.values_list("candidate_code", flat=True)) == {
        world.candidate.code
    }


def test_it_audits_score_autosaves_once_per_window(world, monkeypatch):
    owner = logged_in(world.users["owner"])
    item = world.interview.items.first()
    score = url("item_score", world.interview.code, item.code)
    headers = {"HX-Request": "true"}

    for value in ("1", "2", "3"):
        assert owner.post(score, {"score": value}, headers=headers).status_code == 200
    assert len(events(action=AuditAction.CHANGED)) == 1

    # Eleven minutes later, for the cache that holds the ten-minute window (LocMemCache here).
    real_time = time.time
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: real_time() + 11 * 60))
    assert owner.post(score, {"score": "4"}, headers=headers).status_code == 200

    assert (
        events(action=AuditAction.CHANGED)
        == [("owner", "changed", "interview", str(world.interview.code), "")] * 2
    )


def test_it_audits_notes_autosaves_with_the_candidate_code(world):
    owner = logged_in(world.users["owner"])
    item = world.interview.items.first()
    notes = url("item_notes", world.interview.code, item.code)

    for version in (0, 1):
        data = {"notes": f"Draft {version}", "version": version}
        assert owner.post(notes, data, headers={"HX-Request": "true"}).status_code == 200

    changed = AuditEvent.objects.filter(action=AuditAction.CHANGED)
    assert list(changed.values_list("object_id", "candidate_code")) == [
        (str(world.interview.code), world.candidate.code)
    ]


def test_it_audits_submitting_reopening_and_erasing(world):
    owner = logged_in(world.users["owner"])
    code = world.interview.code
    start = AuditEvent.objects.latest("pk").pk

    owner.post(url("submit", code), {"recommendation": "hire", "rationale": "Clear."})
    owner.post(url("reopen", code), {"reason": "A score was mistyped."})
    logged_in(world.users["manager"]).post(
        url("candidate_erase", world.candidate.code), {"confirm_name": MARKER_NAME}
    )

    assert [e[:3] for e in events(after=start)] == [
        ("owner", "submitted", "interview"),
        ("owner", "reopened", "interview"),
        ("manager", "erased", "candidate"),
    ]
    assert Interview.objects.get(pk=world.interview.pk).status == Status.COMPLETED
    assert Reopening.objects.get().reason == ""  # erased since


def test_it_lets_no_audit_entry_be_changed_or_deleted(world):
    event = AuditEvent.record(world.users["manager"], AuditAction.VIEWED, world.candidate, "x")
    attempts = {
        "save": lambda: (setattr(event, "detail", "edited"), event.save()),
        "save(update_fields)": lambda: event.save(update_fields=["detail"]),
        "delete": event.delete,
        "queryset update": lambda: AuditEvent.objects.filter(pk=event.pk).update(detail="y"),
        "manager update": lambda: AuditEvent.objects.update(detail="y"),
        "queryset delete": lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        "manager delete": lambda: AuditEvent.objects.all().delete(),
        "bulk_update": lambda: AuditEvent.objects.bulk_update([event], ["detail"]),
        "update_or_create": lambda: AuditEvent.objects.update_or_create(
            pk=event.pk, defaults={"detail": "z"}
        ),
    }
    for name, attempt in attempts.items():
        # A savepoint: bulk_update raises inside atomic(savepoint=False), which dooms the test's
        # own transaction; in the app, its own transaction is the one rolled back.
        with pytest.raises(PermissionError, match="append-only"), transaction.atomic():
            attempt()
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.detail == "x", name


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("editor", 200), ("owner", 404), ("outsider", 404), ("panel_after", 404)],
)
def test_it_shows_the_audit_page_only_to_managers_and_staff(world, role, status):
    AuditEvent.record(world.users["manager"], AuditAction.VIEWED, world.candidate, "debrief")

    response = logged_in(world.users[role]).get(url("audit"))

    assert response.status_code == status
    if status == 200:
        assert "manager" in response.text and "Viewed" in response.text


def test_it_filters_the_audit_page_by_candidate(world):
    other = Candidate.objects.create(name="Someone Else")
    AuditEvent.record(world.users["manager"], AuditAction.VIEWED, world.candidate, "mine-detail")
    AuditEvent.record(world.users["manager"], AuditAction.VIEWED, other, "theirs-detail")
    manager = logged_in(world.users["manager"])

    response = manager.get(url("audit"), {"candidate": str(world.candidate.code)})

    assert response.status_code == 200
    assert "mine-detail" in response.text and "theirs-detail" not in response.text
    assert manager.get(url("audit"), {"candidate": "not-a-uuid"}).status_code == 200


# CSV ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_it_neutralises_csv_cells_that_start_like_a_formula(world, start):
    name, note = f'{start}HYPERLINK("https://evil.example","x")', f"{start}1+1 cmd|' /C calc'!A0"
    Candidate.objects.filter(pk=world.candidate.pk).update(name=name)
    Interview.objects.filter(pk=world.interview.pk).update(position=f"{start}SUM(A1:A9)")
    world.interview.items.update(notes=note)

    response = logged_in(world.users["owner"]).get(url("export_csv", world.interview.code))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows
    for row in rows:
        assert row["candidate"] == "'" + name
        assert row["position"] == f"'{start}SUM(A1:A9)"
        assert row["notes"] == "'" + note
        assert not [v for v in row.values() if v[:1] in ("=", "+", "-", "@")], row


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("a=1", "a=1"), (None, "")],
)
def test_it_marks_only_formula_starts_when_neutralising(value, cell):
    assert reports.neutralise(value) == cell
