"""The public programme pages: what anyone sees without signing in.

Every page runs a fixed number of queries, whatever the size of the programme, and answers a
conditional GET from an anonymous visitor with 304 when nothing changed (see conditional.py).
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language_info
from django.views.decorators.http import require_safe

from notes.models import Note, Photo, WriteUp
from notes.selectors import starred_session_ids

from . import alphabet, conditional
from .links import outside_links, session_links, session_url_maker
from .models import Conference, Session, SessionSpeaker, Speaker
from .timeline import build_timeline, track_css, zone_label

RECENT_WRITEUPS = 12
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def public_page(request, template, context, validators, zone=None):
    """Render a public page with its caching headers, times shown in the conference's zone."""
    with timezone.override(zone or timezone.get_default_timezone()):
        response = render(request, template, context)
    return conditional.finish(response, validators)


def social(request, title, description="", image=None, kind="website"):
    """OpenGraph and Twitter card fields for program/_social_meta.html."""
    return {
        "title": title,
        "description": Truncator(" ".join(strip_tags(description).split())).chars(200),
        "url": request.build_absolute_uri(request.path),
        "image": request.build_absolute_uri(image.url) if image else "",
        "type": kind,
    }


# --- home ----------------------------------------------------------------------------------


def local_today(conference, now):
    return timezone.localtime(now, conference.tz).date()


def midnight(conference, day):
    return datetime.combine(day, time(0), tzinfo=conference.tz)


@require_safe
def home(request):
    now = timezone.now()
    # One query, grouped here: "now" depends on each conference's own time zone.
    conferences = list(Conference.objects.order_by("start_date", "name"))
    writeups = list(
        WriteUp.objects.published()
        .select_related("author", "conference")
        .order_by("-published_at", "-pk")[:RECENT_WRITEUPS]
    )
    ongoing, upcoming, past = [], [], []
    changed = [EPOCH]
    for conference in conferences:
        today = local_today(conference, now)
        if today < conference.start_date:
            upcoming.append(conference)
        elif today > conference.end_date:
            past.append(conference)
        else:
            ongoing.append(conference)
        changed.append(conference.changed_at)
        # The page also changes when a conference begins or ends.
        changed.extend(
            moment
            for moment in (
                midnight(conference, conference.start_date),
                midnight(conference, conference.end_date + timedelta(days=1)),
            )
            if moment <= now
        )
    changed.extend(writeup.updated_at for writeup in writeups)
    validators = conditional.validators_for(request, max(changed))
    if response := conditional.not_modified(request, validators):
        return response
    past.reverse()
    context = {"ongoing": ongoing, "upcoming": upcoming, "past": past, "writeups": writeups}
    return public_page(request, "program/home.html", context, validators)


# --- conference and day timeline -----------------------------------------------------------


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


def day_timeline(request, conference, day, now):
    """The timeline of one day: two queries, three for a signed-in visitor (their stars)."""
    sessions = Session.objects.with_related().filter(day=day)
    timeline = build_timeline(
        day, sessions, zone=conference.tz, url_for=session_url_maker(conference), now=now
    )
    starred = starred_session_ids(request.user, conference)
    if starred:
        for slot in timeline.slots:
            for item in slot.items:
                item.starred = item.session.pk in starred
    return timeline


