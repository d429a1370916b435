"""Search: pg_trgm and the trigram indexes behind sessions/search.py, on PostgreSQL only.

The indexes are plain SQL rather than AddIndex so the models (and SQLite) are untouched; on any
other database this migration does nothing. The indexes answer the typo lookups,
normalize(title, NFD) %> 'kubeflw', so they are on exactly that expression (see Decomposed).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = {
    # search_sessions(): near misses of a word in the title.
    "program_session_title_trgm": ("program_session", "normalize(title, NFD)"),
    # search_sessions() (sessions by a speaker's name) and search_speakers().
    "program_speaker_name_trgm": ("program_speaker", "normalize(name, NFD)"),
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
