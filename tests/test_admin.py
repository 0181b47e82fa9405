"""The question bank admin: pages, search and filters, the upload (dry run, confirm) and export."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from questionbank.models import Bank, Criterion, Level, Mapping, Question, RubricLevel, Section
from questionbank.parser import parse_bank

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR / "fixtures" / "banks" / "day6-transformers-llms.md"
OBJECTS = {
    "bank": lambda: Bank.objects.get(slug="small"),
    "section": lambda: Section.objects.get(bank__slug="small", number=1),
    "question": lambda: Question.objects.get(bank__slug="small", key="s1-q1"),
    "rubriclevel": lambda: RubricLevel.objects.get(bank__slug="small", key="junior"),
    "criterion": lambda: Criterion.objects.get(bank__slug="small", key="junior-core-concepts"),
}
VIEWS = [(model, view) for model in OBJECTS for view in ("changelist", "add", "change")]


def admin_url(model: str, view: str, pk: int | None = None) -> str:
    name = f"admin:questionbank_{model}_{view}"
    if view != "change":
        return reverse(name)
    return reverse(name, args=[pk or OBJECTS[model]().pk])


def listed(client, **query) -> list[str]:
    response = client.get(reverse("admin:questionbank_question_changelist"), query)
    assert response.status_code == 200
    return [q.key for q in response.context["cl"].result_list]


def assert_login_redirect(response, url: str) -> None:
    """To a login page that comes back to `url`: LoginRequiredMiddleware sends anonymous users to
    the app's login (LOGIN_URL) before the admin can send them to its own."""
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert resolve(target.path).url_name == "login"
    assert parse_qs(target.query) == {"next": [url]}


def upload(client, name: str, content: bytes, slug: str = ""):
    return client.post(
        reverse("admin:questionbank_bank_import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/markdown"), "slug": slug},
    )


@pytest.fixture
def editor_client(client, editor, seed_bank):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("model", "view"), VIEWS)
def test_it_shows_every_page_to_an_editor(client, editor, small_bank, model, view):
    client.force_login(editor)

    response = client.get(admin_url(model, view))

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "view"), VIEWS)
def test_it_sends_anonymous_users_to_log_in(client, model, view):
    url = admin_url(model, view, pk=1)

    response = client.get(url)

    assert_login_redirect(response, url)


