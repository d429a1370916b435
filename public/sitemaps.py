"""/sitemap.xml: every public page of the programme, and every published write-up.

Items are plain (slug, conference slug, changed_at) rows and URLs are joined onto one reverse()
per conference, so a conference with thousands of sessions and speakers builds no model objects.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import F
from django.urls import reverse

from notes.models import WriteUp
from sessions.links import url_maker
from sessions.models import Conference, Day, Session, Speaker


class ConferenceSitemap(Sitemap):
    def items(self):
        return list(Conference.objects.order_by("slug").values_list("slug", "changed_at"))

    def location(self, item):
        return reverse("public:conference", kwargs={"conf": item[0]})

    def lastmod(self, item):
        return item[1]


class ProgrammeSitemap(Sitemap):
    """Pages that belong to a conference and change when it changes."""

    route = slug_kwarg = slug_field = ""
    placeholder = "-"

    def __init__(self):
        self.urls = {}  # conference slug → its URL maker

    def queryset(self):
        return self.model.objects.all()

    def items(self):
        return list(
            self.queryset()
            .order_by("conference__slug", "pk")
            .values_list(self.slug_field, "conference__slug", "conference__changed_at")
        )

    def location(self, item):
        slug, conference = item[0], item[1]
        if conference not in self.urls:
            self.urls[conference] = url_maker(
                self.route, conference, self.slug_kwarg, self.placeholder
            )
        return self.urls[conference](str(slug))  # a date becomes YYYY-MM-DD

    def lastmod(self, item):
        return item[2]


class DaySitemap(ProgrammeSitemap):
    model, route, slug_kwarg, slug_field = Day, "public:day", "date", "date"
    placeholder = "0000-00-00"

    def queryset(self):
        # Only days inside the conference's dates have a page.
        return Day.objects.filter(
            date__gte=F("conference__start_date"), date__lte=F("conference__end_date")
        )


class SessionSitemap(ProgrammeSitemap):
    model, route, slug_kwarg, slug_field = Session, "public:session", "session", "slug"

    def queryset(self):
        return Session.objects.exclude(kind=Session.Kind.BREAK)


class SpeakerSitemap(ProgrammeSitemap):
    model, route, slug_kwarg, slug_field = Speaker, "public:speaker", "speaker", "slug"


class WriteUpSitemap(Sitemap):
    def items(self):
        return (
            WriteUp.objects.published()
            .select_related("author", "conference")
            .only("updated_at", "author__username", "conference__slug")
            .order_by("pk")
        )

    def location(self, writeup):
        return reverse(
            "public:writeup",
            kwargs={"conf": writeup.conference.slug, "username": writeup.author.get_username()},
        )

    def lastmod(self, writeup):
        return writeup.updated_at


SITEMAPS = {
    "conferences": ConferenceSitemap,
    "days": DaySitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
    "writeups": WriteUpSitemap,
}
