"""Every stored rendering of Markdown made again by render_markdown, now cmark-gfm.

Python-Markdown wrote the *_html columns until now, and the two flavours differ in places (a bare
address becomes a link, a list may start right after a paragraph's line, "#tag" is no heading).
Rows are read in batches by primary key rather than with .iterator(): SQLite does not keep a
running query apart from the updates made beside it on the same connection.
"""

from django.db import migrations

from core.markdown import render_markdown

BATCH_SIZE = 500
# Each model's Markdown columns and the HTML column rendered from each.
MARKDOWN_COLUMNS = [
    ("program", "Conference", {"description": "description_html"}),
    ("program", "Speaker", {"bio": "bio_html"}),
    ("program", "Session", {"abstract": "abstract_html", "description": "description_html"}),
    ("notes", "Note", {"body": "body_html"}),
    ("notes", "WriteUp", {"intro": "intro_html", "closing": "closing_html"}),
]


def render_again(apps, schema_editor):
    for app_label, model_name, columns in MARKDOWN_COLUMNS:
        render_rows_again(apps.get_model(app_label, model_name), columns)


def render_rows_again(model, columns: dict, batch_size: int = BATCH_SIZE) -> int:
    """Render the model's Markdown columns again; returns how many rows changed."""
    rows = model.objects.order_by("pk").only(*columns, *columns.values())
    changed, last_pk = 0, 0  # integer primary keys, from 1
    while batch := list(rows.filter(pk__gt=last_pk)[:batch_size]):
        stale = [row for row in batch if render_row_again(row, columns)]
        changed += model.objects.bulk_update(stale, list(columns.values()))
        last_pk = batch[-1].pk
    return changed


def render_row_again(row, columns: dict) -> bool:
    """Put fresh HTML on the row; returns whether any of it differs from what was stored."""
    stale = False
    for markdown, html in columns.items():
        fresh = render_markdown(getattr(row, markdown))
        stale = stale or fresh != getattr(row, html)
        setattr(row, html, fresh)
    return stale


class Migration(migrations.Migration):
    dependencies = [
        ("program", "0005_session_notes_changed_at"),
        ("notes", "0004_photo_upload_key"),
    ]

    # Backwards there is nothing to undo: the renderer that wrote the old HTML is gone.
    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
