"""Every change to a person's notes, stars and write-ups goes through these functions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .markdown import render_markdown
from .models import Note, Star, Visibility


class StaleNote(Exception):
    """A save was based on an older version than the one stored."""

    def __init__(self, current: Note):
        super().__init__(f"note {current.pk} is at version {current.version}")
        self.current = current


def validate_note_body(body: str) -> None:
    if len(body.encode("utf-8")) > settings.NOTE_MAX_BYTES:
        raise ValidationError(
            _("The note is too long: at most %(kb)d KB.") % {"kb": settings.NOTE_MAX_BYTES // 1024}
        )


def save_note(*, author, session, body: str, visibility: str, base_version: int) -> Note:
    """Store a note if it is based on the stored version, and return it at its new version.

    base_version 0 means "I have not seen a stored note": it creates one. A save based on any
    other version than the stored one raises StaleNote, so nothing is silently overwritten.
    """
    validate_note_body(body)
    if visibility not in Visibility.values:
        raise ValidationError(_("Unknown visibility: %(value)s") % {"value": visibility})
    body_html = render_markdown(body)
    with transaction.atomic():
        if base_version == 0:
            try:
                with transaction.atomic():
                    note = Note.objects.create(
                        author=author, session=session, body=body, body_html=body_html,
                        visibility=visibility,
                    )  # fmt: skip
            except IntegrityError:
                # Someone (another device) created it first.
                raise StaleNote(Note.objects.get(author=author, session=session)) from None
        else:
            # One conditional UPDATE: two saves based on the same version cannot both succeed.
            updated = Note.objects.filter(
                author=author, session=session, version=base_version
            ).update(
                body=body, body_html=body_html, visibility=visibility,
                version=F("version") + 1, updated_at=timezone.now(),
            )  # fmt: skip
            note = Note.objects.get(author=author, session=session)
            if not updated:
                raise StaleNote(note)
        session.conference.touch()
    return note


def set_star(*, user, session, starred: bool) -> bool:
    """Star or unstar a session for a user; returns whether it is starred now."""
    if starred:
        Star.objects.get_or_create(user=user, session=session)
    else:
        Star.objects.filter(user=user, session=session).delete()
    return starred
