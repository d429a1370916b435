"""Public schedule exports (frab XML, C3VOC JSON, iCalendar) and the personal calendar feed.

Each answers in a fixed number of queries whatever the size of the programme, and carries only
public programme data: never a note, a photo or anything else of a person (the personal feed
lists the sessions its owner starred, and nothing they wrote).
"""

import gzip
import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core import page_cache
from core.gzip_pieces import accepts_gzip
from notes.models import CalendarFeed
from sessions.exports import c3voc_json, frab_xml, ical
from sessions.exports.common import load_programme
from sessions.models import Conference, Session, speakers_prefetch


class ExportUrls:
    """Absolute URLs for the exports, from the request."""

    def __init__(self, request, conference):
        self.request = request
        self.conference_slug = conference.slug
        self.site = request.build_absolute_uri("/")
        self.export = request.build_absolute_uri(request.path)
        self.conference = request.build_absolute_uri(conference.get_absolute_url())

    def session(self, session):
        path = reverse(
            "public:session", kwargs={"conf": self.conference_slug, "session": session.slug}
        )
        return self.request.build_absolute_uri(path)


def _with_speakers(sessions):
    """The sessions with their speakers, and when a schedule version last changed each one
    (the events' LAST-MODIFIED; a subquery, no query of its own)."""
    return ical.with_last_change(sessions.prefetch_related(speakers_prefetch()))


def export_validators(request, conference) -> page_cache.Validators:
    """The same for everyone, signed in or not, in any language. The address without its query
    string: ?cb=1, ?cb=2, … are the same export, kept once."""
    address = request.build_absolute_uri(request.path)
    return page_cache.weak_validators(conference.changed_at, ["export", address])


def with_gzip(content: str | bytes) -> tuple[bytes, bytes]:
    body = content.encode() if isinstance(content, str) else content
    return body, gzip.compress(body, compresslevel=6, mtime=0)


def _export(request, conference, filename, content_type, render):
    """A public export with validators; 304 when the caller's copy is current."""
    validators = export_validators(request, conference)
    response = page_cache.conditional_response(request, validators)
    if response is None:
        # The same for everyone, signed in or not: made and compressed once per version of the
        # conference (megabytes of XML a schedule app asks for again and again).
        if page_cache.kept_host(request):
            content, compressed = page_cache.shared_fragment(
                ["export", validators.etag], lambda: with_gzip(render())
            )
        else:  # a host name the visitor made up is not worth a copy
            content, compressed = with_gzip(render())
        if accepts_gzip(request):
            response = HttpResponse(compressed, content_type=content_type)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(content, content_type=content_type)
        response.headers["Content-Disposition"] = content_disposition_header(False, filename)
    patch_vary_headers(response, ("Accept-Encoding",))  # on a 304 too, as on the export
    page_cache.put_validators(response, validators)
    # Public data that schedule apps and web pages elsewhere may read.
    response.headers["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


# A session's own .ics reminds this long before it; the personal feed as its owner chose.
SESSION_REMINDER_MINUTES = 10


@require_safe
def schedule_xml(request, conf):
    conference = get_object_or_404(Conference, slug=conf)

    def render():
        return frab_xml.render(load_programme(conference), urls=ExportUrls(request, conference))

    return _export(request, conference, f"{conference.slug}.xml", "application/xml", render)


@require_safe
def schedule_json(request, conf):
    conference = get_object_or_404(Conference, slug=conf)

    def render():
        data = c3voc_json.build(load_programme(conference), urls=ExportUrls(request, conference))
        return json.dumps(data, ensure_ascii=False, indent=1)

    return _export(request, conference, f"{conference.slug}.json", "application/json", render)


@require_safe
def schedule_ics(request, conf):
    conference = get_object_or_404(Conference, slug=conf)

    def render():
        # Cancelled sessions stay in, marked CANCELLED, so subscribed calendars drop them.
        sessions = _with_speakers(
            Session.objects.filter(conference=conference)
            .select_related("room", "track")
            .order_by("starts_at", "id")
        )
        urls = ExportUrls(request, conference)
        return ical.conference_calendar(conference, list(sessions), session_url=urls.session)

    return _export(
        request, conference, f"{conference.slug}.ics", "text/calendar; charset=utf-8", render
    )


@require_safe
def session_ics(request, conf, session):
    session = get_object_or_404(
        _with_speakers(Session.objects.select_related("conference", "room", "track")),
        conference__slug=conf,
        slug=session,
    )
    conference = session.conference

    def render():
        urls = ExportUrls(request, conference)
        return ical.conference_calendar(
            conference,
            [session],
            session_url=urls.session,
            alarm_minutes=SESSION_REMINDER_MINUTES,
        )

    return _export(
        request, conference, f"{session.slug}.ics", "text/calendar; charset=utf-8", render
    )


@require_safe
def starred_calendar(request, token):
    """The sessions a person starred, at a secret address calendar apps subscribe to."""
    feed = get_object_or_404(CalendarFeed, token=token)
    sessions = _with_speakers(
        Session.objects.filter(stars__user_id=feed.user_id)
        .select_related("conference", "room", "track")
        .order_by("starts_at", "id")
    )

    def session_url(session):
        return request.build_absolute_uri(
            reverse(
                "public:session",
                kwargs={"conf": session.conference.slug, "session": session.slug},
            )
        )

    body = ical.starred_calendar(
        list(sessions), session_url=session_url, alarm_minutes=feed.reminder_minutes or None
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition_header(False, "hugi.ics")
    # The address is the secret: keep it out of shared caches and search engines.
    patch_cache_control(response, private=True, no_cache=True)
    response.headers["X-Robots-Tag"] = "noindex"
    return response
