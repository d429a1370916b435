"""The speakers index of a conference and each speaker's page."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from notes.selectors import starred_session_ids
from public.views.rendering import public_page, social
from sessions import alphabet
from sessions.links import outside_links, session_url_maker, speaker_url_maker
from sessions.models import Conference, Session, SessionSpeaker, Speaker
from sessions.stamp import stamp_or_404
from sessions.timeline import track_css, zone_label

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
    validators = page_cache.validators_for(request, stamp.changed_at)

    def context():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        parts = ["speakers", conference.pk, conference.changed_at]
        index = page_cache.shared_fragment(parts, lambda: speaker_index(request, conference))
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
    validators = page_cache.validators_for(request, stamp.changed_at)
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
        "social": social(
            request,
            speaker.name,
            speaker.bio_html,
            speaker.photo.url if speaker.photo else "",
            kind="profile",
        ),
    }
