"""Links the public pages print: session URLs for long lists, and outside links made safe."""

from urllib.parse import quote, urlsplit

from django.urls import reverse
from django.utils.translation import gettext as _

SAFE_SCHEMES = {"http", "https"}


def url_maker(route, conference_slug, slug_kwarg, placeholder="-"):
    """A slug → URL function for long lists: one reverse() instead of one per row.

    Slugs are [-\\w]+ (dates YYYY-MM-DD), which quote() escapes exactly as reverse() does.
    """
    url = reverse(route, kwargs={"conf": conference_slug, slug_kwarg: placeholder})
    head, _, tail = url.rpartition(placeholder)
    return lambda slug: f"{head}{quote(slug)}{tail}"


def session_url_maker(conference):
    return url_maker("public:session", conference.slug, "session")


def speaker_url_maker(conference):
    return url_maker("public:speaker", conference.slug, "speaker")


def is_safe_url(url) -> bool:
    """Only http(s) links leave the site: imported data may hold javascript: or worse."""
    if not isinstance(url, str) or not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def outside_links(named=(), extra=()):
    """[(title, url), …] from fixed fields and a JSON list of {"title", "url"}, unsafe ones dropped.

    named: (title, url) pairs, e.g. (_("Slides"), session.slides_url);
    extra: the links JSON, which may be malformed: anything that is not a dict with a safe URL
    is skipped.
    """
    links = [(title, url) for title, url in named if is_safe_url(url)]
    if isinstance(extra, list):
        for entry in extra:
            if isinstance(entry, dict) and is_safe_url(entry.get("url")):
                title = str(entry.get("title") or "").strip() or urlsplit(entry["url"]).netloc
                links.append((title, entry["url"].strip()))
    return links


def session_links(session):
    return outside_links(
        named=[
            (_("Slides"), session.slides_url),
            (_("Video"), session.video_url),
            (_("Website"), session.website_url),
        ],
        extra=session.links,
    )
