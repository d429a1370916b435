"""/sitemap.xml: every public page of the programme.

Write-ups add their own section: SITEMAPS["writeups"] = WriteUpSitemap, before the URLconf loads.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import F

from .models import Conference, Day, Session, Speaker


class ConferenceSitemap(Sitemap):
    def items(self):
        return Conference.objects.order_by("slug").only("slug", "changed_at")

    def lastmod(self, conference):
        return conference.changed_at


class ProgrammeSitemap(Sitemap):
    """Pages that belong to a conference and change when it changes."""

    model = None
    fields = ("slug",)

    def items(self):
        return (
            self.model.objects.select_related("conference")
            .only(*self.fields, "conference__slug", "conference__changed_at")
            .order_by("conference__slug", "pk")
        )

    def lastmod(self, obj):
        return obj.conference.changed_at


class DaySitemap(ProgrammeSitemap):
    model = Day
    fields = ("date",)

    def items(self):
        # Only days inside the conference's dates have a page.
        return (
            super()
            .items()
            .filter(
                date__gte=F("conference__start_date"),
                date__lte=F("conference__end_date"),
            )
        )


class SessionSitemap(ProgrammeSitemap):
    model = Session

    def items(self):
        return super().items().exclude(kind=Session.Kind.BREAK)


class SpeakerSitemap(ProgrammeSitemap):
    model = Speaker


SITEMAPS = {
    "conferences": ConferenceSitemap,
    "days": DaySitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
}
