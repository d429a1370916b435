"""Anonymous visitors of the public pages take the fast lane (sessions/fast_lane.py): the page's
view is called ahead of the session, authentication, messages and lockout middleware, and the
answer is the same as through the whole stack. And what a visitor can make up — a query string,
a port or a host name — never becomes a copy in the cache."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import UserFactory
from tests.support.public_programme import PROGRAMME_PAGES, build_programme, publish_writeup

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"nonce-[^']+|nonce=\"[^\"]+\"")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# A session cookie for no session: the visitor is anonymous, but goes through the whole stack.
THROUGH_THE_STACK = {"HTTP_COOKIE": "sessionid=no-such-session"}


@pytest.fixture
def conference():
    conference = build_programme(3)
    publish_writeup(conference, UserFactory(username="writer"))
    return conference


def headers_of(response) -> dict:
    """The answer's headers as a visitor reads them, without what differs between two
    visitors' copies (the nonce in the policy, the CSRF cookie)."""
    headers = {name.lower(): NONCE.sub("", value) for name, value in response.headers.items()}
    headers.pop("set-cookie", None)
    return headers


def body_of(response) -> str:
    return CSRF.sub("", NONCE.sub("", response.content.decode()))


def queries_for(path, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, **extra)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize(
    "path", [*PROGRAMME_PAGES, "/search/", "/sitemap.xml", "/pycon-kr/writeups/writer/"]
)
def test_the_fast_lane_answers_as_the_whole_stack_does(conference, path):
    drawn = Client().get(path)  # drawn through the fast lane and kept
    kept = Client().get(path)
    stack = Client().get(path, **THROUGH_THE_STACK)
    assert not hasattr(kept.wsgi_request, "session")  # the session middleware never ran
    assert hasattr(stack.wsgi_request, "session")
    assert drawn.status_code == kept.status_code == stack.status_code == 200
    assert headers_of(kept) == headers_of(stack) == headers_of(drawn)
    assert body_of(kept) == body_of(stack) == body_of(drawn)


def test_a_304_and_a_404_from_the_fast_lane_are_the_stacks(conference):
    path = "/pycon-kr/sessions/talk-0/"
    etag = Client().get(path)["ETag"]
    fast = Client().get(path, HTTP_IF_NONE_MATCH=etag)
    stack = Client().get(path, HTTP_IF_NONE_MATCH=etag, **THROUGH_THE_STACK)
    assert fast.status_code == stack.status_code == 304
    assert "Content-Security-Policy" not in fast
    assert headers_of(fast) == headers_of(stack)
    missing = Client().get("/pycon-kr/sessions/no-such-talk/")
    missing_stack = Client().get("/pycon-kr/sessions/no-such-talk/", **THROUGH_THE_STACK)
    assert missing.status_code == missing_stack.status_code == 404
    assert headers_of(missing) == headers_of(missing_stack)
    assert body_of(missing) == body_of(missing_stack)


def test_a_first_time_visitor_gets_a_csrf_cookie_that_matches_the_kept_pages_token(conference):
    Client().get("/pycon-kr/speakers/")  # kept by someone else's visit
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/pycon-kr/speakers/")
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "ko", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert '<html lang="ko"' in visitor.get("/pycon-kr/speakers/").text


def test_a_host_the_site_does_not_serve_gets_the_stacks_400(conference):
    response = Client().get("/pycon-kr/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_exports_asked_for_with_made_up_query_strings_are_made_once(conference):
    first = Client().get("/pycon-kr/schedule.xml?cb=1")
    assert queries_for("/pycon-kr/schedule.xml?cb=2") == 1  # the conference, then the copy
    assert queries_for("/pycon-kr/schedule.xml") == 1
    assert Client().get("/pycon-kr/schedule.xml?cb=3").content == first.content


def test_search_results_are_drawn_for_each_query_never_kept(conference):
    assert queries_for("/search/?q=Abstract") > 1
    assert queries_for("/search/?q=Abstract") > 1
    assert queries_for("/search/") == 1  # the page without a query is kept


def test_only_the_sitemaps_own_page_addresses_are_kept(conference):
    queries_for("/sitemap.xml?p=1")
    assert queries_for("/sitemap.xml?p=1") == 1
    queries_for("/sitemap.xml?p=01")
    assert queries_for("/sitemap.xml?p=01") > 1


@pytest.mark.parametrize("host", ["testserver:1234", "other.testserver"])
def test_pages_asked_for_under_a_made_up_port_or_host_are_not_kept(conference, settings, host):
    settings.ALLOWED_HOSTS = ["testserver", ".testserver"]
    path = "/pycon-kr/speakers/"
    queries_for(path, HTTP_HOST=host)
    assert queries_for(path, HTTP_HOST=host) > 1
    # and nobody else's copy names that address
    assert host not in Client().get(path).text
    queries_for(path)
    assert queries_for(path) == 1


def test_a_trusted_origin_with_a_port_is_kept(conference, settings):
    settings.ALLOWED_HOSTS = ["hugi.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://hugi.example.org:8443"]
    path = "/pycon-kr/speakers/"
    queries_for(path, HTTP_HOST="hugi.example.org:8443")
    assert queries_for(path, HTTP_HOST="hugi.example.org:8443") == 1


def test_a_returning_visitors_compressed_page_carries_their_cookies_secret_and_it_works(
    conference,
):
    import gzip

    Client().get("/pycon-kr/speakers/")  # kept by someone else's visit
    visitor = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip")
    visitor.get("/pycon-kr/speakers/")  # the first visit sets the cookie
    secret = visitor.cookies["csrftoken"].value
    page = visitor.get("/pycon-kr/speakers/")
    html = gzip.decompress(page.content).decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert token == secret  # in a stored block: never compressed, so nothing to mask
    assert page.cookies["csrftoken"].value == secret  # renewed, as Django does
    switched = visitor.post(
        "/i18n/setlang/", {"language": "ko", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    plain = Client(enforce_csrf_checks=True)
    plain.get("/pycon-kr/speakers/")
    text = plain.get("/pycon-kr/speakers/").text
    masked = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    assert len(masked) == 64  # not compressed by us: masked, as Django does


def test_a_malformed_request_in_the_fast_lane_gets_the_stacks_headers(conference):
    # More parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: a 400 raised inside the view.
    path = "/search/?" + "&".join(f"p{n}=1" for n in range(1100))
    fast = Client().get(path)
    stack = Client().get(path, **THROUGH_THE_STACK)
    assert fast.status_code == stack.status_code == 400
    assert "Content-Security-Policy" in fast and "X-Frame-Options" in fast
    assert headers_of(fast) == headers_of(stack)


def test_every_middleware_after_the_fast_lane_is_known_to_it(settings):
    """The fast lane runs the response phase of the middleware that add headers and skips the
    rest: a middleware added after it must be placed in one list or the other."""
    from core.fast_lane import RESPONSE_PHASE

    adds_nothing_for_anonymous_readers = {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    }
    after = settings.MIDDLEWARE[
        settings.MIDDLEWARE.index("core.fast_lane.FastLaneMiddleware") + 1 :
    ]
    phase = {f"{m.__module__}.{m.__name__}" for m in RESPONSE_PHASE}
    assert set(after) == phase | adds_nothing_for_anonymous_readers
    # in the stack's order on the way out
    assert [m for m in reversed(after) if m in phase] == [
        f"{m.__module__}.{m.__name__}" for m in RESPONSE_PHASE
    ]
