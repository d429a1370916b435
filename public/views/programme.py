"""A conference's timeline pages (the conference and each day) and the session page."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language_info
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from notes.models import Note, Photo
from notes.photos.links import show_photos
from notes.selectors import starred_session_ids
from notes.writeups.assembly import (
    covering,
    published_writeups_by,
    published_writeups_for_conference,
)
from public.changes import latest_session_changes
from public.views.rendering import local_today, public_page, social
from public.views.stars import fill_stars, star_slot
from sessions.links import session_links, session_url_maker
from sessions.models import Conference, Session
from sessions.stamp import session_stamp_or_404, stamp_or_404
from sessions.timeline import build_timeline, latest_version, load_day, track_css, zone_label
from sessions.timeline_html import render_grid


def timeline_validators(request, stamp, now):
    """The conference and day pages show what is on now: while the conference runs they also
    change every minute."""
    return page_cache.validators_for(
        request, stamp.changed_at, live_at=now if is_live(stamp, now) else None
    )


def is_live(conference, now):
    """While a conference runs (and the day around it), its pages show what is on now."""
    today = local_today(conference, now)
    return (
        conference.start_date - timedelta(days=1)
        <= today
        <= conference.end_date + timedelta(days=1)
    )


def conference_days(conference):
    return [
        day
        for day in conference.days.all()
        if conference.start_date <= day.date <= conference.end_date
    ]


def day_timeline(conference, day, now, star_button=None):
    """The timeline of one day (five queries), its boxes marked with what changed in the latest
    version; star_button(session) → what stands in each box where a signed-in visitor's star
    button goes."""
    sessions, speakers = load_day(conference, day)
    timeline = build_timeline(
        day,
        sessions,
        zone=conference.tz,
        url_for=session_url_maker(conference),
        speakers=speakers,
        now=now,
        version=latest_version(conference),
    )
    timeline.grid_html = render_grid(timeline, star_button=star_button)
    return timeline


@dataclass(frozen=True)
class DaySchedule:
    """A day's timeline section as a page shows it: its HTML and the CSS that places it (and,
    in the signed-in variant, the session titles its star buttons name), and the programme's
    latest version (its number and time: the day tabs link to the changes after the first)."""

    css: str
    html: str
    titles: dict = field(default_factory=dict)
    version: int = 0
    version_at: datetime | None = None


def day_schedule(request, conference, day, now, *, hide_heading=False):
    """The timeline section of a page (program/_timeline.html) with its CSS.

    Everyone sees the same section for a version of the conference, a language and (while it
    runs) a minute, so it is made once and shared through the cache: a busy day then costs its
    queries and layout once, not on every request. Signed-in visitors share a variant with a
    stand-in where each star button goes, and get their own buttons put in.
    """
    signed_in = request.user.is_authenticated

    def make():
        timeline = day_timeline(conference, day, now, star_slot if signed_in else None)
        context = {"timeline": timeline, "hide_heading": hide_heading}
        with timezone.override(conference.tz):
            html = render_to_string("program/_timeline.html", context, request)
        titles = {}
        if signed_in:
            titles = {
                item.session.pk: item.session.title
                for slot in timeline.slots
                for item in slot.items
            }
        version = timeline.version
        return DaySchedule(
            css=timeline.css,
            html=html,
            titles=titles,
            version=version.number if version else 0,
            version_at=version.created_at if version else None,
        )

    minute = now.strftime("%Y-%m-%dT%H:%M") if is_live(conference, now) else ""
    parts = ["schedule", conference.pk, conference.changed_at, day.pk, hide_heading, minute]
    if not signed_in:
        return page_cache.shared_fragment(parts, make)
    shared = page_cache.shared_fragment([*parts, "stars"], make)
    html = fill_stars(request, conference, shared.html, shared.titles)
    return replace(shared, html=html, titles={})


@require_safe
@fast_lane
def conference(request, conf):
    stamp = stamp_or_404(conf)
    now = timezone.now()
    validators = timeline_validators(request, stamp, now)

    def context():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        days = conference_days(conference)
        today = local_today(conference, now)
        day = next((d for d in days if d.date == today), days[0] if days else None)
        return {
            "conference": conference,
            "days": days,
            "day": day,
            "schedule": day_schedule(request, conference, day, now) if day else None,
            "social": social(
                request,
                conference.name,
                conference.description_html,
                conference.logo.url if conference.logo else "",
            ),
            "writeups": published_writeups_for_conference(conference),
        }

    return public_page(request, validators, "program/conference.html", context)


@require_safe
@fast_lane
def day(request, conf, date):
    stamp = stamp_or_404(conf)
    if not stamp.start_date <= date <= stamp.end_date:
        raise Http404("That date is not part of the conference.")
    now = timezone.now()
    validators = timeline_validators(request, stamp, now)

    def context():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        days = conference_days(conference)
        day = next((d for d in days if d.date == date), None)
        if day is None:
            raise Http404("Nothing is scheduled on that date.")
        return {
            "conference": conference,
            "days": days,
            "day": day,
            "schedule": day_schedule(request, conference, day, now, hide_heading=True),
            "social": social(request, f"{day} · {conference.name}", conference.description_html),
        }

    return public_page(request, validators, "program/day.html", context)


def language_name(code):
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def neighbours(session):
    """The sessions before and after this one in the same room (two queries; none without a room)."""
    if session.room_id is None:
        return None, None
    same_room = Session.objects.filter(room_id=session.room_id).only("title", "slug", "starts_at")
    previous = (
        same_room.filter(starts_at__lt=session.starts_at).order_by("-starts_at", "-pk").first()
    )
    following = (
        same_room.filter(starts_at__gt=session.starts_at).order_by("starts_at", "pk").first()
    )
    return previous, following


@require_safe
@fast_lane
def session(request, conf, session):
    stamp, notes_changed_at = session_stamp_or_404(conf, session)
    changed_at, extra = stamp.with_notes_at(notes_changed_at)
    validators = page_cache.validators_for(request, changed_at, extra=extra)
    return public_page(
        request,
        validators,
        "program/session.html",
        lambda: session_context(request, stamp, session),
    )


def session_context(request, stamp, slug):
    session = get_object_or_404(
        Session.objects.select_related("conference", "day", "room", "track"),
        conference=stamp.pk,
        slug=slug,
    )
    conference = session.conference
    notes = list(
        Note.objects.public()
        .filter(session=session)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    # Each author with a public note here, with words or not, has the session in their write-up
    # unless they left it out; a note links to its author's write-up either way.
    writeups = published_writeups_by(conference, {note.author_id for note in notes})
    writing = {writeup.author_id for writeup in writeups}
    photos = list(Photo.objects.public().filter(session=session))
    # A note shows its author's public photos of the session; any other photo it names (one
    # made private after it was put in the note) is left out, address and all.
    shown = {}
    for photo in photos:
        shown.setdefault(photo.owner_id, {})[photo.pk] = photo
    notes = [note for note in notes if note.body_html]
    for note in notes:
        note.has_writeup = note.author_id in writing
        note.body_html = show_photos(note.body_html, shown.get(note.author_id, {}))
    previous, following = neighbours(session)
    changed = latest_session_changes(session)
    zone = conference.tz
    starts_at = timezone.localtime(session.starts_at, zone)
    return {
        "conference": conference,
        "session": session,
        "starts_at": starts_at,
        "ends_at": timezone.localtime(session.ends_at, zone),
        "minutes": int(session.duration.total_seconds() // 60),
        "zone": zone.key,
        "zone_label": zone_label(zone, starts_at.date()),
        "speakers": [link.speaker for link in session.session_speakers.select_related("speaker")],
        "language": language_name(session.language) if session.language else "",
        "links": session_links(session),
        "notes": notes,
        "writeups": covering(writeups, session),
        "photos": photos,
        "previous": previous,
        "following": following,
        "starred": session.pk in starred_session_ids(request.user, conference),
        "changed": changed,
        "track_css": track_css(session.track) if session.track else "",
        "social": social(
            request,
            session.title,
            session.abstract_html or session.description_html,
            kind="article",
        ),
    }
