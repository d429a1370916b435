"""What every public page shares: drawing it through the page cache, its social-card fields, a conference's local dates, and the validators of pages that list every conference."""

from datetime import UTC, datetime, time

from django.shortcuts import render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core import page_cache
from sessions.stamp import all_stamps

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

    return page_cache.cached_page(request, validators, draw)


def social(request, title, description="", image_url="", kind="website"):
    """OpenGraph and Twitter card fields for program/_social_meta.html, addresses absolute;
    description may be HTML (an abstract, a bio): its text is kept, cut at 200 letters."""
    return {
        "title": title,
        "description": Truncator(" ".join(strip_tags(description).split())).chars(200),
        "url": request.build_absolute_uri(request.path),
        "image": request.build_absolute_uri(image_url) if image_url else "",
        "type": kind,
    }


def local_today(conference, now):
    return timezone.localtime(now, conference.tz).date()


def midnight(conference, day):
    return datetime.combine(day, time(0), tzinfo=conference.tz)


def site_validators(request):
    """Validators for what lists every conference (the sitemap, search): any change anywhere.

    Every conference's stamp goes in, not just the latest: two changes committed out of order
    could otherwise leave the latest as it was."""
    if request.user.is_authenticated:
        return None
    stamps = sorted((stamp.pk, stamp.changed_at) for stamp in all_stamps())
    latest = max((changed_at for _pk, changed_at in stamps), default=EPOCH)
    return page_cache.validators_for(request, latest, extra=[stamps, request.GET.urlencode()])
