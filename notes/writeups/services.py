"""Every change to a write-up goes through these functions.

A published write-up shows on its conference's public pages (the conference page, the pages of
the sessions it covers), so a change to one marks the conference as changed for their caches.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from notes.models import Photo, WriteUp
from notes.writeups.assembly import assemble, left_out_ids, with_post_relations

MOVES = ("up", "down")


def cover_choices(author, conference):
    """The photos a write-up may use as its cover: the author's public ones of the conference."""
    return (
        Photo.objects.public()
        .filter(owner=author, session__conference=conference)
        .select_related("session")
        .order_by("session__starts_at", "order", "created_at", "pk")
    )


def slug_for(title: str, conference) -> str:
    """A file-name friendly slug for the export: ASCII words of the title when it has some.

    "PyCon Korea 2025 후기" gives "pycon-korea-2025"; "파이콘 한국 2025 후기" has no ASCII words,
    so the conference's slug names it: "pyconkr-2025-hugi" (후기, a write-up).
    """
    ascii_title = slugify(title)
    if re.search(r"[a-z]", ascii_title):
        return ascii_title[:120]
    if ascii_conference := slugify(conference.slug):
        return f"{ascii_conference[:110]}-hugi"
    return (slugify(title, allow_unicode=True) or "hugi")[:120]


class StaleWriteUp(Exception):
    """A save was based on another version of the write-up than the one stored (current)."""

    def __init__(self, current: WriteUp):
        super().__init__(f"the write-up is at version {current.version}")
        self.current = current


