"""Editors retire a question or mark it leaked from the admin, and find its analytics from there."""

import pytest
from django.urls import reverse

from questionbank.models import Question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "field"), [("retire", "retired_at"), ("mark_leaked", "leaked_at")]
)
def test_it_retires_or_marks_leaked_with_an_admin_action(client, editor, small_bank, action, field):
    question = Question.objects.get(bank=small_bank)
    client.force_login(editor)
    response = client.post(
        reverse("admin:questionbank_question_changelist"),
        {"action": action, "_selected_action": [question.pk]},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert getattr(question, field) is not None
    assert not Question.objects.filter(pk=question.pk).in_use().exists()
    client.post(
        reverse("admin:questionbank_question_changelist"),
        {"action": "put_back_in_use", "_selected_action": [question.pk]},
    )
    assert Question.objects.filter(pk=question.pk).plannable().exists()


def test_it_links_the_question_page_to_its_analytics(client, editor, small_bank):
    question = Question.objects.get(bank=small_bank)
    client.force_login(editor)
    page = client.get(reverse("admin:questionbank_question_change", args=[question.pk]))
    assert f'/analytics/questions/#q-{question.key}"'.encode() in page.content


def test_it_keeps_a_question_retired_through_an_import(editor, small_bank):
    from questionbank.parser import parse_bank
    from questionbank.services import import_bank
    from tests.conftest import SMALL_BANK

    question = Question.objects.get(bank=small_bank)
    question.set_status("retired")
    import_bank(
        parse_bank(SMALL_BANK + "\n", source="small.md"), slug="small", source_file="small.md"
    )
    question.refresh_from_db()
    assert question.retired_at is not None
