"""Search: pg_trgm and the trigram indexes behind sessions/search.py, on PostgreSQL only.

The indexes are plain SQL rather than AddIndex so the models (and SQLite) are untouched; on any
other database this migration does nothing. Each index is on UPPER(column) because that is how
Django writes icontains on PostgreSQL: UPPER("title"::text) LIKE UPPER('%kubeflow%').
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = {
    # search_sessions(): a word in the title.
    "program_session_title_trgm": ("program_session", "UPPER(title)"),
    # search_sessions() (sessions by a speaker's name) and search_speakers().
    "program_speaker_name_trgm": ("program_speaker", "UPPER(name)"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("program", "0002_session_parts_same_conference")]

    operations = [
        # A no-op on SQLite (CreateExtension checks the vendor itself).
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
