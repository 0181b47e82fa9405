"""Who may add an interviewer to a candidate's loop, and who on a loop may read its debrief.

The attack path: interviewer B plans an interview for interviewer A's candidate, scores and
submits it, and so opens the debrief with the panel's rationales. The form must not offer A's
candidate to B, a hand-made POST with its id must be refused, and an interview B set up for
themselves (legacy data, or any path around the form) must not put B on the panel.
"""

import pytest
from django.urls import reverse

from accounts import roles
from interviews.models import Candidate, Interview
from questionbank.models import Level
from tests.conftest import make_user

from .helpers import score_all, submit

NEW = reverse("interviews:new")
RATIONALE = "A-RATIONALE-MARKER"


@pytest.fixture
def people(interviewer, other_interviewer):
    return {
        "a": interviewer,
        "b": other_interviewer,
        "c": make_user("third-interviewer", roles.INTERVIEWERS),
        "manager": make_user("interviewing-manager", roles.HIRING_MANAGERS, roles.INTERVIEWERS),
    }


@pytest.fixture
def a_candidate(people):
    return Candidate.objects.create(name="Ada Lovelace", created_by=people["a"])


def form_data(bank, **overrides) -> dict:
    return {
        "name": "",
        "position": "ML Engineer",
        "target_level": str(Level.SENIOR),
        "bank": bank.pk,
        "planned_minutes": "30",
        **overrides,
    }


def offered(client, user) -> set[int]:
    client.force_login(user)
    return {c.pk for c in client.get(NEW).context["form"].fields["candidate"].queryset}


def test_it_offers_each_interviewer_only_the_candidates_they_added(client, people, a_candidate):
    b_candidate = Candidate.objects.create(name="Grace Hopper", created_by=people["b"])
    Candidate.objects.create(name="Nobody's", created_by=None)

    assert offered(client, people["a"]) == {a_candidate.pk}
    assert offered(client, people["b"]) == {b_candidate.pk}
    assert offered(client, people["manager"]) == set(Candidate.objects.values_list("pk", flat=True))


def test_it_never_offers_an_erased_candidate(client, people, a_candidate):
    a_candidate.erased_at = a_candidate.created
    a_candidate.save()

    assert offered(client, people["a"]) == set()
    assert offered(client, people["manager"]) == set()


def test_it_says_on_the_form_who_may_add_interviewers(client, people):
    client.force_login(people["b"])
    assert "Only a hiring manager or the interviewer who added a candidate" in (
        client.get(NEW).text
    )


def test_it_refuses_a_hand_made_post_for_someone_elses_candidate(
    client, people, a_candidate, seed_bank
):
    client.force_login(people["b"])
    response = client.post(NEW, form_data(seed_bank, candidate=str(a_candidate.pk)))

    assert response.context["form"].errors["candidate"][0].startswith("Select a valid choice")
    assert not Interview.objects.exists()


def test_it_lets_the_candidates_creator_and_a_manager_add_interviewers(
    client, people, a_candidate, seed_bank
):
    for user, panel in (("a", "b"), ("manager", "c")):
        client.force_login(people[user])
        data = form_data(seed_bank, candidate=str(a_candidate.pk), interviewers=[people[panel].pk])
        assert client.post(NEW, data).status_code == 302
    assert {i.interviewers.get() for i in a_candidate.interviews.all()} == {
        people["b"],
        people["c"],
    }


@pytest.fixture
def loop(people, a_candidate, make_interview):
    """A's own interview of their candidate, submitted, with a rationale B must not read."""
    mine = make_interview(a_candidate, interviewers=[people["a"]], planned_minutes=30, seed=1)
    score_all(mine)
    submit(mine, rationale=RATIONALE)
    return mine


@pytest.fixture
def panel_interview(make_interview):
    """A submitted interview of the candidate by `panelist`, set up by `set_up_by`."""

    def make(candidate, panelist, set_up_by) -> Interview:
        interview = make_interview(
            candidate, interviewers=[panelist], created_by=set_up_by, planned_minutes=30, seed=2
        )
        score_all(interview)
        submit(interview)
        return interview

    return make


def debrief(client, user, candidate):
    client.force_login(user)
    return [
        client.get(reverse(f"interviews:{name}", args=[candidate.code]))
        for name in ("debrief", "debrief_pdf")
    ]


def test_it_does_not_open_the_debrief_for_a_self_made_interview(
    client, people, a_candidate, loop, panel_interview
):
    panel_interview(a_candidate, people["b"], people["b"])

    for response in debrief(client, people["b"], a_candidate):
        assert response.status_code == 404
        assert RATIONALE.encode() not in response.content


@pytest.mark.parametrize("set_up_by", ["a", "manager"])
def test_it_shows_the_debrief_to_a_panelist_added_by_the_creator_or_a_manager_after_submitting(
    client, people, a_candidate, loop, panel_interview, set_up_by
):
    panel_interview(a_candidate, people["b"], people[set_up_by])

    for response in debrief(client, people["b"], a_candidate):
        assert response.status_code == 200
    assert RATIONALE in client.get(reverse("interviews:debrief", args=[a_candidate.code])).text


def test_it_shows_the_debrief_to_the_creator_on_their_own_interview_after_submitting(
    client, people, a_candidate, loop
):
    for response in debrief(client, people["a"], a_candidate):
        assert response.status_code == 200
