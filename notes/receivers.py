"""Public pages change when a public note, photo or write-up disappears, whichever way it goes.

Rows also disappear through Django's cascades (deleting a user, a session or a conference in the
admin), which no service sees; so the conference's change stamp is bumped here, on every delete,
and the cached pages and ETags that showed the row are not served again. NotesConfig.ready()
imports this module so the receivers are connected in every process.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from sessions.models import Conference, Session

from .models import Note, Photo, Visibility, WriteUp


def touch_conference_of_session(session_id) -> None:
    sessions = Session.objects.filter(pk=session_id).values("conference_id")
    Conference.objects.filter(pk__in=sessions).update(changed_at=timezone.now())


@receiver(post_delete, sender=Note, dispatch_uid="public_note_gone")
def public_note_gone(sender, instance, **kwargs):
    if instance.visibility == Visibility.PUBLIC:
        touch_conference_of_session(instance.session_id)


@receiver(post_delete, sender=Photo, dispatch_uid="public_photo_gone")
def public_photo_gone(sender, instance, **kwargs):
    if instance.visibility == Visibility.PUBLIC:
        touch_conference_of_session(instance.session_id)


@receiver(post_delete, sender=WriteUp, dispatch_uid="published_writeup_gone")
def published_writeup_gone(sender, instance, **kwargs):
    if instance.status == WriteUp.Status.PUBLISHED:
        Conference.objects.filter(pk=instance.conference_id).update(changed_at=timezone.now())
