"""The public programme pages: what anyone sees without signing in.

Every page runs a fixed number of queries, whatever the size of the programme, and answers a
conditional GET from an anonymous visitor with 304 when nothing changed (see conditional.py).
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from notes.models import Note, Photo, WriteUp
from notes.photo_links import show_photos
from notes.selectors import starred_session_ids
from notes.writeups import covering, published_writeups_by, published_writeups_for_conference

from . import alphabet, conditional
from .fast_lane import fast_lane
from .links import outside_links, session_links, session_url_maker, speaker_url_maker
from .models import Conference, Session, SessionSpeaker, Speaker
from .sitemaps import SITEMAPS
from .stamp import all_stamps, session_stamp_or_404, stamp_or_404
from .timeline import build_timeline, load_day, track_css, zone_label
from .timeline_html import render_grid

RECENT_WRITEUPS = 12
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def public_page(request, validators, template, make_context):
    """A public page with its caching headers, times shown in its conference's zone.

    Anonymous visitors get a 304 or the page from the cache when they can; make_context() (the
    page's queries) runs only when the page has to be drawn.
    """

    def draw():
        context = make_context()
        conference = context.get("conference")
        with timezone.override(conference.tz if conference else timezone.get_default_timezone()):
            return render(request, template, context)

    return conditional.cached_page(request, validators, draw)


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
@fast_lane
def home(request):
    now = timezone.now()
    validators = home_validators(request, now)
    return public_page(request, validators, "program/home.html", lambda: home_context(now))


def when(conference, now) -> str:
    """Whether the conference is upcoming, ongoing or past, by its own local date."""
    today = local_today(conference, now)
    if today < conference.start_date:
        return "upcoming"
    return "past" if today > conference.end_date else "ongoing"


def home_validators(request, now):
    """The home page lists every conference by when it is, and the recent write-ups (whose
    publication changes their conference's stamp): it changes with any stamp, and when a
    conference begins or ends."""
    if request.user.is_authenticated:
        return None
    stamps = all_stamps()
    changed = [EPOCH]
    for stamp in stamps:
        changed.append(stamp.changed_at)
        changed.extend(
            moment
            for moment in (
                midnight(stamp, stamp.start_date),
                midnight(stamp, stamp.end_date + timedelta(days=1)),
            )
            if moment <= now
        )
    # Every stamp, not only the latest (two changes may commit out of order), and where each
    # conference is listed; a deleted conference changes no stamp, only the list.
    listed = sorted((stamp.pk, stamp.changed_at, when(stamp, now)) for stamp in stamps)
    return conditional.validators_for(request, max(changed), extra=listed)


def home_context(now):
    sections = {"ongoing": [], "upcoming": [], "past": []}
    for conference in Conference.objects.order_by("start_date", "name"):
        sections[when(conference, now)].append(conference)
    sections["past"].reverse()
    writeups = list(
        WriteUp.objects.published()
        .select_related("author", "conference")
        .order_by("-published_at", "-pk")[:RECENT_WRITEUPS]
    )
    return {**sections, "writeups": writeups}


# --- conference and day timeline -----------------------------------------------------------


def timeline_validators(request, stamp, now):
    """The conference and day pages show what is on now: while the conference runs they also
    change every minute."""
    return conditional.validators_for(
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
    """The timeline of one day (four queries); star_button(session) → what stands in each box
    where a signed-in visitor's star button goes."""
    sessions, speakers = load_day(conference, day)
    timeline = build_timeline(
        day, sessions, zone=conference.tz, url_for=session_url_maker(conference),
        speakers=speakers, now=now,
    )  # fmt: skip
    timeline.grid_html = render_grid(timeline, star_button=star_button)
    return timeline


# In a signed-in visitor's grid, a box's star button is first this stand-in, then their own.
STAR_SLOT = "<!--hugi-star-{}-->"
STAR_SLOTS = re.compile(r"<!--hugi-star-(\d+)-->")


def star_slot(session, starred=False):
    return STAR_SLOT.format(session.pk)


def fill_stars(request, conference, schedule):
    """The shared grid with this visitor's own star buttons put in (one query: their stars)."""
    starred = starred_session_ids(request.user, conference)
    button = star_buttons(request)

    def fill(match):
        pk = int(match.group(1))
        return button(StandIn(pk=pk, title=schedule.titles[pk]), pk in starred)

    # Safe: the shared section was rendered and escaped, and each button is the escaped partial.
    return Schedule(css=schedule.css, html=mark_safe(STAR_SLOTS.sub(fill, schedule.html)))


def star_buttons(request):
    """session, starred → the notes/_star_button.html partial, for a signed-in visitor.

    The partial is rendered twice (starred and not) for a stand-in session, and each of the
    hundreds of buttons on a busy day is one of those with the session's address and title put
    in: the same HTML as rendering it for every session, at a fraction of the cost.
    """
    if not request.user.is_authenticated:
        return None
    template = get_template("notes/_star_button.html").template
    shared = {"request": request, "user": request.user, "csrf_token": get_token(request)}
    stand_in = StandIn(pk=STAND_IN_PK, title=STAND_IN_TITLE)
    stand_in_url = reverse("notes:star", args=[STAND_IN_PK])
    variants = {
        starred: template.render(Context({**shared, "session": stand_in, "starred": starred}))
        for starred in (False, True)
    }

    def render(session, starred):
        # The address by substitution too: reverse() for each of hundreds of buttons shows.
        url = stand_in_url.replace(str(STAND_IN_PK), str(session.pk))
        return (
            variants[starred]
            .replace(stand_in_url, url)
            .replace(STAND_IN_TITLE, escape(session.title))
        )

    return render


@dataclass(frozen=True)
class StandIn:
    pk: int
    title: str


STAND_IN_PK = 987654321
STAND_IN_TITLE = "hugi-stand-in-title"


@dataclass(frozen=True)
class Schedule:
    """A day's timeline section as a page shows it: its HTML and the CSS that places it (and,
    in the signed-in variant, the session titles its star buttons name)."""

    css: str
    html: str
    titles: dict = field(default_factory=dict)


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
        return Schedule(css=timeline.css, html=html, titles=titles)

    minute = now.strftime("%Y-%m-%dT%H:%M") if is_live(conference, now) else ""
    parts = ["schedule", conference.pk, conference.changed_at, day.pk, hide_heading, minute]
    if not signed_in:
        return conditional.shared_fragment(parts, make)
    return fill_stars(request, conference, conditional.shared_fragment([*parts, "stars"], make))


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
                request, conference.name, conference.description_html, conference.logo
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
@fast_lane
def session(request, conf, session):
    stamp, notes_changed_at = session_stamp_or_404(conf, session)
    changed_at, extra = stamp.with_notes_at(notes_changed_at)
    validators = conditional.validators_for(request, changed_at, extra=extra)
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
        "track_css": track_css(session.track) if session.track else "",
        "social": social(
            request,
            session.title,
            session.abstract_html or session.description_html,
            kind="article",
        ),
    }


# --- speakers ------------------------------------------------------------------------------


INDEX_TALKS = 4  # sessions listed under a name in the index; the speaker's page has them all


@dataclass
class IndexEntry:
    name: str
    url: str
    affiliation: str
    talks: list  # [(title, url)], the first INDEX_TALKS
    more: int = 0  # how many sessions are not listed


def speaker_index(request, conference):
    """The jump bar and the speakers by letter, as HTML, with the number of speakers.

    The same for every visitor, so the view shares it through the cache.
    """
    # Plain tuples, not model objects: a big conference has a thousand speakers.
    talks = {}
    session_url = session_url_maker(conference)
    for speaker_id, title, slug in (
        SessionSpeaker.objects.filter(speaker__conference=conference)
        .order_by("session__starts_at", "session_id")
        .values_list("speaker_id", "session__title", "session__slug")
    ):
        talks.setdefault(speaker_id, []).append((title, session_url(slug)))
    speaker_url = speaker_url_maker(conference)
    people = []
    for pk, name, slug, affiliation in conference.speakers.values_list(
        "pk", "name", "slug", "affiliation"
    ):
        theirs = talks.get(pk, [])
        people.append(
            IndexEntry(
                name=name,
                url=speaker_url(slug),
                affiliation=affiliation,
                talks=theirs[:INDEX_TALKS],
                more=max(0, len(theirs) - INDEX_TALKS),
            )
        )
    groups = alphabet.by_letter(people)
    html = render_to_string("program/_speaker_index.html", {"groups": groups}, request)
    return {"count": len(people), "html": html}


@require_safe
@fast_lane
def speakers(request, conf):
    stamp = stamp_or_404(conf)
    validators = conditional.validators_for(request, stamp.changed_at)

    def context():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        parts = ["speakers", conference.pk, conference.changed_at]
        index = conditional.shared_fragment(parts, lambda: speaker_index(request, conference))
        return {
            "conference": conference,
            "index": index,
            "social": social(
                request, _("Speakers · %(conference)s") % {"conference": conference.name}
            ),
        }

    return public_page(request, validators, "program/speakers.html", context)


@require_safe
@fast_lane
def speaker(request, conf, speaker):
    stamp = stamp_or_404(conf)
    validators = conditional.validators_for(request, stamp.changed_at)
    return public_page(
        request,
        validators,
        "program/speaker.html",
        lambda: speaker_context(request, stamp, speaker),
    )


def speaker_context(request, stamp, slug):
    speaker = get_object_or_404(
        Speaker.objects.select_related("conference"), conference=stamp.pk, slug=slug
    )
    conference = speaker.conference
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
    return {
        "zone": zone.key,
        "zone_label": zone_label(zone, sessions[0].local_start.date()) if sessions else "",
        "track_css": "\n".join(track_css(track) for track in tracks.values()),
        "conference": conference,
        "speaker": speaker,
        "sessions": sessions,
        "links": links,
        "social": social(request, speaker.name, speaker.bio_html, speaker.photo, kind="profile"),
    }


# --- sitemap and robots --------------------------------------------------------------------


def site_validators(request):
    """Validators for what lists every conference (the sitemap, search): any change anywhere.

    Every conference's stamp goes in, not just the latest: two changes committed out of order
    could otherwise leave the latest as it was."""
    if request.user.is_authenticated:
        return None
    stamps = sorted((stamp.pk, stamp.changed_at) for stamp in all_stamps())
    latest = max((changed_at for _pk, changed_at in stamps), default=EPOCH)
    return conditional.validators_for(request, latest, extra=[stamps, request.GET.urlencode()])


# The sitemap's own further pages (?p=2); ?p=02 or ?p=2&x are drawn, not kept.
SITEMAP_PAGE = re.compile(r"p=[1-9][0-9]{0,5}")


@require_safe
@fast_lane
def sitemap(request):
    validators = site_validators(request)
    return conditional.cached_page(
        request,
        validators,
        lambda: sitemap_views.sitemap(request, sitemaps=SITEMAPS).render(),
        canonical_query=bool(SITEMAP_PAGE.fullmatch(request.META.get("QUERY_STRING", ""))),
    )


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
