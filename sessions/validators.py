"""What a conference's slug and time zone may be, beyond their fields' types."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First path segments that belong to the site, so no conference may take them as its slug.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "calendar",
        "favicon.ico",
        "feed.xml",
        "healthz",
        "i18n",
        "manifest.webmanifest",
        "markdownx",
        "me",
        "media",
        "notes",
        "offline",
        "photos",
        "robots.txt",
        "search",
        "sitemap.xml",
        "star",
        "static",
        "sw.js",
    }
)


def validate_not_reserved(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved for the site."), params={"slug": value})


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not an IANA time zone."), params={"zone": value})
