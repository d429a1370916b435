"""Every address an anonymous visitor can read, in one list.

config/urls.py includes this last, and the conference pages (`<conf>/…`) come last here, so
every fixed first segment above them and in the other URLconfs wins; sessions.validators keeps
those segments out of conference slugs (RESERVED_SLUGS; tests/public/test_public_routes.py checks that
the two agree).
"""

from django.urls import path
from django.views.decorators.http import require_safe

import core.converters  # noqa: F401  (registers uslug and isodate)
from public.feeds import WriteUpFeed
from public.views import (
    changes,
    exports,
    home,
    offline,
    programme,
    search,
    site,
    speakers,
    writeups,
)

app_name = "public"

urlpatterns = [
    path("", home.home, name="home"),
    path("sitemap.xml", site.sitemap, name="sitemap"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("feed.xml", require_safe(WriteUpFeed()), name="writeup_feed"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("search/", search.search, name="search"),
    path("calendar/<str:token>.ics", exports.starred_calendar, name="starred_calendar"),
    # A conference's pages: the catch-all <conf>/ stays last.
    path("<uslug:conf>/schedule.xml", exports.schedule_xml, name="schedule_xml"),
    path("<uslug:conf>/schedule.json", exports.schedule_json, name="schedule_json"),
    path("<uslug:conf>/schedule.ics", exports.schedule_ics, name="schedule_ics"),
    path("<uslug:conf>/offline.json", offline.conference_offline, name="conference_offline"),
    path("<uslug:conf>/schedule/<isodate:date>/", programme.day, name="day"),
    path("<uslug:conf>/changes/", changes.changes, name="changes"),
    path("<uslug:conf>/changes.xml", changes.changes_feed, name="changes_feed"),
    path("<uslug:conf>/sessions/<uslug:session>.ics", exports.session_ics, name="session_ics"),
    path("<uslug:conf>/sessions/<uslug:session>/", programme.session, name="session"),
    path("<uslug:conf>/speakers/", speakers.speakers, name="speakers"),
    path("<uslug:conf>/speakers/<uslug:speaker>/", speakers.speaker, name="speaker"),
    path("<uslug:conf>/writeups/<str:username>/", writeups.detail, name="writeup"),
    path("<uslug:conf>/writeups/<str:username>/export.zip", writeups.export, name="writeup_export"),
    path("<uslug:conf>/", programme.conference, name="conference"),
]
