"""`manage.py backup` and `restore` round-trip a database with notes and photos."""

import io
import shutil

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation

from notes.models import Note, Photo, Star, WriteUp
from ops.demo import build_demo
from sessions.models import Conference, Session, SessionSpeaker


def snapshot():
    return {
        "sessions": sorted(
            Session.objects.values_list(
                "pk", "title", "slug", "starts_at", "room__name", "abstract_html"
            )
        ),
        "speakers": sorted(
            SessionSpeaker.objects.values_list("session_id", "speaker__name", "order")
        ),
        "notes": sorted(
            Note.objects.values_list(
                "pk", "author__username", "body", "body_html", "visibility", "version"
            )
        ),
        "photos": sorted(
            Photo.objects.values_list("pk", "image", "caption", "visibility", "width")
        ),
        "stars": sorted(Star.objects.values_list("user__username", "session_id")),
        "writeups": sorted(WriteUp.objects.values_list("title", "status", "published_at")),
        "users": sorted(
            get_user_model().objects.values_list("username", "password", "is_superuser")
        ),
        # Not changed_at: a restore gives every conference a new stamp (see below).
    }


def stored_photo_bytes():
    result = {}
    for photo in Photo.objects.all():
        with default_storage.open(photo.image.name, "rb") as f:
            result[photo.image.name] = f.read()
    return result


@pytest.mark.django_db(transaction=True)
def test_backup_restores_everything_into_a_fresh_instance(tmp_path):
    build_demo()
    before = snapshot()
    stamp_before = Conference.objects.get().changed_at
    photo_bytes = stored_photo_bytes()
    archive = tmp_path / "hugi.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Session.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert out.getvalue().startswith("Restored ")
    assert snapshot() == before
    assert stored_photo_bytes() == photo_bytes
    # A new stamp, so a shared cache that outlived the old database answers nothing from it.
    assert Conference.objects.get().changed_at > stamp_before
    # New rows still get fresh ids after the restore (sequences on PostgreSQL).
    note = Note.objects.first()
    assert Note.objects.create(
        author=note.author, session=Session.objects.exclude(notes__author=note.author).first()
    ).pk > max(n[0] for n in before["notes"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    build_demo()
    archive = tmp_path / "hugi.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "language, not_a_backup, missing",
    [
        ("en", "not a hugi backup archive", "no such file"),
        ("ko", "hugi 백업 파일이 아닙니다", "그런 파일이 없습니다"),  # LANGUAGE_CODE = "ko"
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, language, not_a_backup, missing):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"<html>not an archive</html>")
    with translation.override(language):
        with pytest.raises(CommandError, match=not_a_backup):
            call_command("restore", str(bogus))
        with pytest.raises(CommandError, match=missing):
            call_command("restore", str(tmp_path / "missing.tar.gz"))


@pytest.mark.django_db
def test_backup_refuses_to_overwrite_or_to_write_into_a_missing_folder(tmp_path):
    existing = tmp_path / "kept.tar.gz"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"an older backup"
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(tmp_path / "missing" / "hugi.tar.gz"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.tar.gz"]


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_archive_behind(tmp_path):
    from django.db import connection

    with connection.cursor() as cursor:  # a database that is not (fully) migrated
        cursor.execute("DROP TABLE program_sessionspeaker")
    with pytest.raises(CommandError, match=r"no such table|does not exist"):
        call_command("backup", str(tmp_path / "hugi.tar.gz"))
    assert list(tmp_path.iterdir()) == []
