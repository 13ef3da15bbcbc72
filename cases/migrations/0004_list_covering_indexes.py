"""Covering indexes for the filtered case lists (PostgreSQL only).

A list filtered by unit or department and a receipt period, plus any of
status, type, channel, subject area, resolution, case officer or due date,
finds its page and its (capped) count with an index-only scan: every column
those filters and sorts read is in the index, so no case row is read until
the 25 of the page. Without them a department's year read ~13 000 rows from
the table at a million cases. They are plain SQL (INCLUDE is PostgreSQL's),
like the search index, so SQLite is untouched."""

from django.db import migrations

INCLUDED = "status, kind, feedback_type, channel, category_id, resolution, assignee_id, due_date"
INDEXES = {
    "case_received_cover": f"(received_date, received_at, id) INCLUDE (unit_id, {INCLUDED})",
    "case_unit_received_cover": f"(unit_id, received_date, received_at, id) INCLUDE ({INCLUDED})",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_list_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
