"""Who may see and change what: anonymous visitors, interviewers, hiring managers, bank editors."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, reverse

from accounts import roles
from interviews import services, urls
from interviews.models import Interview, Status
from tests.conftest import make_user

PUBLIC = {"screen", "screen_current"}

READ = ["live", "plan", "plan_search", "plan_swap_options"]
CHANGE = [
    "start",
    "end",
    "goto",
    "plan_add",
    "plan_remove",
    "plan_move",
    "plan_swap",
    "item_score",
    "item_points",
    "item_hint",
    "item_notes",
    "screen_open",
    "screen_revoke",
]
# Valid input for each change, so only the permission check can refuse it.
CHANGE_DATA = {
    "goto": "item",
    "plan_add": "question",
    "plan_move": {"offset": "1"},
    "plan_swap": "alternative",
    "item_score": {"score": "3"},
    "item_points": {"points": ["0"]},
    "item_hint": {"hint_given": "on"},
    "item_notes": {"notes": "Changed", "version": "0"},
}


def url_parameters(patterns=urls.urlpatterns, outer=()) -> dict[str, tuple[str, ...]]:
    """Every named interview URL, with the parameters of its whole route (groups included)."""
    found = {}
    for entry in patterns:
        keys = (*outer, *entry.pattern.converters)
        if isinstance(entry, URLResolver):
            found |= url_parameters(entry.url_patterns, keys)
        elif isinstance(entry, URLPattern):
            found[entry.name] = keys
    return found


def url_for(name: str, interview: Interview, item=None) -> str:
    """Any named interview URL, filled in from its converters."""
    kwargs = {}
    for key in url_parameters()[name]:
        if key == "code":
            kwargs[key] = interview.code
        elif key == "item_code":
            kwargs[key] = item.code if item else uuid.uuid4()
        elif key == "candidate_code":
            kwargs[key] = interview.candidate.code
        elif key == "printout_code":
            kwargs[key] = uuid.uuid4()
        else:
            kwargs[key] = "some-token"
    return reverse(f"interviews:{name}", kwargs=kwargs)


def change_data(name: str, interview: Interview, item) -> dict:
    data = CHANGE_DATA.get(name, {})
    if data == "item":
        return {"item": interview.items.last().code}
    if data == "question":
        planned = interview.items.values("question")
        return {"question": interview.bank.questions.exclude(pk__in=planned).first().pk}
    if data == "alternative":
        return {"question": services.swap_options(item=item)[0].pk}
    return data


@pytest.fixture
def item(interview):
    return interview.items.order_by("position")[1]


def snapshot_state(interview: Interview) -> tuple:
    interview.refresh_from_db()
    items = tuple(
        interview.items.order_by("position").values_list(
            "question", "position", "score", "covered_points", "hint_given", "notes"
        )
    )
    return interview.status, interview.current_id, interview.screen_token, items


# Anonymous visitors -------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_log_in_everywhere_but_the_public_pages(client, interview):
    names = list(url_parameters())
    assert set(READ + CHANGE) <= set(names)
    for name in names:
        if name in PUBLIC:
            continue
        url = url_for(name, interview)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__} {name}"
            assert response.url.startswith(reverse("login") + "?next="), name


def test_it_lets_anonymous_visitors_reach_the_login_page_health_and_candidate_screen(
    client, interview
):
    token = interview.open_screen()
    assert client.get(reverse("login")).status_code == 200
    health = client.get("/healthz")
    assert (health.status_code, health.content) == (200, b"ok\n")
    assert client.get(reverse("interviews:screen", args=[token])).status_code == 200
    assert client.get(reverse("interviews:screen_current", args=[token])).status_code == 200


# Interviewers -------------------------------------------------------------------------------------


def test_it_hides_other_interviewers_interviews(client, other_interviewer, interview, item):
    client.force_login(other_interviewer)
    for name in READ:
        response = client.get(url_for(name, interview, item), {"q": "attention"})
        assert response.status_code == 404, name
        assert interview.candidate.name.encode() not in response.content, name


def test_it_refuses_changes_to_other_interviewers_interviews(
    client, other_interviewer, interview, item
):
    interview.start()
    interview.open_screen()
    before = snapshot_state(interview)
    client.force_login(other_interviewer)
    for name in CHANGE:
        response = client.post(url_for(name, interview, item), change_data(name, interview, item))
        assert response.status_code == 404, name
        assert interview.candidate.name.encode() not in response.content, name
        assert snapshot_state(interview) == before, name


@pytest.mark.parametrize("name", CHANGE)
def test_it_lets_a_panel_interviewer_make_each_change(client, interviewer, interview, item, name):
    """The counterpart of the refusals above: the same requests succeed for the panel."""
    interview.start()
    interview.open_screen()
    client.force_login(interviewer)
    response = client.post(url_for(name, interview, item), change_data(name, interview, item))
    assert response.status_code == 302, response.content.decode()[:500]


def test_it_lets_every_interviewer_on_the_panel_work_on_it(
    client, make_interview, interviewer, other_interviewer
):
    shared = make_interview("Panel candidate", interviewers=[interviewer, other_interviewer])
    item = shared.items.first()
    client.force_login(other_interviewer)
    response = client.post(url_for("item_score", shared, item), {"score": "2"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.score == 2


# Hiring managers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["live", "plan"])
def test_it_lets_a_hiring_manager_read_any_interview(client, manager, interview, name):
    client.force_login(manager)
    response = client.get(url_for(name, interview))
    assert response.status_code == 200
    assert interview.candidate.name.encode() in response.content
    assert b"Start the interview" not in response.content
    assert b"/remove/" not in response.content


def test_it_refuses_changes_by_a_hiring_manager_not_on_the_panel(client, manager, interview, item):
    interview.start()
    interview.open_screen()
    before = snapshot_state(interview)
    client.force_login(manager)
    for name in CHANGE:
        response = client.post(url_for(name, interview, item), change_data(name, interview, item))
        assert response.status_code == 404, name
        assert snapshot_state(interview) == before, name


# Bank editors -------------------------------------------------------------------------------------


def test_it_refuses_to_let_a_bank_editor_start_interviews(client, editor, bank):
    client.force_login(editor)
    assert client.get(reverse("interviews:new")).status_code == 403
    response = client.post(
        reverse("interviews:new"),
        {"name": "Ada", "position": "ML", "target_level": "3", "bank": bank.pk},
    )
    assert response.status_code == 403
    assert b"Only interviewers can start interviews." in response.content
    assert not Interview.objects.exists()


def test_it_hides_interviews_from_a_bank_editor(client, editor, interview):
    client.force_login(editor)
    response = client.get(url_for("live", interview))
    assert response.status_code == 404
    dashboard = client.get(reverse("interviews:dashboard"))
    assert dashboard.status_code == 200
    assert interview.candidate.name.encode() not in dashboard.content


def test_it_lets_a_bank_editor_who_also_interviews_start_one(client, bank):
    both = make_user("bea", roles.BANK_EDITORS, roles.INTERVIEWERS)
    client.force_login(both)
    assert client.get(reverse("interviews:new")).status_code == 200


def test_it_keeps_submitted_interviews_readable(client, manager, interviewer, interview):
    interview.status = Status.SUBMITTED
    interview.save()
    for user in (interviewer, manager):
        client.force_login(user)
        assert client.get(url_for("live", interview)).status_code == 200
