"""The write-ups' section of /sitemap.xml: published write-ups only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import WriteUp


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
            "writeups:detail",
            kwargs={"conf": writeup.conference.slug, "username": writeup.author.get_username()},
        )

    def lastmod(self, writeup):
        return writeup.updated_at