@pytest.mark.parametrize("role", ["interviewer", "manager"])
def test_it_keeps_other_roles_out(client, request, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:questionbank_question_changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_it_lists_questions_in_a_query_budget(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        keys = listed(editor_client)

    assert len(keys) == 45


def test_it_edits_a_question_in_a_query_budget(editor_client, django_assert_max_num_queries):
    url = reverse("admin:questionbank_question_change", args=[Question.objects.get(key="s1-q1").pk])

    with django_assert_max_num_queries(12):
        response = editor_client.get(url)

    assert response.status_code == 200


def test_it_searches_prompts_and_answers(editor_client):
    assert listed(editor_client, q="Speculative Decoding") == ["s5-q21"]
    assert listed(editor_client, q="leetspeak") == ["s7-q21"]


def test_it_filters_questions(editor_client, seed_bank):
    section = Section.objects.get(number=6)
    criterion = Criterion.objects.get(key="senior-security")

    assert len(listed(editor_client, bank__id__exact=seed_bank.pk)) == 45
    assert listed(editor_client, section__id__exact=section.pk) == ["s6-q17", "s6-q18", "s6-q19"]
    assert listed(editor_client, criteria__id__exact=criterion.pk) == [
        "s7-q20",
        "s7-q21",
        "s7-q22",
        "s9-q27",
    ]
    assert listed(editor_client, level__exact=Level.JUNIOR) == [
        "s1-q1",
        "s1-q2",
        "s1-q3",
        "s2-q8",
        "s2-q9",
        "s2-q10",
        "s4-q16",
    ]


def test_it_filters_suggested_from_reviewed(editor_client):
    Question.objects.filter(key="s3-q14").update(mapping=Mapping.SUGGESTED)

    assert listed(editor_client, mapping="suggested") == ["s3-q14"]
    assert len(listed(editor_client, mapping="reviewed")) == 44


def test_it_previews_the_rendered_answer(editor_client):
    question = Question.objects.get(key="s3-q18")

    response = editor_client.get(reverse("admin:questionbank_question_change", args=[question.pk]))

    assert '<div class="answer-preview"><ul>' in response.text
    assert question.answer_html in response.text
    assert "<li><strong>Reward Model Training:</strong> Train a model" in response.text


def test_it_marks_questions_reviewed(editor_client):
    Question.objects.update(mapping=Mapping.SUGGESTED)
    question = Question.objects.get(key="s1-q1")

    editor_client.post(
        reverse("admin:questionbank_question_changelist"),
        {"action": "mark_reviewed", "_selected_action": [question.pk]},
    )

    question.refresh_from_db()
    assert question.mapping == Mapping.REVIEWED
    assert Question.objects.filter(mapping=Mapping.SUGGESTED).count() == 44


def test_it_dry_runs_an_upload_then_imports_on_confirm(client, editor):
    client.force_login(editor)

    response = upload(client, "new-bank.md", SEED.read_bytes())

    assert response.status_code == 200
    assert "Dry run: nothing has been saved yet" in response.text
    assert "10 sections, 45 questions,\n      5 rubric levels, 23 criteria" in response.text
    warnings = response.context["report"].warnings
    assert [w.split(":")[0] for w in warnings if not w.startswith("Rubric line")] == [
        "Section 2",
        "Section 3",
        "Section 4",
        "Section 5",
    ]
    assert response.text.count('<li class="warning">Section ') == 4
    assert not Bank.objects.exists()

    response = client.post(
        reverse("admin:questionbank_bank_import"),
        {**response.context["confirm"].initial, "confirm": "Confirm import"},
    )

    bank = Bank.objects.get(slug="new-bank")
    assert response.status_code == 302
    assert response.url == reverse("admin:questionbank_bank_change", args=[bank.pk])
    assert (bank.source_file, bank.questions.count(), bank.criteria.count()) == (
        "new-bank.md",
        45,
        23,
    )


def test_it_reports_a_reupload_that_changes_nothing(editor_client, seed_bank):
    response = upload(editor_client, "seed.md", SEED.read_bytes(), slug=seed_bank.slug)

    assert "The bank is already up to date: importing changes nothing." in response.text


def test_it_shows_the_line_of_a_malformed_upload(client, editor):
    client.force_login(editor)

    response = upload(client, "broken.md", b"# T\n\n## Section 1: A\n\nStray prose\n")

    assert response.status_code == 200
    assert "Nothing was imported. broken.md, line 5: expected a question" in response.text
    assert response.context["confirm"] is None
    assert not Bank.objects.exists()


def test_it_refuses_a_file_that_is_not_utf8(client, editor):
    client.force_login(editor)

    response = upload(client, "latin1.md", "# Caf\xe9\n".encode("latin-1"))

    assert response.context["upload"].errors["file"] == ["The file is not UTF-8 text."]
    assert not Bank.objects.exists()


def test_it_downloads_markdown_that_reimports_to_the_same_content(editor_client, seed_bank):
    response = editor_client.get(reverse("admin:questionbank_bank_export", args=[seed_bank.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{seed_bank.slug}.md"'
    exported = parse_bank(response.content.decode())
    original = parse_bank(SEED.read_text())
    assert (exported.title, exported.sections, exported.rubric) == (
        original.title,
        original.sections,
        original.rubric,
    )


def test_it_keeps_the_upload_and_export_from_anonymous_users(client):
    for url in (
        reverse("admin:questionbank_bank_import"),
        reverse("admin:questionbank_bank_export", args=[1]),
    ):
        assert_login_redirect(client.get(url), url)


def test_it_shows_estimated_against_measured_minutes(editor_client):
    from interviews.models import Candidate, Interview, PlannedQuestion

    question = Question.objects.get(key="s9-q26")
    url = reverse("admin:questionbank_question_change", args=[question.pk])
    text = editor_client.get(url).text
    assert "Time model: " in text and "(design or scenario)" in text
    assert "timed in 0 interviews; a median replaces the estimate once timed in 5" in text

    candidate = Candidate.objects.create(name="Timed")
    for seconds in (900, 1000, 1100, 1200, 1300):
        interview = Interview.objects.create(
            candidate=candidate, position="ML", target_level=4, bank=question.bank
        )
        PlannedQuestion.objects.create(
            interview=interview, question=question, snapshot={}, seconds_spent=seconds
        )
    assert "Measured: median 18 min over 5 interviews; plans use it." in editor_client.get(url).text


def test_it_remembers_that_an_editor_set_the_minutes(editor_client):
    question = Question.objects.get(key="s1-q1")
    url = reverse("admin:questionbank_question_change", args=[question.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "criteria"}
    data["criteria"] = [c.pk for c in question.criteria.all()]
    data["minutes"] = 9
    data.pop("minutes_by_editor", None)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    question.refresh_from_db()
    assert (question.minutes, question.minutes_by_editor) == (9, True)