def current_language() -> str:
    """The language the author is using the site in, one of settings.LANGUAGES."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def save_writeup(
    *,
    author,
    conference,
    title: str,
    summary: str,
    intro: str,
    closing: str,
    cover_photo,
    language: str | None = None,
    base_version: int = 0,
) -> WriteUp:
    """Store the author's texts, cover and language if based on the stored version.

    Creates the write-up (a draft) when the author has none, in the author's current language
    unless language says otherwise; language None keeps a stored write-up's language. As for
    notes, base_version 0 means "I have seen no stored write-up", and a save based on another
    version than the stored one raises StaleWriteUp — unless it asks for exactly what is stored
    (a retried save whose answer was lost), which returns the stored write-up as it is. Layout and
    status changes do not count as versions: they change one thing under a row lock and never
    overwrite the texts. A save to a write-up deleted meanwhile creates it again: the page that
    sent it holds all its texts.
    """
    texts = _checked_texts(
        author,
        conference,
        title=title,
        summary=summary,
        intro=intro,
        closing=closing,
        cover_photo=cover_photo,
        language=language,
    )
    columns = {
        **texts,
        "intro_html": render_markdown(intro),
        "closing_html": render_markdown(closing),
    }
    mine = WriteUp.objects.filter(author=author, conference=conference)
    with transaction.atomic():
        if not mine.exists() and (created := _create(author, conference, columns)):
            return created
        stored = with_post_relations(mine).get()
        if _holds(stored, texts):
            return stored  # nothing changes: no new version for the other devices to meet
        if stored.version != base_version:
            raise StaleWriteUp(stored)
        # One conditional UPDATE: two saves based on the same version cannot both succeed.
        updated = mine.filter(version=base_version).update(
            **columns,
            slug=_slug_until_published(texts["title"], conference),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        writeup = with_post_relations(mine).get()
        if not updated:
            raise StaleWriteUp(writeup)
        _touch_if_public(writeup)
    return writeup


def _create(author, conference, columns: dict) -> WriteUp | None:
    """The author's first write-up of the conference, in their current language unless columns
    name one; None when another tab or device created it first (a save based on 0 is stale)."""
    try:
        with transaction.atomic():
            return WriteUp.objects.create(
                author=author,
                conference=conference,
                slug=slug_for(columns["title"], conference),
                **{"language": current_language(), **columns},
            )
    except IntegrityError:
        return None


def _checked_texts(author, conference, *, title, summary, intro, closing, cover_photo, language):
    """The columns a save writes, or ValidationError naming what is wrong."""
    title = title.strip()
    if not title:
        raise ValidationError(_("A write-up needs a title."))
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(value)s") % {"value": language})
    if (
        cover_photo is not None
        and not cover_choices(author, conference).filter(pk=cover_photo.pk).exists()
    ):
        raise ValidationError(_("The cover must be one of your public photos of this conference."))
    texts = {
        "title": title,
        "summary": summary.strip(),
        "intro": intro,
        "closing": closing,
        "cover_photo_id": cover_photo.pk if cover_photo is not None else None,
    }
    if language is not None:
        texts["language"] = language
    return texts


def _slug_until_published(title: str, conference):
    """The slug follows the title until the first publication, then stays put."""
    return Case(
        When(Q(published_at__isnull=True) | Q(slug=""), then=Value(slug_for(title, conference))),
        default=F("slug"),
        output_field=WriteUp._meta.get_field("slug"),
    )


def _holds(writeup: WriteUp, texts: dict) -> bool:
    return all(getattr(writeup, name) == value for name, value in texts.items())


def set_left_out(*, writeup: WriteUp, session, left_out: bool) -> WriteUp:
    """Leave a session out of the published post, or put it back."""
    with transaction.atomic():
        writeup = _locked(writeup)
        _check_in_body(writeup, session)
        ids = [pk for pk in left_out_ids(writeup) if pk != session.pk]
        if left_out:
            ids.append(session.pk)
        writeup.layout = {**_layout(writeup), "left_out": ids}
        writeup.save(update_fields=["layout", "updated_at"])
        _touch_if_public(writeup)
    return writeup


def move_session(*, writeup: WriteUp, session, direction: str) -> WriteUp:
    """Swap a session with its neighbour above or below, within its day."""
    if direction not in MOVES:
        raise ValidationError(_("Move a session up or down."))
    with transaction.atomic():
        writeup = _locked(writeup)
        body = assemble(writeup)
        for day in body.days:
            ids = [entry.session.pk for entry in day.entries]
            if session.pk in ids:
                position = ids.index(session.pk)
                other = position - 1 if direction == "up" else position + 1
                if 0 <= other < len(ids):
                    day.entries[position], day.entries[other] = (
                        day.entries[other],
                        day.entries[position],
                    )
                break
        else:
            raise ValidationError(_("That session has no public note of yours in this write-up."))
        # The whole order as it stands now: later notes then slot in by time (see apply_order).
        order = [entry.session.pk for entry in body.entries]
        writeup.layout = {**_layout(writeup), "order": order}
        writeup.save(update_fields=["layout", "updated_at"])
        _touch_if_public(writeup)
    return writeup


def publish(*, writeup: WriteUp) -> WriteUp:
    """Make the write-up public; the first publication sets its date, later ones keep it."""
    with transaction.atomic():
        writeup = _locked(writeup)
        if writeup.status != WriteUp.Status.PUBLISHED:
            writeup.status = WriteUp.Status.PUBLISHED
            writeup.published_at = writeup.published_at or timezone.now()
            writeup.save(update_fields=["status", "published_at", "updated_at"])
            writeup.conference.touch()
    return writeup


def unpublish(*, writeup: WriteUp) -> WriteUp:
    """Back to a draft that only its author sees (its first publication date is kept)."""
    with transaction.atomic():
        writeup = _locked(writeup)
        if writeup.status != WriteUp.Status.DRAFT:
            writeup.status = WriteUp.Status.DRAFT
            writeup.save(update_fields=["status", "updated_at"])
            writeup.conference.touch()
    return writeup


def _locked(writeup: WriteUp) -> WriteUp:
    """The stored row, locked until the transaction ends, so two tabs cannot lose a change."""
    return (
        WriteUp.objects.select_for_update()
        .select_related("conference")
        .get(pk=writeup.pk, author_id=writeup.author_id)
    )


def _layout(writeup: WriteUp) -> dict:
    return writeup.layout if isinstance(writeup.layout, dict) else {}


def _check_in_body(writeup: WriteUp, session) -> None:
    if session.conference_id != writeup.conference_id:
        raise ValidationError(_("That session belongs to another conference."))


def _touch_if_public(writeup: WriteUp) -> None:
    if writeup.status == WriteUp.Status.PUBLISHED:
        writeup.conference.touch()
