"""Bad input that reaches the database is refused with a message, never a 503 "briefly unavailable":
PostgreSQL rejects NUL characters and overlong values where SQLite takes them, so each case runs
on both (set DATABASE_URL for PostgreSQL). Only a lost connection is an outage."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from interviews.models import Candidate
from questionbank.models import Bank, Criterion, Level, Question, RubricLevel, Section
from questionbank.parser import MAX_LENGTHS, BankFormatError, parse_bank
from questionbank.services import import_bank
from tests.conftest import SMALL_BANK

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(make_interview, small_bank):
    return make_interview("Ada", bank=small_bank, planned_minutes=30)


def test_it_treats_a_nul_in_a_screen_token_as_an_unknown_link():
    client = Client(raise_request_exception=False)
    assert client.get("/screen/%00/").status_code == 404
    assert client.get("/screen/%00/current/").status_code == 410
    assert client.get("/screen/" + "x" * 300 + "/").status_code == 404


def test_it_finds_nothing_for_a_nul_in_a_plan_search_instead_of_failing(
    client, interviewer, interview
):
    client.force_login(interviewer)
    url = reverse("interviews:plan_search", args=[interview.code])

    response = client.get(url, {"q": "\x00"})
    assert response.status_code == 200
    response = client.get(url, {"q": "atten\x00tion"}, headers={"HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("length", [255, 320])
def test_it_answers_an_overlong_email_with_a_form_error(client, interviewer, small_bank, length):
    client.force_login(interviewer)
    email = "a" * 64 + "@" + ("b" * 60 + ".") * 5
    email = email[: length - 4] + ".com"
    assert len(email) == length

    response = client.post(
        reverse("interviews:new"),
        {
            "name": "Ada",
            "email": email,
            "position": "ML Engineer",
            "target_level": str(Level.SENIOR),
            "bank": small_bank.pk,
            "planned_minutes": "45",
            "interviewers": [interviewer.pk],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Candidate.objects.exists()


def _with(old: str, new: str) -> str:
    assert old in SMALL_BANK
    return SMALL_BANK.replace(old, new)


OVERSIZED_BANKS = {
    "title": (_with("# Small bank", "# " + "T" * 201), 1, "title"),
    "section title": (_with("Section 1: Basics", "Section 1: " + "B" * 201), 3, "section title"),
    "section number": (_with("Section 1: Basics", f"Section {2**40}: Basics"), 3, "section number"),
    "question number": (_with("**Q1:", "**Q" + "9" * 25 + ":"), 5, "question number"),
    "subsection": (_with("**Q1:", "### " + "S" * 201 + "\n\n**Q1:"), 5, "subsection"),
    "rubric heading": (_with("### Junior Level", "### Junior " + "L" * 200), 12, "heading"),
    "experience": (_with("(1-3 years)", "(" + "1" * 101 + ")"), 12, "experience"),
    "criterion": (_with("**Core Concepts:**", "**" + "C" * 201 + ":**"), 13, "criterion"),
    "NUL": (_with("A weighted sum", "A weighted\x00 sum"), 8, "NUL"),
}


@pytest.mark.parametrize("text, line, words", OVERSIZED_BANKS.values(), ids=OVERSIZED_BANKS)
def test_it_refuses_an_oversized_or_nul_bank_with_a_format_error_naming_the_line(text, line, words):
    with pytest.raises(BankFormatError) as raised:
        import_bank(parse_bank(text, source="bad.md"), slug="bad", source_file="bad.md")

    assert raised.value.line == line
    assert words in raised.value.message
    assert not Bank.objects.exists()


def test_it_limits_parsed_fields_to_the_column_sizes():
    def size(model, name):
        return model._meta.get_field(name).max_length

    assert {
        "bank title": size(Bank, "title"),
        "section title": size(Section, "title"),
        "subsection": size(Question, "subsection"),
        "rubric level heading": size(RubricLevel, "heading"),
        "experience": size(RubricLevel, "experience"),
        "rubric level key": size(RubricLevel, "key"),
        "criterion name": size(Criterion, "name"),
        "criterion key": size(Criterion, "key"),
    } == MAX_LENGTHS
    assert len("Q" + "9" * 19) == size(Question, "number")


@pytest.mark.parametrize("slug", ["", "a" * 101, "not a slug", "nul\x00"])
def test_it_refuses_a_bad_slug_with_a_format_error(slug):
    with pytest.raises(BankFormatError, match="slug"):
        import_bank(parse_bank(SMALL_BANK, source="small.md"), slug=slug, source_file="small.md")
    assert not Bank.objects.exists()


def test_it_refuses_an_upload_named_only_dots_with_a_clear_error(client, editor):
    """`....md` gave an empty slug: the dry run passed and "Confirm" imported nothing, silently."""
    client.force_login(editor)
    url = reverse("admin:questionbank_bank_import")

    response = client.post(
        url, {"file": SimpleUploadedFile("....md", SMALL_BANK.encode()), "slug": ""}
    )

    assert response.status_code == 200
    assert response.context["confirm"] is None
    assert "gives no slug" in response.text
    assert not Bank.objects.exists()


def test_it_says_so_when_a_confirmation_does_not_validate(client, editor):
    client.force_login(editor)
    url = reverse("admin:questionbank_bank_import")

    response = client.post(url, {"name": "x.md", "slug": "", "text": SMALL_BANK, "confirm": "1"})

    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert not Bank.objects.exists()


def test_it_refuses_an_admin_edit_that_numbers_a_question_qx(client, editor, small_bank):
    client.force_login(editor)
    question = small_bank.questions.get()
    url = reverse("admin:questionbank_question_change", args=[question.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {"criteria": [c.pk for c in form.initial.get("criteria", [])], "number": "Qx"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["number"]
    question.refresh_from_db()
    assert question.number == "Q1"
    export = reverse("admin:questionbank_bank_export", args=[small_bank.pk])
    assert client.get(export).status_code == 200


def test_it_exports_a_bank_whatever_number_is_already_stored(client, editor, small_bank):
    Question.objects.update(number="Qx")
    client.force_login(editor)

    response = client.get(reverse("admin:questionbank_bank_export", args=[small_bank.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "error, status",
    [
        (OperationalError("server closed the connection unexpectedly"), 503),
        (InterfaceError("connection already closed"), 503),
        (DataError("value too long for type character varying(254)"), 500),
        (IntegrityError("duplicate key value"), 500),
    ],
)
def test_it_counts_only_a_lost_connection_as_an_outage(monkeypatch, interviewer, error, status):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("interviews.views.dashboard.fragments.page", fail)
    client = Client(raise_request_exception=False)
    client.force_login(interviewer)

    response = client.get("/")

    assert response.status_code == status
    assert ("Retry-After" in response) == (status == 503)
