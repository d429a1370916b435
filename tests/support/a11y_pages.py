"""Which pages axe-core checks: every address of the URL access table that draws a page.

Keyed like ACCESS in tests/site/test_url_access.py. An address either has page cases here
(PAGES: the address on the site of tests/support/hardening_world.py, who looks at it, and any
settings it needs to exist), or a reason it draws no page (NOT_A_PAGE: files, feeds, JSON,
redirects). Addresses that only take a POST draw no page of their own and need no entry.
tests/browser/test_accessibility.py fails when an address of the table is in neither.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.support.hardening_world import Site

EMAIL = {"EMAIL_ENABLED": True}  # the password reset exists only where mail can be sent
SIGNUP = {"SIGNUP_ENABLED": True}


@dataclass(frozen=True)
class Page:
    name: str  # how a failure names the page
    url: Callable[[Site], str]
    persona: str = "anonymous"  # "anonymous" or "owner" (signed in, owns the notes and write-ups)
    settings: dict = field(default_factory=dict)


def conf(site: Site, name: str, conference=None, **kwargs) -> str:
    return reverse(name, kwargs={"conf": (conference or site.conference).slug, **kwargs})


def reset_confirm(site: Site) -> str:
    uid = urlsafe_base64_encode(force_bytes(site.owner.pk))
    token = default_token_generator.make_token(site.owner)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def owner_page(name, url, **kwargs):
    return Page(name, url, persona="owner", **kwargs)


# The public pages are looked at signed in (star buttons, the owner's notes and change marks:
# the richer page), the home page and a session also as an anonymous visitor (the fast lane).
PAGES: dict[str, list[Page]] = {
    "login": [Page("sign-in", lambda s: reverse("login"))],
    "signup": [Page("sign-up", lambda s: reverse("signup"), settings=SIGNUP)],
    "signed_in": [owner_page("signed-in", lambda s: reverse("signed_in"))],
    "password_change": [owner_page("password-change", lambda s: reverse("password_change"))],
    "password_change_done": [
        owner_page("password-change-done", lambda s: reverse("password_change_done"))
    ],
    "password_reset": [Page("password-reset", lambda s: reverse("password_reset"), settings=EMAIL)],
    "password_reset_done": [
        Page("password-reset-done", lambda s: reverse("password_reset_done"), settings=EMAIL)
    ],
    # The link in the mail redirects once to the same address with the token hidden.
    "password_reset_confirm": [Page("password-reset-confirm", reset_confirm, settings=EMAIL)],
    "password_reset_complete": [
        Page(
            "password-reset-complete", lambda s: reverse("password_reset_complete"), settings=EMAIL
        )
    ],
    "public:home": [
        Page("home", lambda s: reverse("public:home")),
        owner_page("home-signed-in", lambda s: reverse("public:home")),
    ],
    "public:conference": [
        owner_page("conference", lambda s: s.conference.get_absolute_url()),
        Page("404", lambda s: reverse("public:conference", args=["nope"])),
    ],
    "public:day": [owner_page("day", lambda s: conf(s, "public:day", date="2025-08-16"))],
    "public:session": [
        Page("session", lambda s: s.sessions[0].get_absolute_url()),
        owner_page("session-signed-in", lambda s: s.sessions[0].get_absolute_url()),
    ],
    "public:speakers": [owner_page("speakers", lambda s: conf(s, "public:speakers"))],
    "public:speaker": [owner_page("speaker", lambda s: s.speaker.get_absolute_url())],
    "public:changes": [owner_page("changes", lambda s: conf(s, "public:changes"))],
    "public:search": [owner_page("search", lambda s: reverse("public:search") + "?q=talk")],
    "public:writeup": [
        Page("writeup", lambda s: conf(s, "public:writeup", username="owner")),
    ],
    "notes:me": [owner_page("me", lambda s: reverse("notes:me"))],
    "notes:editor_shell": [
        owner_page("editor-offline-shell", lambda s: reverse("notes:editor_shell"))
    ],
    "notes:editor": [
        owner_page("editor", lambda s: reverse("notes:editor", args=[s.sessions[0].pk]))
    ],
    "writeups:mine": [owner_page("writeups", lambda s: reverse("writeups:mine"))],
    "writeups:compose": [
        owner_page("compose", lambda s: conf(s, "writeups:compose")),
        owner_page("compose-draft", lambda s: conf(s, "writeups:compose", s.second)),
    ],
}

NOT_A_PAGE: dict[str, str] = {
    "logout": "POST only; it redirects to the home page",
    "set_language": "a redirect back to the page the visitor came from",
    "markdownx_markdownify": "the preview's HTML fragment, checked inside the editor",
    "photos:file": "an image file",
    "photos:manager": "the editor's photo list, refreshed in place: checked inside the editor",
    "writeups:preview": "the compose page's preview, refreshed in place: checked inside it",
    "notes:service_worker": "JavaScript",
    "public:starred_calendar": "iCalendar",
    "public:changes_feed": "an Atom feed",
    "public:schedule_xml": "frab XML",
    "public:schedule_json": "JSON",
    "public:schedule_ics": "iCalendar",
    "public:session_ics": "iCalendar",
    "public:writeup_feed": "an Atom feed",
    "public:writeup_export": "a zip file",
    "public:sitemap": "XML",
    "public:manifest": "the web app manifest (JSON)",
    "public:conference_offline": "JSON: what a conference's offline copy holds",
    "public:robots": "plain text",
}


def all_pages() -> list[Page]:
    return [page for pages in PAGES.values() for page in pages]


# --- opening a page as its persona would ---


def signed_in_context(new_context, live_server, user, viewport, **options):
    """A browser context signed in as user (a session made by the test client: no form)."""
    context = new_context(viewport, **options)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def language_context(new_context, live_server, language, viewport, user=None):
    """A context that asks for pages in language (by the cookie the language switch sets)."""
    options = {"locale": "ko-KR" if language == "ko" else "en-US"}
    if user is None:
        context = new_context(viewport, **options)
    else:
        context = signed_in_context(new_context, live_server, user, viewport, **options)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    return context
