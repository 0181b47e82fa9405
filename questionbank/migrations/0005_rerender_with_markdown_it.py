"""Render every stored question again with markdown-it-py (linear time) and the image-free sanitiser."""

from django.db import migrations

from questionbank.parser import key_points
from questionbank.rendering import render_key_point, render_markdown


def rerender(apps, schema_editor):
    Question = apps.get_model("questionbank", "Question")
    batch = []
    for question in Question.objects.only("pk", "prompt", "answer").iterator(chunk_size=500):
        question.prompt_html = render_markdown(question.prompt)
        question.answer_html = render_markdown(question.answer)
        question.key_points = [
            render_key_point(point.text, point.detail) for point in key_points(question.answer)
        ]
        batch.append(question)
        if len(batch) == 500:
            Question.objects.bulk_update(batch, ["prompt_html", "answer_html", "key_points"])
            batch = []
    Question.objects.bulk_update(batch, ["prompt_html", "answer_html", "key_points"])


class Migration(migrations.Migration):
    dependencies = [("questionbank", "0004_question_text_limits")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
