"""Erasing a candidate ends their open interviews, and nothing typed afterwards is kept."""

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Status

HTMX = {"HX-Request": "true"}


def url(name, interview, item=None):
    args = [interview.code] + ([item.code] if item else [])
    return reverse(f"interviews:{name}", args=args)


@pytest.fixture
def erased(interview, manager):
    """A running interview whose candidate a manager erased mid-way."""
    interview.start()
    interview.open_screen()
    services.erase_candidate(candidate=interview.candidate, by=manager)
    interview.refresh_from_db()
    return interview


def test_it_ends_every_open_interview_on_erasure(erased):
    assert erased.status == Status.COMPLETED
    assert erased.ended_at is not None and erased.screen_token is None


@pytest.mark.parametrize(
    "name, data",
    [
        ("item_notes", {"notes": "typed after erasure", "version": "0"}),
        ("item_score", {"score": "3"}),
        ("item_points", {"points": ["0"]}),
        ("item_hint", {"hint_given": "on"}),
        ("item_sharing", {"notes_shared": "on"}),
        ("plan_remove", {}),
        ("plan_move", {"offset": "1"}),
    ],
)
def test_it_refuses_later_writes_to_an_item_with_a_reason(client, erased, interviewer, name, data):
    item = erased.items.order_by("position").first()
    before = (item.notes, item.score, item.covered_points, item.hint_given, item.position)
    client.force_login(interviewer)

    response = client.post(url(name, erased, item), data, headers=HTMX)

    assert response.status_code == 410
    assert "erased" in response.text
    item.refresh_from_db()
    assert (item.notes, item.score, item.covered_points, item.hint_given, item.position) == before


def test_it_refuses_submitting_and_plan_additions(client, erased, interviewer, bank):
    erased.items.update(score=3)
    client.force_login(interviewer)
    spare = bank.questions.exclude(pk__in=erased.items.values("question")).first()
    planned = erased.items.count()

    add = client.post(url("plan_add", erased), {"question": spare.pk}, headers=HTMX)
    submit = client.post(url("submit", erased), {"recommendation": "hire", "rationale": "x"})

    assert (add.status_code, submit.status_code) == (410, 410)
    assert "erased" in submit.text
    erased.refresh_from_db()
    assert erased.status == Status.COMPLETED and erased.items.count() == planned
    with pytest.raises(services.ScorecardError):
        services.submit_scorecard(
            interview=erased, by=interviewer, recommendation="hire", rationale="x"
        )


def test_it_makes_the_live_page_read_only_and_says_why(client, erased, interviewer):
    client.force_login(interviewer)

    response = client.get(url("live", erased))

    assert response.context["can_edit"] is False
    assert "erased" in response.text


def test_it_refuses_to_reopen_a_submitted_scorecard_of_an_erased_candidate(
    client, interview, interviewer, manager
):
    interview.items.update(score=3)
    services.submit_scorecard(
        interview=interview, by=interviewer, recommendation="hire", rationale="Clear."
    )
    services.erase_candidate(candidate=interview.candidate, by=manager)
    client.force_login(interviewer)

    response = client.post(url("reopen", interview), {"reason": "After erasure."})

    assert response.status_code == 410 and "erased" in response.text
    interview.refresh_from_db()
    assert interview.status == Status.SUBMITTED and not interview.reopenings.exists()
