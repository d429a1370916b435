"""Who may open each address: the owner of what it names, another signed-in user, anyone.

Every URL pattern of the project must have an entry in ACCESS below (the admin is one group:
staff only), so a new address without an access test fails here. Each entry names the address
for the site of tests/hardening_world.py — the owner's private note, private photo, draft and
published write-ups, calendar token — and the outcome for the three personas. An address that
changes data is POST-only: the entry also checks that GET answers 405.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notes.models import CalendarFeed
from tests.support.crawl import body_of
from tests.support.hardening_world import Site, build_site

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page
PERSONAS = ("anonymous", "other", "owner")  # in this order: the owner's POST may change things


@dataclass(frozen=True)
class Access:
    url: Any  # site → address
    owner: int | str
    other: int | str
    anonymous: int | str
    method: str = "GET"
    data: Any = None  # site → POST data
    json: bool = False  # POST the data as JSON
    post_only: bool = True  # for a POST: GET on the same address answers 405

    @property
    def changes_data(self):
        return self.method == "POST"


def everyone(status):
    return {"owner": status, "other": status, "anonymous": status}


def signed_in(status=200, other=None):
    return {"owner": status, "other": status if other is None else other, "anonymous": LOGIN}


def conf(site: Site, name: str, conference=None, **kwargs) -> str:
    return reverse(name, kwargs={"conf": (conference or site.conference).slug, **kwargs})


def private_note(site):
    return site.private_notes[0]


def private_photo(site):
    return site.private_photos[0]


def uid(site):
    return urlsafe_base64_encode(force_bytes(site.owner.pk))


# Keyed by the pattern's namespaced name (its route when it has none). A list holds several
# cases of one pattern: the owner's object and an unknown one, or GET and POST.
ACCESS: dict[str, list[Access]] = {
    "login": [Access(lambda s: reverse("login"), **everyone(200))],
    "logout": [Access(lambda s: reverse("logout"), **everyone(405))],
    "password_change": [Access(lambda s: reverse("password_change"), **signed_in())],
    "password_change_done": [Access(lambda s: reverse("password_change_done"), **signed_in())],
    # Without email settings (the tests have none) the password reset does not exist.
    "password_reset": [Access(lambda s: reverse("password_reset"), **everyone(404))],
    "password_reset_done": [Access(lambda s: reverse("password_reset_done"), **everyone(404))],
    "password_reset_confirm": [
        Access(
            lambda s: reverse(
                "password_reset_confirm",
                kwargs={"uidb64": uid(s), "token": default_token_generator.make_token(s.owner)},
            ),
            **everyone(404),
        ),
    ],
    "password_reset_complete": [
        Access(lambda s: reverse("password_reset_complete"), **everyone(404))
    ],
    # GET only redirects back; the language changes with a POST.
    "set_language": [Access(lambda s: reverse("set_language") + "?next=/", **everyone(302))],
    "markdownx_markdownify": [
        Access(lambda s: reverse("markdownx_markdownify"), **everyone(405)),
        Access(
            lambda s: reverse("markdownx_markdownify"),
            method="POST",
            data=lambda s: {"content": "*hi*"},
            owner=200,
            other=200,
            anonymous=401,  # JSON for the editor's script: "sign in again"
        ),
    ],
    "public:search": [Access(lambda s: reverse("public:search") + "?q=talk", **everyone(200))],
    "photos:upload": [
        # No file: the owner and the other user are told to choose one; nothing is stored.
        Access(
            lambda s: reverse("photos:upload", args=[s.sessions[0].pk]),
            method="POST",
            data=lambda s: {},
            **signed_in(400),
        ),
        Access(
            lambda s: reverse("photos:upload", args=[987654]),
            method="POST",
            data=lambda s: {},
            **signed_in(404),
        ),
    ],
    "photos:manager": [
        Access(
            lambda s: reverse("photos:manager", args=[private_photo(s).session_id]), **signed_in()
        ),
        Access(lambda s: reverse("photos:manager", args=[987654]), **signed_in(404)),
    ],
    "photos:update": [
        Access(
            lambda s: reverse("photos:update", args=[private_photo(s).pk]),
            method="POST",
            data=lambda s: {"caption": "changed"},
            owner=302,
            other=404,
            anonymous=LOGIN,
        ),
    ],
    "photos:reorder": [
        Access(
            lambda s: reverse("photos:reorder", args=[private_photo(s).pk]),
            method="POST",
            data=lambda s: {"direction": "up"},
            owner=302,
            other=404,
            anonymous=LOGIN,
        ),
    ],
    "photos:delete": [
        Access(
            lambda s: reverse("photos:delete", args=[private_photo(s).pk]),
            method="POST",
            data=lambda s: {},
            owner=302,
            other=404,
            anonymous=LOGIN,
        ),
    ],
    "photos:file": [
        Access(
            lambda s: reverse(
                "photos:file", kwargs={"photo_id": private_photo(s).pk, "rendition": "original"}
            ),
            owner=200,
            other=404,
            anonymous=404,
        ),
        Access(
            lambda s: reverse(
                "photos:file", kwargs={"photo_id": s.public_photos[0].pk, "rendition": "480"}
            ),
            **everyone(200),
        ),
        Access(
            lambda s: reverse(
                "photos:file", kwargs={"photo_id": s.public_photos[0].pk, "rendition": "123"}
            ),
            **everyone(404),
        ),
    ],
    "notes:me": [Access(lambda s: reverse("notes:me"), **signed_in())],
    "notes:star": [
        Access(
            lambda s: reverse("notes:star", args=[s.sessions[0].pk]),
            method="POST",
            data=lambda s: {"starred": "1"},
            **signed_in(302),
        ),
        Access(
            lambda s: reverse("notes:star", args=[987654]),
            method="POST",
            data=lambda s: {"starred": "1"},
            **signed_in(404),
        ),
    ],
    # The editor of a session is each person's own: another user sees their own, empty note.
    "notes:editor_shell": [Access(lambda s: reverse("notes:editor_shell"), **signed_in())],
    "notes:editor": [
        Access(lambda s: reverse("notes:editor", args=[private_note(s).session_id]), **signed_in()),
        Access(lambda s: reverse("notes:editor", args=[987654]), **signed_in(404)),
    ],
    "notes:save": [
        # Based on the owner's version: the other user has no note there, so theirs is stale.
        Access(
            lambda s: reverse("notes:save", args=[private_note(s).session_id]),
            method="POST",
            data=lambda s: {
                "body": "x",
                "visibility": "private",
                "base_version": private_note(s).version,
            },
            json=True,
            owner=200,
            other=409,
            anonymous=401,
        ),
        Access(
            lambda s: reverse("notes:save", args=[987654]),
            method="POST",
            data=lambda s: {"body": "x", "visibility": "private", "base_version": 0},
            json=True,
            owner=404,
            other=404,
            anonymous=401,
        ),
    ],
    # Sign-up is off unless SIGNUP_ENABLED: a 404 for everyone.
    "signup": [Access(lambda s: reverse("signup"), **everyone(404))],
    "signed_in": [Access(lambda s: reverse("signed_in"), **signed_in())],
    "notes:service_worker": [Access(lambda s: reverse("notes:service_worker"), **everyone(200))],
    "public:starred_calendar": [
        # The token is the secret: calendar apps fetch it without a cookie.
        Access(
            lambda s: reverse(
                "public:starred_calendar",
                kwargs={"token": CalendarFeed.objects.get(user=s.owner).token},
            ),
            **everyone(200),
        ),
        Access(
            lambda s: reverse("public:starred_calendar", kwargs={"token": "guessed-token"}),
            **everyone(404),
        ),
    ],
    "notes:reset_calendar": [
        Access(
            lambda s: reverse("notes:reset_calendar"),
            method="POST",
            data=lambda s: {},
            **signed_in(302),
        ),
    ],
    "notes:calendar_reminder": [
        Access(
            lambda s: reverse("notes:calendar_reminder"),
            method="POST",
            data=lambda s: {"minutes": "15"},
            **signed_in(302),
        ),
    ],
    "notes:changes_seen": [
        Access(
            lambda s: conf(s, "notes:changes_seen"),
            method="POST",
            data=lambda s: {"version": "1"},
            **signed_in(302),
        ),
        Access(
            lambda s: reverse("notes:changes_seen", args=["nope"]),
            method="POST",
            data=lambda s: {"version": "1"},
            **signed_in(404),
        ),
    ],
    "public:changes": [
        Access(lambda s: conf(s, "public:changes"), **everyone(200)),
        Access(lambda s: reverse("public:changes", args=["nope"]), **everyone(404)),
    ],
    "public:changes_feed": [
        Access(lambda s: conf(s, "public:changes_feed"), **everyone(200)),
        Access(lambda s: reverse("public:changes_feed", args=["nope"]), **everyone(404)),
    ],
    "public:schedule_xml": [
        Access(lambda s: conf(s, "public:schedule_xml"), **everyone(200)),
        Access(lambda s: reverse("public:schedule_xml", args=["nope"]), **everyone(404)),
    ],
    "public:schedule_json": [
        Access(lambda s: conf(s, "public:schedule_json"), **everyone(200)),
        Access(lambda s: reverse("public:schedule_json", args=["nope"]), **everyone(404)),
    ],
    "public:schedule_ics": [
        Access(lambda s: conf(s, "public:schedule_ics"), **everyone(200)),
        Access(lambda s: reverse("public:schedule_ics", args=["nope"]), **everyone(404)),
    ],
    "public:session_ics": [
        Access(lambda s: conf(s, "public:session_ics", session="talk-1"), **everyone(200)),
        Access(lambda s: conf(s, "public:session_ics", session="nope"), **everyone(404)),
    ],
    "public:writeup_feed": [Access(lambda s: reverse("public:writeup_feed"), **everyone(200))],
    "writeups:mine": [Access(lambda s: reverse("writeups:mine"), **signed_in())],
    # Compose and preview show each person their own write-up (a new one for the other user).
    "writeups:compose": [
        Access(lambda s: conf(s, "writeups:compose", s.second), **signed_in()),
        Access(lambda s: reverse("writeups:compose", args=["nope"]), **signed_in(404)),
        Access(
            lambda s: conf(s, "writeups:compose", s.second),
            method="POST",
            data=lambda s: {"title": "Mine", "language": "en", "base_version": "1"},
            post_only=False,  # GET shows the form
            **signed_in(302),
        ),
    ],
    "writeups:preview": [
        Access(lambda s: conf(s, "writeups:preview", s.second), **signed_in()),
        Access(lambda s: reverse("writeups:preview", args=["nope"]), **signed_in(404)),
    ],
    # Publishing needs a saved write-up of one's own: the other user has none.
    "writeups:publish": [
        Access(
            lambda s: conf(s, "writeups:publish", s.second),
            method="POST",
            data=lambda s: {},
            owner=302,
            other=404,
            anonymous=LOGIN,
        ),
    ],
    "writeups:unpublish": [
        Access(
            lambda s: conf(s, "writeups:unpublish"),
            method="POST",
            data=lambda s: {},
            owner=302,
            other=404,
            anonymous=LOGIN,
        ),
    ],
    "public:writeup": [
        Access(lambda s: conf(s, "public:writeup", username="owner"), **everyone(200)),
        Access(
            lambda s: conf(s, "public:writeup", s.second, username="owner"),
            owner=200,
            other=404,
            anonymous=404,
        ),
        Access(lambda s: conf(s, "public:writeup", username="nobody"), **everyone(404)),
    ],
    "public:writeup_export": [
        Access(lambda s: conf(s, "public:writeup_export", username="owner"), **everyone(200)),
        Access(
            lambda s: conf(s, "public:writeup_export", s.second, username="owner"),
            owner=200,
            other=404,
            anonymous=404,
        ),
    ],
    "public:home": [Access(lambda s: reverse("public:home"), **everyone(200))],
    "public:sitemap": [Access(lambda s: reverse("public:sitemap"), **everyone(200))],
    "public:robots": [Access(lambda s: reverse("public:robots"), **everyone(200))],
    "public:manifest": [Access(lambda s: reverse("public:manifest"), **everyone(200))],
    "public:conference_offline": [
        Access(lambda s: conf(s, "public:conference_offline"), **everyone(200)),
        Access(lambda s: reverse("public:conference_offline", args=["nope"]), **everyone(404)),
    ],
    "public:conference": [
        Access(lambda s: s.conference.get_absolute_url(), **everyone(200)),
        Access(lambda s: reverse("public:conference", args=["nope"]), **everyone(404)),
    ],
    "public:day": [
        Access(lambda s: conf(s, "public:day", date="2025-08-16"), **everyone(200)),
        Access(lambda s: conf(s, "public:day", date="2025-09-01"), **everyone(404)),
    ],
    "public:session": [
        Access(lambda s: s.sessions[1].get_absolute_url(), **everyone(200)),
        Access(lambda s: conf(s, "public:session", session="nope"), **everyone(404)),
        # A session of another conference under this one's address.
        Access(lambda s: conf(s, "public:session", s.second, session="talk-1"), **everyone(404)),
    ],
    "public:speakers": [
        Access(lambda s: conf(s, "public:speakers"), **everyone(200)),
        Access(lambda s: reverse("public:speakers", args=["nope"]), **everyone(404)),
    ],
    "public:speaker": [
        Access(lambda s: s.speaker.get_absolute_url(), **everyone(200)),
        Access(
            lambda s: conf(s, "public:speaker", s.second, speaker=s.speaker.slug),
            **everyone(404),
        ),
    ],
}

# Only when DEBUG was on as config.urls was first imported: the development server's media.
DEVELOPMENT_ONLY = {r"^media/(?P<path>.*)$"}


def all_patterns(patterns=None, prefix="", namespace=""):
    """(route, namespaced name) of every URL pattern, included ones too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield prefix + str(pattern.pattern), full


