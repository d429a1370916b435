"""What a phone keeps of a conference for offline use: every page's address with its
validator, and what the note editor needs to open any session without a network.

A validator is the ETag the page itself answers an anonymous visitor with, less the minute on
live pages (their "on now" marks move in the browser offline): a phone asks again only for the
pages whose validator changed since it kept them.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language

from core import page_cache
from sessions.links import session_url_maker, speaker_url_maker
from sessions.models import Session, speakers_prefetch


def page_validator(release_mark: str, path: str, changed_at, extra=()) -> str:
    parts = [path, get_language() or "", *extra]
    return page_cache.weak_validators(changed_at, parts, release_mark=release_mark).etag


def offline_list(conference, stamp) -> dict:
    """The conference's pages and sessions (four queries, whatever the size)."""
    slug = conference.slug
    changed_at = stamp.changed_at
    release_mark = page_cache.release()
    pages = [reverse("public:conference", kwargs={"conf": slug})]
    pages += [
        reverse("public:day", kwargs={"conf": slug, "date": date})
        for date in conference.days.values_list("date", flat=True).order_by("date")
    ]
    pages.append(reverse("public:speakers", kwargs={"conf": slug}))
    speaker_url = speaker_url_maker(conference)
    pages += [
        speaker_url(speaker_slug)
        for speaker_slug in conference.speakers.values_list("slug", flat=True).order_by("slug")
    ]
    entries = [[path, page_validator(release_mark, path, changed_at)] for path in pages]

    session_url = session_url_maker(conference)
    sessions = {}
    listed = (
        Session.objects.filter(conference=conference)
        .select_related("room")
        .prefetch_related(speakers_prefetch())
        .order_by("starts_at", "pk")
    )
    with timezone.override(conference.tz):
        for session in listed:
            path = session_url(session.slug)
            latest, extra = stamp.with_notes_at(session.notes_changed_at)
            entries.append([path, page_validator(release_mark, path, latest, extra)])
            sessions[str(session.pk)] = {
                "title": session.title,
                "url": path,
                "when": when(session),
                "room": session.room.name if session.room else "",
                "speakers": ", ".join(link.speaker.name for link in session.session_speakers.all()),
            }
    return {
        "conference": {
            "slug": slug,
            "name": conference.name,
            "url": pages[0],
            "zone": conference.timezone,
        },
        "pages": entries,
        "sessions": sessions,
    }


def when(session) -> str:
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    day = formats.date_format(starts, "MONTH_DAY_FORMAT")
    weekday = formats.date_format(starts, "D")
    return f"{day} ({weekday}) {starts:%H:%M}–{ends:%H:%M}"
