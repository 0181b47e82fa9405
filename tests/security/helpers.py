"""Small `make_*` helpers for the security tests: users in a role, and the world the URL matrix
walks (one candidate, two interviewers on two interviews of theirs, an outsider, a hiring manager
and a bank editor)."""

from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from accounts import roles
from api.models import ApiKey
from integrations.models import Delivery, Event, Subscription
from integrations.tasks import send_reminders
from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Printout
from questionbank.models import Bank, Question
from tests.conftest import QUEUED, make_user

MARKER_NAME = "Zebedee-Marker-Quixote"

# The seven points of view of the matrix, in the order its table lists them.
ROLES = (
    "anonymous",
    "outsider",
    "owner",
    "panel_before",
    "panel_after",
    "manager",
    "editor",
    "intruder",
)


def score_all(interview: Interview, score: int = 3, notes: str = "") -> None:
    items = list(interview.items.all())
    for item in items:
        item.score, item.notes = score, notes
    PlannedQuestion.objects.bulk_update(items, ["score", "notes"])


def submit(interview: Interview, rationale: str = "Careful and clear.") -> None:
    services.submit_scorecard(
        interview=interview,
        by=interview.interviewers.get(),
        recommendation="hire",
        rationale=rationale,
    )
    interview.refresh_from_db()


@dataclass
class World:
    """What the matrix's URLs are filled from.

    `owner` added the candidate; `interview` is theirs; `panel_interview` is the same candidate's
    interview with `panel`, set up by the owner, submitted or not. `intruder` planned a submitted
    interview of the candidate for themselves. Every interview URL is filled with `interview`'s
    code, so for everyone but the owner it is someone else's object.
    """

    bank: Bank
    candidate: Candidate
    interview: Interview
    panel_interview: Interview
    intruder_interview: Interview
    users: dict[str, User | None]
    params: dict[str, str] = field(default_factory=dict)
    admin_objects: dict[str, int | str] = field(default_factory=dict)


def queued(task):
    """A task waiting in django-tasks-db's table (the tests run tasks in-line by default)."""
    with override_settings(TASKS=QUEUED):
        return task.enqueue()


def build_world(bank: Bank, make_interview, *, panel_submitted: bool) -> World:
    """The world, its interviews planned by the `make_interview` fixture's function."""
    owner = make_user("owner", roles.INTERVIEWERS)
    panel = make_user("panel", roles.INTERVIEWERS)
    users = {
        "anonymous": None,
        "outsider": make_user("outsider", roles.INTERVIEWERS),
        "owner": owner,
        "panel_before": panel,
        "panel_after": panel,
        "manager": make_user("manager", roles.HIRING_MANAGERS),
        "editor": make_user("editor", roles.BANK_EDITORS),
        "intruder": make_user("intruder", roles.INTERVIEWERS),
    }
    candidate = Candidate.objects.create(
        name=MARKER_NAME, email="zebedee@example.com", external_id="ATS-ZEBEDEE", created_by=owner
    )

    def plan(interviewer: User, seed: int, set_up_by: User | None = None) -> Interview:
        return make_interview(
            candidate,
            interviewers=[interviewer],
            created_by=set_up_by or interviewer,
            bank=bank,
            planned_minutes=30,
            seed=seed,
        )

    interview = plan(owner, seed=1)
    panel_interview = plan(panel, seed=2, set_up_by=owner)
    intruded = plan(users["intruder"], seed=3)
    score_all(intruded)
    submit(intruded)
    # Fully scored, running, with a candidate screen: every owner action has something to act on.
    score_all(interview)
    interview.start()
    interview.open_screen()
    if panel_submitted:
        score_all(panel_interview)
        submit(panel_interview)

    items = list(interview.items.order_by("position"))
    planned = {item.question_id for item in items}
    spare = bank.questions.exclude(pk__in=planned).order_by("position").first()
    swaps = services.swap_options(item=items[0])
    assert len(items) >= 2 and spare and swaps, "the matrix needs a plan it can edit"
    question = bank.questions.order_by("position").first()
    key, _ = ApiKey.issue(user=users["manager"], name="ATS", scope="write")
    subscription = Subscription.objects.create(
        url="https://ats.example.com/hooks", events=["interview.ended"]
    )
    event = Event.objects.create(type="interview.ended", data={"interview": str(interview.code)})
    delivery = Delivery.objects.create(event=event, subscription=subscription, status="failed")
    printout = Printout.objects.create(
        digest="0" * 64,
        candidate=candidate,
        requested_by=users["owner"],
        path=f"/interviews/{interview.code}/report.pdf",
        html="<p>Queued, not made yet.</p>",
        base_url="http://testserver/",
    )
    params = {
        "code": str(interview.code),
        "printout_code": str(printout.code),
        "item_code": str(items[0].code),
        "other_item_code": str(items[1].code),
        "candidate_code": str(candidate.code),
        "token": interview.screen_token,
        "spare_question": str(spare.pk),
        "swap_question": str(swaps[0].pk),
        "app_label": "questionbank",
        "url": "no-such-page/",
        "content_type_id": str(ContentType.objects.get_for_model(Question).pk),
        "id": str(users["outsider"].pk),
        # The API and the integrations pages.
        "bank_slug": bank.slug,
        "key_code": str(key.code),
        "webhook_code": str(subscription.code),
        "delivery_code": str(delivery.code),
    }
    locked = AccessAttempt.objects.create(
        username="guess",
        ip_address="192.0.2.1",
        user_agent="curl",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=5,
    )
    section, level = question.section, bank.rubric_levels.first()
    admin_objects = {
        "auth/group": Group.objects.get(name=roles.INTERVIEWERS).pk,
        "auth/user": users["outsider"].pk,
        "questionbank/bank": bank.pk,
        "questionbank/section": section.pk,
        "questionbank/question": question.pk,
        "questionbank/rubriclevel": level.pk,
        "questionbank/criterion": level.criteria.first().pk,
        "axes/accessattempt": locked.pk,
        "r": question.pk,  # admin/r/<content_type_id>/<object_id>/: "view on site"
        # django-tasks-db's admin of the task queue: one queued task (a uuid).
        "django_tasks_database/dbtaskresult": queued(send_reminders).id,
    }
    return World(
        bank, candidate, interview, panel_interview, intruded, users, params, admin_objects
    )