def key_of(route, name):
    return name or route


def test_every_url_pattern_has_an_access_expectation():
    keys = {key_of(route, name) for route, name in all_patterns() if not route.startswith("admin/")}
    missing = sorted(keys - set(ACCESS) - DEVELOPMENT_ONLY)
    assert missing == [], "add these to ACCESS in tests/site/test_url_access.py"
    stale = sorted(set(ACCESS) - keys)
    assert stale == [], "these are no longer URL patterns"


def test_every_pattern_that_names_something_has_a_case_for_an_unknown_or_private_one():
    """A pattern with an id, slug or token is tried with something the visitor may not see."""
    takes_part = {
        key_of(route, name)
        for route, name in all_patterns()
        if not route.startswith("admin/") and ("<" in route or "(?P" in route)
    } - DEVELOPMENT_ONLY
    unchecked = sorted(
        key
        for key in takes_part
        if not any(404 in (case.owner, case.other, case.anonymous) for case in ACCESS[key])
    )
    assert unchecked == []


@pytest.fixture
def site():
    site = build_site()
    CalendarFeed.objects.create(user=site.owner)
    return site


def persona_client(site, persona):
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(getattr(site, persona))
    return client


def outcome(response):
    if response.status_code == 302 and urlsplit(response["Location"]).path == reverse("login"):
        return LOGIN
    return response.status_code


