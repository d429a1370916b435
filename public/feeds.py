"""/feed.xml: the Atom feed of published write-ups, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from notes.models import WriteUp

FEED_LENGTH = 50


class LanguagePerEntryFeed(Atom1Feed):
    """Atom whose entries each say their own language: a Korean write-up in an English feed."""

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language"]}


class WriteUpFeed(Feed):
    feed_type = LanguagePerEntryFeed
    title = _("hugi — conference write-ups")
    subtitle = _("Retrospectives written from notes taken in the room.")

    def link(self):
        return reverse("public:home")

    def feed_url(self):
        return reverse("public:writeup_feed")

    def items(self):
        return (
            WriteUp.objects.published()
            .select_related("author", "conference")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, writeup):
        return writeup.title

    def item_description(self, writeup):
        # Atom's summary is typed "html": plain text must arrive escaped.
        return escape(writeup.summary or writeup.conference.name)

    def item_link(self, writeup):
        return reverse(
            "public:writeup",
            kwargs={"conf": writeup.conference.slug, "username": writeup.author.get_username()},
        )

    def item_author_name(self, writeup):
        return writeup.author.get_full_name() or writeup.author.get_username()

    def item_pubdate(self, writeup):
        return writeup.published_at

    def item_updateddate(self, writeup):
        return writeup.updated_at

    def item_categories(self, writeup):
        return [writeup.conference.name]

    def item_extra_kwargs(self, writeup):
        return {"language": writeup.language}
