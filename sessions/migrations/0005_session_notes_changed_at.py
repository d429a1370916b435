"""Each session's own notes stamp (see Session.notes_changed_at).

SQLite adds the column by copying the table into a new one, which leaves the triggers of 0002
behind; they are made again on the new table. PostgreSQL adds the column in place.
"""

from importlib import import_module

import django.utils.timezone
from django.db import migrations, models

same_conference = import_module("sessions.migrations.0002_session_parts_same_conference")


def remake_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        same_conference.drop_triggers(apps, schema_editor)
        same_conference.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("program", "0004_conference_notes_changed_at")]

    operations = [
        # Backwards, after the column is removed (another copy of the table).
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name="session",
            name="notes_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(remake_sqlite_triggers, migrations.RunPython.noop, elidable=False),
    ]