def request(client, case, site):
    url = case.url(site)
    if case.method == "GET":
        response = client.get(url)
        body_of(response)  # read (and close) a streamed file
        return response
    data = case.data(site)
    if case.json:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def reading_cases():
    return [
        (key, index)
        for key, cases in ACCESS.items()
        for index, case in enumerate(cases)
        if not case.changes_data
    ]


def changing_cases():
    return [
        pytest.param(key, index, id=f"{key}-{index}")
        for key, cases in ACCESS.items()
        for index, case in enumerate(cases)
        if case.changes_data
    ]


def test_reading_addresses_answer_each_persona_as_expected(site):
    """Every GET case of the table on one site (reading changes nothing, so they can share it)."""
    clients = {persona: persona_client(site, persona) for persona in PERSONAS}
    wrong = {}
    for key, index in reading_cases():
        case = ACCESS[key][index]
        for persona in PERSONAS:
            got = outcome(request(clients[persona], case, site))
            if got != getattr(case, persona):
                wrong[f"{key}[{index}] as {persona}"] = (got, getattr(case, persona))
    assert wrong == {}, "(got, expected)"


@pytest.mark.parametrize(("key", "index"), changing_cases())
def test_changing_addresses_answer_each_persona_as_expected_and_refuse_get(site, key, index):
    case = ACCESS[key][index]
    got = {}
    for persona in PERSONAS:
        client = persona_client(site, persona)
        got[persona] = outcome(request(client, case, site))
    assert got == {persona: getattr(case, persona) for persona in PERSONAS}
    if case.post_only:
        owner = persona_client(site, "owner")
        assert owner.get(case.url(site)).status_code == 405


