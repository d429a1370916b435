"""Every signal receiver of the app. Public pages change when a public note, photo or write-up
disappears, whichever way it goes, and when the person who wrote one is renamed; no photo file
outlives its row; a note's photos go with the note.

Rows also disappear through Django's cascades (deleting a user, a session or a conference in the
admin), and accounts are edited in the admin, which no service sees; so the change stamps of the
session and its conference are bumped here, and the cached pages and ETags that showed the old
state are not served again. NotesConfig.ready() imports this module so the receivers are
connected in every process.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from notes.models import Note, Photo, Visibility, WriteUp
from notes.photos.services import schedule_file_removal
from sessions.models import Conference, Session, touch_notes_of


@receiver(post_delete, sender=Note, dispatch_uid="public_note_gone")
def public_note_gone(sender, instance, **kwargs):
    if instance.visibility == Visibility.PUBLIC:
        touch_notes_of(Session.objects.filter(pk=instance.session_id))


@receiver(post_delete, sender=Photo, dispatch_uid="public_photo_gone")
def public_photo_gone(sender, instance, **kwargs):
    if instance.visibility == Visibility.PUBLIC:
        touch_notes_of(Session.objects.filter(pk=instance.session_id))


@receiver(post_delete, sender=WriteUp, dispatch_uid="published_writeup_gone")
def published_writeup_gone(sender, instance, **kwargs):
    if instance.status == WriteUp.Status.PUBLISHED:
        Conference.objects.filter(pk=instance.conference_id).update(changed_at=timezone.now())


# What public pages show of a person: their name by their notes, photos and write-ups, and their
# username in the write-up's address.
SHOWN_FIELDS = {"username", "first_name", "last_name"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="author_renamed")
def author_renamed(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SHOWN_FIELDS & set(update_fields)):
        return  # a new account shows nowhere yet; signing in saves last_login only
    # Their name by their notes on session pages (sessions before conferences: one lock order).
    noted = Note.objects.public().filter(author=instance).values("session_id")
    touch_notes_of(Session.objects.filter(pk__in=noted))
    conference_ids = {
        *Note.objects.public()
        .filter(author=instance)
        .values_list("session__conference_id", flat=True),
        *Photo.objects.public()
        .filter(owner=instance)
        .values_list("session__conference_id", flat=True),
        *WriteUp.objects.published()
        .filter(author=instance)
        .values_list("conference_id", flat=True),
    }
    if conference_ids:
        now = timezone.now()
        Conference.objects.filter(pk__in=conference_ids).update(
            changed_at=now, notes_changed_at=now
        )


@receiver(post_delete, sender=Photo, dispatch_uid="photo_files_go_with_the_row")
def remove_files_of_deleted_photo(sender, instance, **kwargs):
    schedule_file_removal(instance)


@receiver(post_delete, sender=Note, dispatch_uid="note_photos_go_with_the_note")
def delete_photos_of_deleted_note(sender, instance, **kwargs):
    # A note's photos are its author's photos of that session: deleting the note deletes them.
    Photo.objects.filter(owner=instance.author_id, session=instance.session_id).delete()
