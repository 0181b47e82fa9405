"""Drop <img> from the bank HTML pinned in past plans: an image can point at one of our GET URLs.

Snapshots keep their HTML otherwise as it was (they are what the interview showed); only the
sanitiser, which no longer allows images, runs over them again.
"""

from django.db import migrations

from questionbank.rendering import sanitize


def drop_images(apps, schema_editor):
    PlannedQuestion = apps.get_model("interviews", "PlannedQuestion")
    batch = []
    for item in PlannedQuestion.objects.only("pk", "snapshot").iterator(chunk_size=500):
        snapshot = item.snapshot
        if "<img" not in str(snapshot):
            continue
        for field in ("prompt_html", "answer_html"):
            snapshot[field] = sanitize(snapshot.get(field, ""))
        snapshot["key_points"] = [sanitize(point) for point in snapshot.get("key_points", [])]
        batch.append(item)
    PlannedQuestion.objects.bulk_update(batch, ["snapshot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0010_analytics_snapshot_and_submitted_at_index"),
        ("questionbank", "0005_rerender_with_markdown_it"),
    ]

    operations = [migrations.RunPython(drop_images, migrations.RunPython.noop, elidable=True)]