# --- the admin: staff only ---


def admin_example(route: str) -> str:
    """An address that matches an admin route: ids are 1, alternatives their first choice."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", lambda m: m[1] or "nothing-here", path)
    path = path.replace(".*", "nothing-here/").replace("^", "").replace("$", "")
    return "/" + path


def admin_routes():
    return sorted({route for route, _name in all_patterns() if route.startswith("admin/")})


def test_every_admin_address_sends_non_staff_to_the_admin_sign_in(site):
    wrong = {}
    for persona in ("anonymous", "other", "owner"):
        client = persona_client(site, persona)
        for route in admin_routes():
            url = admin_example(route)
            response = client.get(url)
            if url == reverse("admin:login"):
                ok = response.status_code == 200
            else:
                # Signing out is no business of someone not signed in to the admin: to its index,
                # which sends them on to the sign-in page like every other address.
                target = "admin:index" if url == reverse("admin:logout") else "admin:login"
                ok = response.status_code == 302 and urlsplit(response["Location"]).path == (
                    reverse(target)
                )
            if not ok:
                wrong[f"{url} as {persona}"] = response.status_code
    assert wrong == {}
    assert len(admin_routes()) > 50  # the walk found the admin's patterns


def test_staff_open_the_admin_pages_of_the_owners_private_note(site):
    staff = persona_client(site, "staff")
    note = private_note(site)
    for name in ("admin:index", "admin:notes_note_changelist"):
        assert staff.get(reverse(name)).status_code == 200, name
    assert staff.get(reverse("admin:notes_note_change", args=[note.pk])).status_code == 200
