"""Every change to a person's photos goes through these functions.

Files and rows live and die together: a photo's files are written before its row and removed
again if the row cannot be stored, and they are deleted once the transaction that deletes the row
commits (never before, so a rollback cannot leave a row without its files).
"""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from notes.models import Note, Photo, Visibility
from notes.photos.processing import ProcessedPhoto, process_photo

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("caption", "credit", "credit_url", "visibility")


def default_visibility(*, owner, session) -> str:
    """A new photo follows the owner's note on that session; private when there is none yet."""
    note_visibility = (
        Note.objects.filter(author=owner, session=session)
        .values_list("visibility", flat=True)
        .first()
    )
    return note_visibility or Visibility.PRIVATE


def add_photo(
    *, owner, session, upload, caption: str = "", visibility: str | None = None, upload_key=""
):
    """Check, re-encode and store one uploaded image; ValidationError if it is refused.

    upload_key: the sender's name for this upload; the owner's photo stored under it before
    (the same upload sent again) is returned instead of a second copy.
    """
    if upload_key and (earlier := sent_before(owner, session, upload_key)):
        return earlier
    try:
        return store_photo(
            owner=owner,
            session=session,
            upload=upload,
            caption=caption,
            visibility=visibility,
            upload_key=upload_key,
        )
    except IntegrityError:
        # The same upload arrived twice at once, and the other request stored it first.
        if upload_key and (earlier := sent_before(owner, session, upload_key)):
            return earlier
        raise


def sent_before(owner, session, upload_key: str) -> Photo | None:
    """The owner's photo stored under this key, or None; a key of another session's photo is
    refused (the editor makes a new one for each photo)."""
    earlier = Photo.objects.filter(owner=owner, upload_key=upload_key).first()
    if earlier is not None and earlier.session_id != session.pk:
        raise ValidationError(_("The upload key is not valid."), code="upload_key")
    return earlier


def store_photo(*, owner, session, upload, caption: str, visibility: str | None, upload_key: str):
    """Process the upload before anything is written; then its files, then its row."""
    if visibility is None:
        visibility = default_visibility(owner=owner, session=session)
    validate_editable_fields(Photo(caption=caption, visibility=visibility))
    result = process_photo(upload)
    written = []
    try:
        with transaction.atomic():
            last = Photo.objects.filter(owner=owner, session=session).aggregate(Max("order"))
            photo = Photo(
                owner=owner,
                session=session,
                caption=caption,
                visibility=visibility,
                order=0 if last["order__max"] is None else last["order__max"] + 1,
                taken_at=aware_taken_at(result, session),
                upload_key=upload_key,
            )
            write_files(photo, result, written)
            photo.save()
            if visibility == Visibility.PUBLIC:
                session.touch_notes()
    except BaseException:
        remove_files(Photo._meta.get_field("image").storage, written)
        raise
    return photo


def aware_taken_at(result: ProcessedPhoto, session):
    """EXIF time without an offset is the camera's clock: assume the conference's zone."""
    taken_at = result.taken_at
    if taken_at is not None and timezone.is_naive(taken_at):
        taken_at = taken_at.replace(tzinfo=session.conference.tz)
    return taken_at


def write_files(photo, result: ProcessedPhoto, written: list[str]) -> None:
    """Save the original and renditions under one random stem; note each name before it is
    written, so that a write failing half-way (a full disk) leaves no file behind either."""
    original = result.original
    storage = photo.image.storage
    # photo_upload_to picks the random name; only the extension of this one is kept.
    name = photo.image.field.generate_filename(photo, f"photo.{original.extension}")
    name = storage.get_available_name(name)
    written.append(name)
    photo.image.name = storage.save(name, ContentFile(original.data))
    stem = photo.image.name.rsplit(".", 1)[0]
    photo.renditions = []
    for rendition in result.renditions:
        name = storage.get_available_name(f"{stem}-{rendition.width}.webp")
        written.append(name)
        name = storage.save(name, ContentFile(rendition.data))
        photo.renditions.append({"width": rendition.width, "name": name})
    photo.width, photo.height = original.width, original.height


