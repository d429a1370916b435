"""A write-up as a post: the published page and the compose page's preview draw it alike."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from notes.models import WriteUp
from notes.writeups.assembly import assemble, public_cover, reading_minutes, with_post_relations


def readable_writeup(request, conf, username) -> WriteUp:
    """A published write-up; a draft only for its author."""
    return get_object_or_404(
        with_post_relations(WriteUp.objects.visible_to(request.user)),
        conference__slug=conf,
        author__username=username,
    )


def post_context(writeup: WriteUp) -> dict:
    body = assemble(writeup)
    cover = public_cover(writeup)
    conference = writeup.conference
    return {
        "writeup": writeup,
        "conference": conference,
        "author": writeup.author,
        "author_name": writeup.author.get_full_name() or writeup.author.get_username(),
        "body": body,
        "cover": cover,
        "minutes": reading_minutes(writeup, body),
        "is_draft": writeup.status != WriteUp.Status.PUBLISHED,
        "post_date": writeup.published_at or writeup.updated_at or timezone.now(),
        "conference_url": conference.get_absolute_url(),
    }
