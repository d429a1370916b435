"""Write-ups from before a write-up had a language: one written in Korean is Korean.

0005 gave every existing write-up English; a write-up whose title, summary, introduction or
closing holds Hangul is taken to be Korean (its author can change it on the compose page).
"""

import re

from django.db import migrations

HANGUL = re.compile("[\uac00-\ud7a3]")


def korean_by_their_text(apps, schema_editor):
    WriteUp = apps.get_model("notes", "WriteUp")
    korean = [
        writeup.pk
        for writeup in WriteUp.objects.only("title", "summary", "intro", "closing")
        if HANGUL.search(" ".join([writeup.title, writeup.summary, writeup.intro, writeup.closing]))
    ]
    WriteUp.objects.filter(pk__in=korean).update(language="ko")


class Migration(migrations.Migration):
    dependencies = [("notes", "0005_writeup_version_language")]

    operations = [
        migrations.RunPython(korean_by_their_text, migrations.RunPython.noop, elidable=True)
    ]