def update_photo(*, photo, caption: str, credit: str, credit_url: str, visibility: str):
    """Change what a person may edit of a photo; ValidationError (by field) if a value is bad."""
    with transaction.atomic():
        # Whether it was public, as stored now (the note's visibility may have moved it since
        # this photo was loaded): either way round the public pages change.
        stored = Photo.objects.select_for_update().filter(pk=photo.pk).values("visibility")
        was_public = any(row["visibility"] == Visibility.PUBLIC for row in stored)
        photo.caption, photo.credit, photo.credit_url, photo.visibility = (
            caption.strip(),
            credit.strip(),
            credit_url.strip(),
            visibility,
        )
        validate_editable_fields(photo)
        photo.save(update_fields=EDITABLE_FIELDS)
        touch_if_public(photo.session, was_public or photo.visibility == Visibility.PUBLIC)
    return photo


def touch_if_public(session, public: bool) -> None:
    """A change the public can see changes the pages that show photos (and their caches)."""
    if public:
        session.touch_notes()


def validate_editable_fields(photo) -> None:
    """The model's own checks (lengths, URL, choices) on the fields a person edits, and no NUL:
    these come straight from request.POST, and PostgreSQL cannot store it."""
    errors = {}
    for name in ("caption", "credit", "credit_url"):
        try:
            ProhibitNullCharactersValidator()(getattr(photo, name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    photo.clean_fields(
        exclude=[f.name for f in Photo._meta.fields if f.name not in EDITABLE_FIELDS]
    )


def reorder_photos(*, owner, session, photo_ids: list[int]) -> None:
    """Put the owner's photos of a session in the given order; the ids must be exactly those."""
    with transaction.atomic():
        photos = {
            photo.pk: photo
            for photo in Photo.objects.select_for_update().filter(owner=owner, session=session)
        }
        if sorted(photo_ids) != sorted(photos):
            raise ValidationError(_("The photos changed meanwhile: reload the page and try again."))
        changed = []
        for position, photo_id in enumerate(photo_ids):
            photo = photos[photo_id]
            if photo.order != position:
                photo.order = position
                changed.append(photo)
        Photo.objects.bulk_update(changed, ["order"])
        if changed:
            touch_if_public(
                changed[0].session, any(p.visibility == Visibility.PUBLIC for p in changed)
            )


def move_photo(*, photo, direction: str) -> None:
    """Swap a photo with its neighbour before ("up") or after ("down") it."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a photo up or down."))
    ids = list(
        Photo.objects.filter(owner=photo.owner_id, session=photo.session_id).values_list(
            "pk", flat=True
        )
    )
    if photo.pk not in ids:
        return  # deleted meanwhile
    index = ids.index(photo.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        reorder_photos(owner=photo.owner_id, session=photo.session_id, photo_ids=ids)


def delete_photo(*, photo) -> None:
    with transaction.atomic():
        schedule_file_removal(photo)
        photo.delete()  # notes/receivers.py marks the public pages changed


def follow_note_visibility(*, note, old_visibility: str) -> int:
    """When a note's visibility changes, its photos that matched the note follow it.

    A photo whose visibility differs from the note's old one was set on purpose and stays.
    Returns how many photos changed.
    """
    if old_visibility == note.visibility:
        return 0
    return Photo.objects.filter(
        owner=note.author_id, session=note.session_id, visibility=old_visibility
    ).update(visibility=note.visibility)


def schedule_file_removal(photo) -> None:
    """Delete a photo's files once the current transaction commits (now, outside one)."""
    if getattr(photo, "_file_removal_scheduled", False):
        return
    photo._file_removal_scheduled = True
    names = [photo.image.name, *(rendition["name"] for rendition in photo.renditions)]
    storage = photo.image.storage
    transaction.on_commit(partial(remove_files, storage, [name for name in names if name]))


def remove_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # A file left behind is only wasted space; the row is already gone.
            logger.exception("Could not delete photo file %s", name)
