"""The full-text search table, in the form the database in use understands."""

from django.db import migrations

from keepwell.tickets.search import DROP_SCHEMA, POSTGRES_SCHEMA, SQLITE_SCHEMA


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = POSTGRES_SCHEMA if vendor == "postgresql" else SQLITE_SCHEMA
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in DROP_SCHEMA:
        schema_editor.execute(sql)


def start_counter(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("tickets", "Counter").objects.get_or_create(name="ticket", defaults={"value": 1000})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(start_counter, migrations.RunPython.noop),
    ]
