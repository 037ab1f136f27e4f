"""A desk starts with office hours and service levels it can change."""

from datetime import timedelta

from django.db import migrations

LEVELS = [
    # name, priority, first response, next reply, resolution (business time)
    ("Urgent", 4, timedelta(hours=1), timedelta(hours=2), timedelta(hours=8)),
    ("High", 3, timedelta(hours=2), timedelta(hours=4), timedelta(hours=16)),
    ("Normal", 2, timedelta(hours=4), timedelta(hours=8), timedelta(hours=24)),
    ("Low", 1, timedelta(hours=8), timedelta(hours=16), timedelta(hours=40)),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    calendar = apps.get_model("commitments", "Calendar")
    level = apps.get_model("commitments", "ServiceLevel")
    if not calendar.objects.exists():
        calendar.objects.create(name="Office hours", is_default=True)
    for name, priority, first, nxt, resolution in LEVELS:
        level.objects.get_or_create(
            priority=priority,
            defaults={"name": name, "first_response": first, "next_reply": nxt, "resolution": resolution},
        )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
