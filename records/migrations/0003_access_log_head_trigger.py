"""On SQLite the access log's head is moved by a trigger: an append is then
one INSERT (records.services.access_log_append), which SQLite runs as one
writer at a time. PostgreSQL moves the head in the append's own statement."""

from django.db import migrations

CREATE = """
CREATE TRIGGER records_accesslog_moves_head AFTER INSERT ON records_accesslogentry
BEGIN
    UPDATE records_accessloghead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END
"""
DROP = "DROP TRIGGER IF EXISTS records_accesslog_moves_head"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_secrecy_to_cases"),
    ]

    operations = [migrations.RunPython(create, drop)]
