"""Search: pg_trgm, a decomposing function and the trigram indexes behind sessions/search.py.

PostgreSQL only: on any other database this migration does nothing. Plain SQL rather than
AddIndex, so the models (and SQLite) are untouched. Each index is on exactly the expression the
queries use.

The typo lookups are hugi_decompose(title) %> 'kubeflw' (see Decomposed in sessions/search.py).
hugi_decompose() is normalize(value, NFD) in a function that declares its real cost: normalize()
and the trigrams after it cost some 200 simple comparisons per row, and with PostgreSQL's
default guess of 1 the planner reads every title (tens of ms) instead of asking the index (a
fraction of one).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# plpgsql, not sql: an SQL function would be inlined, and its declared cost forgotten.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION hugi_decompose(value text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 200
AS $$
BEGIN
    RETURN normalize(value, NFD);
END;
$$;
"""

TRIGRAM_INDEXES = {
    # search_sessions(): a word in the session's own text, as Django writes icontains:
    # UPPER("title"::text) LIKE UPPER('%kubeflow%'). One index per column, used together.
    "program_session_title_trgm": ("program_session", "UPPER(title)"),
    "program_session_subtitle_trgm": ("program_session", "UPPER(subtitle)"),
    "program_session_abstract_trgm": ("program_session", "UPPER(abstract)"),
    # Typos: near misses of a word in a title, or in a speaker's name (search_sessions() and
    # search_speakers()).
    "program_session_title_typo_trgm": ("program_session", "hugi_decompose(title)"),
    "program_speaker_name_typo_trgm": ("program_speaker", "hugi_decompose(name)"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        # fastupdate off: new rows go straight into the index, not into a pending list that
        # every search would scan until the next VACUUM. Imports are rare; searches are not.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ({expression} gin_trgm_ops) WITH (fastupdate = off)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS hugi_decompose(text)")


class Migration(migrations.Migration):
    dependencies = [("program", "0002_session_parts_same_conference")]

    operations = [
        # A no-op on SQLite (CreateExtension checks the vendor itself).
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
