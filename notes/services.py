"""Every change to a person's notes, stars and write-ups goes through these functions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from notes.models import CalendarFeed, ChangesSeen, Note, Star, Visibility
from notes.photos.services import follow_note_visibility


class StaleNote(Exception):
    """A save was based on another version than the one stored.

    current is the stored note, or None when the note the save was based on has been deleted
    meanwhile (so there is nothing stored now).
    """

    def __init__(self, current: Note | None):
        stored = f"at version {current.version}" if current else "deleted"
        super().__init__(f"the note is {stored}")
        self.current = current


class NoteTooLong(ValidationError):
    """A note body over settings.NOTE_MAX_BYTES (the save endpoint answers 413)."""


def too_long_message() -> str:
    return _("The note is too long: at most %(kb)d KB.") % {"kb": settings.NOTE_MAX_BYTES // 1024}


def validate_note_body(body: str) -> None:
    """A body that can be stored, or ValidationError with one line (NoteTooLong for its size)."""
    try:
        size = len(body.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate: JSON allows "\ud800", UTF-8 does not
        raise ValidationError(_("The note holds characters that are not valid text.")) from None
    if size > settings.NOTE_MAX_BYTES:
        raise NoteTooLong(too_long_message())
    if "\x00" in body:
        # PostgreSQL cannot store NUL; no keyboard types it, a paste from a binary file might.
        raise ValidationError(_("The note holds a NUL character, which cannot be saved."))


def validate_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError(_("Unknown visibility: %(value)s") % {"value": visibility})


def save_note(*, author, session, body: str, visibility: str, base_version: int) -> Note:
    """Store a note if it is based on the stored version, and return it at its new version.

    base_version 0 means "I have not seen a stored note": it creates one. A save based on any
    other version than the stored one raises StaleNote, so nothing is silently overwritten —
    unless it asks for exactly what is stored already (a retried save whose answer was lost),
    which simply returns the stored note.
    """
    validate_note_body(body)
    validate_visibility(visibility)
    body_html = render_markdown(body)
    mine = Note.objects.filter(author=author, session=session)
    with transaction.atomic():
        if base_version == 0:
            try:
                with transaction.atomic():
                    note = Note.objects.create(
                        author=author,
                        session=session,
                        body=body,
                        body_html=body_html,
                        visibility=visibility,
                    )
            except IntegrityError:
                # Someone (another device) created it first.
                return _same_or_stale(mine.first(), body, visibility)
            # Photos uploaded before the note existed were private; they follow the note.
            follow_note_visibility(note=note, old_visibility=Visibility.PRIVATE)
            # Even without words a public note changes pages: it puts the session in its author's
            # write-up, which the session's page lists.
            public_changed = visibility == Visibility.PUBLIC
        else:
            # The row as it was at base_version: the conditional UPDATE below replaces exactly it.
            before = (
                mine.filter(version=base_version).values(
                    "pk", "body", "visibility", "created_at", "version"
                )
            ).first()
            if before is None:
                return _same_or_stale(mine.first(), body, visibility)
            # One conditional UPDATE: two saves based on the same version cannot both succeed.
            now = timezone.now()
            updated = mine.filter(version=base_version).update(
                body=body,
                body_html=body_html,
                visibility=visibility,
                version=F("version") + 1,
                updated_at=now,
            )
            if not updated:
                return _same_or_stale(mine.first(), body, visibility)
            # The row is now exactly this: no need to read it back (the busiest write there is).
            note = stored_note(before, author, session, body, body_html, visibility, now)
            moved = follow_note_visibility(note=note, old_visibility=before["visibility"])
            was_public = before["visibility"] == Visibility.PUBLIC
            public_changed = moved > 0 or (
                (was_public or visibility == Visibility.PUBLIC)
                and (before["body"] != body or before["visibility"] != visibility)
            )
        if public_changed:
            # Only what the public can see changes the pages that show notes.
            session.touch_notes()
    return note


def stored_note(before, author, session, body, body_html, visibility, updated_at) -> Note:
    """The Note as a successful conditional UPDATE left it, built without reading it back."""
    note = Note(
        pk=before["pk"], author=author, session=session, body=body, body_html=body_html,
        visibility=visibility, created_at=before["created_at"], updated_at=updated_at,
        version=before["version"] + 1,
    )  # fmt: skip
    note._state.adding = False
    note._state.db = Note.objects.db
    return note


def _same_or_stale(current: Note | None, body: str, visibility: str) -> Note:
    if current is not None and current.body == body and current.visibility == visibility:
        return current
    raise StaleNote(current)


def set_star(*, user, session, starred: bool) -> bool:
    """Star or unstar a session for a user; returns whether it is starred now."""
    if starred:
        Star.objects.get_or_create(user=user, session=session)
    else:
        Star.objects.filter(user=user, session=session).delete()
    return starred


def mark_changes_seen(*, user, conference, version_number: int) -> int:
    """Remember that the user has seen the conference's changes up to version_number (at most
    its latest version; never back to an older one). Returns the version now marked."""
    latest = conference.versions.aggregate(number=Max("number"))["number"] or 0
    number = max(0, min(version_number, latest))
    seen, created = ChangesSeen.objects.get_or_create(
        user=user, conference=conference, defaults={"version_number": number}
    )
    if not created:
        # One conditional UPDATE: two tabs dismissing at once keep the newer mark.
        ChangesSeen.objects.filter(pk=seen.pk, version_number__lt=number).update(
            version_number=number, updated_at=timezone.now()
        )
    return max(number, seen.version_number)


def set_reminder(*, user, minutes: int) -> CalendarFeed:
    """How long before each starred session the user's calendar feed reminds them (0: not)."""
    if minutes not in CalendarFeed.Reminder.values:
        raise ValidationError(_("Choose one of the reminder times offered."))
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"reminder_minutes": minutes}
    )
    return feed
