"""Single values from schedule files that are not times: texts cut to the columns that hold
them, URLs, identifiers, links and the kind of a session."""

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

from sessions.importers.schedule import LinkInfo
from sessions.importers.text import clean_line
from sessions.models import Conference, Room, Session, Speaker, Track

# Text is cut to what the database columns hold (PostgreSQL refuses longer values).
MAX = {
    "conference": Conference._meta.get_field("name").max_length,
    "acronym": Conference._meta.get_field("acronym").max_length,
    "room": Room._meta.get_field("name").max_length,
    "track": Track._meta.get_field("name").max_length,
    "speaker": Speaker._meta.get_field("name").max_length,
    "title": Session._meta.get_field("title").max_length,
    "subtitle": Session._meta.get_field("subtitle").max_length,
    "language": Session._meta.get_field("language").max_length,
    "guid": Session._meta.get_field("source_guid").max_length,
    "source_id": Session._meta.get_field("source_id").max_length,
    "url": Session._meta.get_field("website_url").max_length,
    "website": Conference._meta.get_field("website").max_length,
}

# Free-text event types, matched in this order (first match wins); empty means a talk.
KIND_WORDS = [
    ("keynote", Session.Kind.KEYNOTE),
    ("lightning", Session.Kind.LIGHTNING),
    ("tutorial", Session.Kind.TUTORIAL),
    ("workshop", Session.Kind.WORKSHOP),
    ("hands-on", Session.Kind.WORKSHOP),
    ("hands_on", Session.Kind.WORKSHOP),
    ("panel", Session.Kind.PANEL),
    ("podium", Session.Kind.PANEL),
    ("break", Session.Kind.BREAK),
    ("pause", Session.Kind.BREAK),
    ("lunch", Session.Kind.BREAK),
    ("coffee", Session.Kind.BREAK),
    ("talk", Session.Kind.TALK),
    ("lecture", Session.Kind.TALK),
    ("vortrag", Session.Kind.TALK),
]


def kind_for_type(value: str) -> str:
    text = (value or "").strip().lower()
    if not text:
        return Session.Kind.TALK
    if text in Session.Kind.values:
        return text
    for word, kind in KIND_WORDS:
        if word in text:
            return kind
    return Session.Kind.OTHER


def clean_url(value, base_url: str = "", max_length: int = MAX["url"]) -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, too long, garbage)."""
    url = clean_line(value)
    if not url:
        return ""
    try:
        if url.startswith("/") and base_url:
            url = urljoin(base_url, url)
        elif "://" not in url and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
            url = "https://" + url  # "example.org/page", as people type it
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed [ in an IPv6 host
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > max_length:
        return ""
    return url


def clean_id(value, max_length: int) -> str:
    """An identifier from the file, as one line with ASCII digits: exports write an id made of
    digits as an integer, and "²" is a digit to str.isdigit() but not to int()."""
    text = clean_line(value, max_length)
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)


def link(url, title, base_url, *, attachment=False) -> LinkInfo | None:
    url = clean_url(url, base_url)
    if not url:
        return None
    return LinkInfo(url=url, title=clean_line(title, 300), attachment=attachment)
