"""Every change to a write-up goes through these functions.

A published write-up shows on its conference's public pages (the conference page, the pages of
the sessions it covers), so a change to one marks the conference as changed for their caches.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .markdown import render_markdown
from .models import Photo, WriteUp
from .writeups import assemble, default_title, left_out_ids

MOVES = ("up", "down")


def cover_choices(author, conference):
    """The photos a write-up may use as its cover: the author's public ones of the conference."""
    return (
        Photo.objects.public()
        .filter(owner=author, session__conference=conference)
        .select_related("session")
        .order_by("session__starts_at", "order", "created_at", "pk")
    )


def start_writeup(*, author, conference) -> WriteUp:
    """The author's write-up of the conference, created as a draft the first time."""
    writeup = WriteUp.objects.filter(author=author, conference=conference).first()
    if writeup is not None:
        return writeup
    try:
        with transaction.atomic():
            return WriteUp.objects.create(
                author=author, conference=conference, title=default_title(conference),
                slug=slug_for(default_title(conference), conference),
            )  # fmt: skip
    except IntegrityError:
        # Another tab or device created it first.
        return WriteUp.objects.get(author=author, conference=conference)


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


def save_writeup(
    *, author, conference, title: str, summary: str, intro: str, closing: str, cover_photo
) -> WriteUp:
    """Store the author's texts and cover; creates the write-up (a draft) when there is none."""
    title = title.strip()
    if not title:
        raise ValidationError(_("A write-up needs a title."))
    if (
        cover_photo is not None
        and not cover_choices(author, conference).filter(pk=cover_photo.pk).exists()
    ):
        raise ValidationError(_("The cover must be one of your public photos of this conference."))
    with transaction.atomic():
        writeup = _locked(start_writeup(author=author, conference=conference))
        writeup.title = title
        writeup.summary = summary.strip()
        writeup.intro = intro
        writeup.intro_html = render_markdown(intro)
        writeup.closing = closing
        writeup.closing_html = render_markdown(closing)
        writeup.cover_photo = cover_photo
        if not writeup.slug or writeup.published_at is None:
            # The slug follows the title until the first publication, then stays put.
            writeup.slug = slug_for(title, conference)
        writeup.save()
        _touch_if_public(writeup)
    return writeup


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
                        day.entries[other], day.entries[position],
                    )  # fmt: skip
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
