"""Backup and restore: the whole database as portable JSON plus every media file, in one archive.

Portable JSON (Django's serializers) means a backup taken on SQLite restores into PostgreSQL and
back. Restoring goes into an empty database only, inside one transaction.
"""

import io
import json
import tarfile
from pathlib import PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notes.models import Photo
from sessions.models import Conference, Session, Speaker

# Derived or throw-away state that a fresh instance rebuilds itself.
EXCLUDED = ["contenttypes", "auth.permission", "admin.logentry", "sessions.session", "axes"]
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def media_names():
    """Every stored file that the database points at."""
    names = set()
    for photo in Photo.objects.only("image", "renditions"):
        names.add(photo.image.name)
        names.update(r["name"] for r in photo.renditions if r.get("name"))
    names.update(Conference.objects.exclude(logo="").values_list("logo", flat=True))
    names.update(Speaker.objects.exclude(photo="").values_list("photo", flat=True))
    return sorted(name for name in names if name)


def write_backup(fileobj):
    """Write a .tar.gz with data.json and media/…; returns (object count, file count)."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        natural_primary=False,
        stdout=data,
        verbosity=0,
    )
    payload = data.getvalue().encode()
    names = media_names()
    with tarfile.open(fileobj=fileobj, mode="w:gz") as archive:
        _add(archive, "manifest.json", json.dumps({"format": FORMAT_VERSION}).encode())
        _add(archive, "data.json", payload)
        for name in names:
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as f:
                    _add(archive, f"media/{name}", f.read())
    return len(json.loads(payload)), len(names)


def _add(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))


def restore_backup(fileobj):
    """Load a backup into an empty database and put its media back; returns (objects, files)."""
    if any(model.objects.exists() for model in (Conference, Photo)):
        raise BackupError(_("the database is not empty: restore into a fresh instance"))
    try:
        archive = tarfile.open(fileobj=fileobj, mode="r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("not a hugi backup archive (%(error)s)") % {"error": exc}) from None
    with archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        if "data.json" not in members or "manifest.json" not in members:
            raise BackupError(_("not a hugi backup archive (data.json or manifest.json missing)"))
        manifest = json.load(archive.extractfile(members["manifest.json"]))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                _("unknown backup format %(format)r") % {"format": manifest.get("format")}
            )
        payload = archive.extractfile(members["data.json"]).read()
        media = {}
        for name, member in members.items():
            path = PurePosixPath(name)
            if path.parts[0] == "media" and ".." not in path.parts and not path.is_absolute():
                media[str(PurePosixPath(*path.parts[1:]))] = archive.extractfile(member).read()
    with transaction.atomic():
        # Deserialize lazily: each natural key (a username) must find the row saved before it.
        objects = []
        for obj in serializers.deserialize("json", payload, handle_forward_references=True):
            obj.save()
            objects.append(obj)
        for obj in objects:
            if obj.deferred_fields:
                obj.save_deferred_fields()
    for name, content in media.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
    _reset_sequences()
    # New stamps: a shared cache that outlived the old database must not answer for this one.
    now = timezone.now()
    Session.objects.update(notes_changed_at=now)
    Conference.objects.update(changed_at=now, notes_changed_at=now)
    return len(objects), len(media)


def _reset_sequences():
    """PostgreSQL keeps id sequences apart from the rows; point them past the restored ids."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m._meta.managed]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def no_style():
    from django.core.management.color import no_style as style

    return style()
