"""A conference's programme changes: the page (/<conf>/changes/) and its Atom feed
(/<conf>/changes.xml), both kept and validated by the conference's change stamp, which every new
version moves on."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from notes.selectors import seen_version
from public.changes import SHOWN_VERSIONS, VersionChanges, recent_versions
from public.views.rendering import public_page, social
from sessions.models import Conference
from sessions.stamp import stamp_or_404
from sessions.timeline import zone_label
from sessions.versions import ScheduleVersion

# How each origin reads in a version's heading.
ORIGINS = {
    ScheduleVersion.Origin.IMPORT: gettext_lazy("Imported"),
    ScheduleVersion.Origin.SYNC: gettext_lazy("Updated from the organisers’ schedule"),
    ScheduleVersion.Origin.ADMIN: gettext_lazy("Edited by the organisers"),
}


def origin_label(version) -> str:
    return str(ORIGINS.get(version.origin, version.origin))


def version_title(entry: VersionChanges) -> str:
    """ "Version 3: 2 moved, 1 cancelled" (the feed's entry title)."""
    if entry.is_first:
        what = _("Programme published")
    else:
        what = ", ".join(entry.counts) or _("no changes")
    return _("Version %(number)d: %(what)s") % {"number": entry.number, "what": what}


@require_safe
@fast_lane
def changes(request, conf):
    stamp = stamp_or_404(conf)
    validators = page_cache.validators_for(request, stamp.changed_at)

    def context():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        versions = recent_versions(conference)
        for entry in versions:
            entry.origin = origin_label(entry.version)
        latest = versions[0].number if versions else 0
        seen = seen_version(request.user, conference) if request.user.is_authenticated else 0
        return {
            "conference": conference,
            "versions": versions,
            "latest": latest,
            "older": max(0, latest - SHOWN_VERSIONS),
            "seen": seen,
            "zone_label": zone_label(conference.tz, conference.start_date),
            "social": social(
                request, _("Programme changes · %(conference)s") % {"conference": conference.name}
            ),
        }

    return public_page(request, validators, "program/changes.html", context)


class ChangesFeed(Feed):
    """One entry per version, newest first, with its changes as the page lists them. Made for
    each request (it remembers the conference between its methods)."""

    feed_type = Atom1Feed

    def get_object(self, request, conf):
        self.site = request.build_absolute_uri("/").removesuffix("/")
        return get_object_or_404(Conference, slug=conf)

    def title(self, conference):
        return _("%(conference)s: programme changes") % {"conference": conference.name}

    def subtitle(self, conference):
        return _("Every version of the programme: what moved, what was cancelled, what is new.")

    def link(self, conference):
        return reverse("public:changes", kwargs={"conf": conference.slug})

    def feed_url(self, conference):
        return reverse("public:changes_feed", kwargs={"conf": conference.slug})

    def items(self, conference):
        self.conference = conference
        return recent_versions(conference)

    def item_title(self, entry):
        return version_title(entry)

    def item_link(self, entry):
        return f"{self.link(self.conference)}#v{entry.number}"

    def item_description(self, entry):
        # Atom's summary is typed "html": the list, with its text escaped by the template.
        context = {"entry": entry, "origin": origin_label(entry.version), "site": self.site}
        with timezone.override(self.conference.tz):
            return render_to_string("program/_changes_feed_entry.html", context)

    def item_pubdate(self, entry):
        return entry.version.created_at

    def item_updateddate(self, entry):
        return entry.version.created_at

    def item_categories(self, entry):
        return [self.conference.name]


@require_safe
@fast_lane
def changes_feed(request, conf):
    """The feed, kept and validated like the page (its texts follow the visitor's language)."""
    stamp = stamp_or_404(conf)
    validators = page_cache.validators_for(request, stamp.changed_at)
    return page_cache.cached_page(request, validators, lambda: ChangesFeed()(request, conf=conf))