@require_safe
def conference(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    now = timezone.now()
    live = is_live(conference, now)
    validators = conditional.validators_for(
        request, conference.changed_at, live_at=now if live else None
    )
    if response := conditional.not_modified(request, validators):
        return response
    days = conference_days(conference)
    today = local_today(conference, now)
    day = next((d for d in days if d.date == today), days[0] if days else None)
    context = {
        "conference": conference,
        "days": days,
        "day": day,
        "timeline": day_timeline(request, conference, day, now) if day else None,
        "social": social(request, conference.name, conference.description_html, conference.logo),
    }
    return public_page(request, "program/conference.html", context, validators, conference.tz)


@require_safe
def day(request, conf, date):
    conference = get_object_or_404(Conference, slug=conf)
    if not conference.start_date <= date <= conference.end_date:
        raise Http404("That date is not part of the conference.")
    now = timezone.now()
    validators = conditional.validators_for(
        request, conference.changed_at, live_at=now if is_live(conference, now) else None
    )
    if response := conditional.not_modified(request, validators):
        return response
    days = conference_days(conference)
    day = next((d for d in days if d.date == date), None)
    if day is None:
        raise Http404("Nothing is scheduled on that date.")
    context = {
        "conference": conference,
        "days": days,
        "day": day,
        "timeline": day_timeline(request, conference, day, now),
        "social": social(request, f"{day} · {conference.name}", conference.description_html),
    }
    return public_page(request, "program/day.html", context, validators, conference.tz)


# --- session -------------------------------------------------------------------------------


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
def session(request, conf, session):
    session = get_object_or_404(
        Session.objects.select_related("conference", "day", "room", "track"),
        conference__slug=conf,
        slug=session,
    )
    conference = session.conference
    validators = conditional.validators_for(request, conference.changed_at)
    if response := conditional.not_modified(request, validators):
        return response
    has_writeup = Exists(
        WriteUp.objects.published().filter(conference=conference, author=OuterRef("author"))
    )
    notes = (
        Note.objects.public()
        .filter(session=session)
        .exclude(body_html="")
        .select_related("author")
        .annotate(has_writeup=has_writeup)
        .order_by("created_at", "pk")
    )
    photos = Photo.objects.public().filter(session=session).select_related("owner")
    previous, following = neighbours(session)
    zone = conference.tz
    starts_at = timezone.localtime(session.starts_at, zone)
    context = {
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
        "notes": list(notes),
        "photos": list(photos),
        "previous": previous,
        "following": following,
        "starred": session.pk in starred_session_ids(request.user, conference),
        "track_css": track_css(session.track) if session.track else "",
        "social": social(
            request,
            session.title,
            session.abstract_html or session.description_html,
            kind="article",
        ),
    }
    return public_page(request, "program/session.html", context, validators, conference.tz)


# --- speakers ------------------------------------------------------------------------------


@require_safe
def speakers(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    validators = conditional.validators_for(request, conference.changed_at)
    if response := conditional.not_modified(request, validators):
        return response
    talks = SessionSpeaker.objects.select_related("session").only(
        "speaker", "session", "session__title", "session__slug", "session__starts_at"
    )
    people = conference.speakers.only("name", "slug", "affiliation", "photo").prefetch_related(
        Prefetch("speaker_sessions", queryset=talks.order_by("session__starts_at"))
    )
    url_for = session_url_maker(conference)
    groups = alphabet.by_letter(people)
    for _letter, group in groups:
        for person in group:
            person.talks = [
                (link.session.title, url_for(link.session.slug))
                for link in person.speaker_sessions.all()
            ]
    context = {
        "conference": conference,
        "groups": groups,
        "count": sum(len(group) for _letter, group in groups),
        "social": social(request, f"{conference.name} · speakers"),
    }
    return public_page(request, "program/speakers.html", context, validators, conference.tz)


@require_safe
def speaker(request, conf, speaker):
    speaker = get_object_or_404(
        Speaker.objects.select_related("conference"), conference__slug=conf, slug=speaker
    )
    conference = speaker.conference
    validators = conditional.validators_for(request, conference.changed_at)
    if response := conditional.not_modified(request, validators):
        return response
    sessions = list(
        Session.objects.with_related()
        .filter(session_speakers__speaker=speaker)
        .order_by("starts_at", "pk")
    )
    starred = starred_session_ids(request.user, conference)
    zone = conference.tz
    for item in sessions:
        item.local_start = timezone.localtime(item.starts_at, zone)
        item.local_end = timezone.localtime(item.ends_at, zone)
        item.starred = item.pk in starred
    links = outside_links(extra=speaker.links)
    tracks = {item.track.pk: item.track for item in sessions if item.track}
    context = {
        "zone": zone.key,
        "zone_label": zone_label(zone, sessions[0].local_start.date()) if sessions else "",
        "track_css": "\n".join(track_css(track) for track in tracks.values()),
        "conference": conference,
        "speaker": speaker,
        "sessions": sessions,
        "links": links,
        "social": social(request, speaker.name, speaker.bio_html, speaker.photo, kind="profile"),
    }
    return public_page(request, "program/speaker.html", context, validators, conference.tz)


# --- robots --------------------------------------------------------------------------------


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("program:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
        "Disallow: /notes/",
        "Disallow: /search/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
