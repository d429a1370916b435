"""Caching for the public pages: conditional GET (ETag and Last-Modified, 304 when nothing
changed), whole pages kept for anonymous visitors, and pieces of pages shared by every visitor.

A public page changes when its conference changes (its stamps, read by sessions/stamp.py:
changed_at for the programme and write-ups, notes_changed_at for public notes and photos, and a
session's own notes_changed_at for that session's page), when
the language changes, when a new release changes the code or templates, and, while a conference
runs, every minute ("happening now"). Pages for signed-in visitors show their stars, so they are
never answered with 304: only anonymous visitors get validators.
"""

import functools
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from core.gzip_pieces import accepts_gzip, compress_sections, gzip_page

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime


def release() -> str:
    """A fingerprint of what draws the pages, so that a new release changes every ETag."""
    if settings.DEBUG:
        return fingerprint()  # a development server keeps running while templates change
    return cached_fingerprint()


@functools.cache
def cached_fingerprint() -> str:
    return fingerprint()


# Besides the installed apps' own folders: code that draws pages but is no app, and what the
# pages are drawn from.
SOURCES_BESIDE_APPS = [
    ("core", "**/*.py"),
    ("public", "**/*.py"),
    ("config", "**/*.py"),
    ("templates", "**/*.html"),
    ("static", "**/*.*"),
    ("locale", "**/*.mo"),
]


def sources() -> list[tuple[Path, str]]:
    """The folders whose files draw the pages, with the files that count: the installed apps
    that are ours (a top-level package under BASE_DIR), and SOURCES_BESIDE_APPS."""
    base = Path(settings.BASE_DIR)
    folders = {(base / folder, pattern) for folder, pattern in SOURCES_BESIDE_APPS}
    for app in django_apps.get_app_configs():
        package = base / app.name.partition(".")[0]
        if Path(app.path).is_relative_to(package):
            folders.add((package, "**/*.py"))
    return sorted(folders)


def fingerprint() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in sources():
        for path in sorted(folder.glob(pattern)):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def validators_for(request, changed_at: datetime, *, live_at: datetime | None = None, extra=()):
    """Validators for an anonymous visitor's page, or None for a signed-in one.

    live_at: the current time, for pages that show what is on now; the page then changes
    every minute. extra: more that the page depends on, such as which rows it lists (a
    deleted row changes no timestamp).
    """
    if request.user.is_authenticated:
        return None
    parts = [request.path, get_language() or "", *extra]
    return weak_validators(changed_at, parts, live_at=live_at)


def weak_validators(
    changed_at: datetime, parts, *, live_at: datetime | None = None, release_mark: str = ""
):
    """Validators for what changed_at and parts (and the release) name.

    Weak: two copies may differ in bytes, not in meaning (a page's nonce and CSRF token, and
    whether it went out gzip-compressed). release_mark: release(), when the caller makes many
    (in development release() reads every source file each time).
    """
    last_modified = changed_at.replace(microsecond=0)
    named = [release_mark or release(), *parts, changed_at.isoformat()]
    if live_at is not None:
        minute = live_at.replace(second=0, microsecond=0)
        last_modified = max(last_modified, minute)
        named.append(minute.isoformat())
    etag = 'W/"' + hashlib.sha256(repr(named).encode()).hexdigest()[:24] + '"'
    return Validators(etag=etag, last_modified=last_modified)


def conditional_response(request, validators: Validators):
    """A bodiless 304 (or 412) when the caller's copy is current, else None."""
    return get_conditional_response(
        request, etag=validators.etag, last_modified=int(validators.last_modified.timestamp())
    )


def put_validators(response, validators: Validators) -> None:
    response.headers["ETag"] = validators.etag
    response.headers["Last-Modified"] = http_date(validators.last_modified.timestamp())


def not_modified(request, validators: Validators | None):
    """A 304 response when the visitor's copy is current, else None."""
    if validators is None:
        return None
    response = conditional_response(request, validators)
    if response is not None:
        add_validators(response, validators)
        # A 304 must not carry a Content-Security-Policy: the browser would merge it into the
        # cached page, whose inline <style> and <script> carry the nonce of the first response.
        response._csp_config = {}
    return response


def add_validators(response, validators: Validators | None):
    """Headers every public page sends: validators for anonymous visitors, Vary, Cache-Control.
    A 304 sends the same as the page would (RFC 9110 15.4.5)."""
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    if validators is None:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_vary_headers(response, ("Accept-Encoding",))  # kept pages go out gzipped
        put_validators(response, validators)
        # Cache, but ask every time: the answer is usually a cheap 304.
        patch_cache_control(response, no_cache=True)
    return response


# A key changes whenever its content does, so this only bounds how long unused copies stay.
FRAGMENT_SECONDS = 24 * 3600


def shared_fragment(parts, make):
    """make()'s result, made once for every visitor who would get the same one.

    parts must name everything the result depends on besides the release and the language
    (for example the conference's pk and changed_at); the result must pickle.
    """
    raw = repr([release(), get_language(), *parts])
    key = "hugi:fragment:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache_get(key)
    if value is None:
        value = make()
        cache_set(key, value, FRAGMENT_SECONDS)
    return value


# --- whole pages for anonymous visitors ----------------------------------------------------

PAGE_SECONDS = 24 * 3600
# What differs between two visitors' copies of the same page: the CSP nonce and the CSRF token
# (of the language switch). Stored pages hold these stand-ins; each visitor gets their own.
NONCE_SLOT = b"hugi-nonce-slot"
CSRF_SLOT = b"hugi-csrf-slot"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
SLOTS = re.compile(b"(" + NONCE_SLOT + b"|" + CSRF_SLOT + b")")


def cached_page(request, validators: Validators | None, render, *, canonical_query=False):
    """The page for an anonymous visitor: 304 when their copy is current, else the kept copy,
    else render(), marked for fast_lane.FastLaneMiddleware to keep once every header is on it.

    The key is the page's ETag, which already names everything the page depends on (the
    change stamps, the language, the release, the minute on live pages), plus the address as
    asked for. Signed-in visitors (their stars) and anyone with a message waiting get render()
    every time, and their pages are never kept. Pages asked for with a query string are drawn,
    not kept, unless the view says the query string is one of the page's own addresses
    (canonical_query: the sitemap's ?p=2), so made-up query strings cannot fill the cache; nor
    are pages asked for under a host name that is not one of the site's (see kept_host).
    """
    if response := not_modified(request, validators):
        return response
    if (
        validators is None
        or len(get_messages(request))
        or (request.META.get("QUERY_STRING") and not canonical_query)
        or not kept_host(request)
    ):
        return add_validators(render(), validators)
    key = page_key(request, validators)
    stored = cache_get(key)
    if stored is not None:
        return thaw(request, stored)
    response = render()
    response.kept_page_key = key
    return add_validators(response, validators)


def page_key(request, validators: Validators) -> str:
    raw = repr([validators.etag, request.build_absolute_uri()])
    return "hugi:page:" + hashlib.sha256(raw.encode()).hexdigest()


def kept_host(request) -> bool:
    """Whether the page was asked for under one of the site's own host names, so that it may be
    kept: ALLOWED_HOSTS' exact names (without a port, or with the port the server listens on)
    and the hosts of CSRF_TRUSTED_ORIGINS. The address goes into the kept page (its links for
    sharing), and a port or a subdomain is the visitor's to make up."""
    host = request.get_host().lower()
    if host in trusted_origin_hosts(tuple(settings.CSRF_TRUSTED_ORIGINS)):
        return True
    domain, port = split_domain_port(host)
    exact = {name.lower() for name in settings.ALLOWED_HOSTS}
    return domain in exact and port in ("", request.META.get("SERVER_PORT"))


@functools.cache
def trusted_origin_hosts(origins: tuple) -> frozenset:
    return frozenset(urlsplit(origin).netloc.lower() for origin in origins)


def keep(request, response) -> None:
    """Keep a page that cached_page marked, with the headers the middleware put on it
    (FastLaneMiddleware calls this on the way out)."""
    key = getattr(response, "kept_page_key", None)
    if key is None or response.status_code != 200 or response.streaming:
        return
    frozen = freeze(request, response)
    if frozen is not None:
        cache_set(key, frozen, PAGE_SECONDS)
        if accepts_gzip(request):
            # The visitor who drew it gets it compressed too, as everyone after them: without a
            # compressing proxy in front (the default setup) it would go out whole.
            compressed = thaw(request, frozen)
            response.content = compressed.content
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Content-Length"] = str(len(response.content))


def cache_get(key):
    """The cached value, or None also when the cache is unreachable: pages are then drawn."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("The cache could not be read")
        return None


def cache_set(key, value, seconds) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("The cache could not be written")


# Headers that differ between two copies of a page, set again for each visitor's copy.
PER_COPY_HEADERS = {"content-length", "content-encoding", "set-cookie"}
CSP_HEADER = "Content-Security-Policy"


def freeze(request, response) -> tuple | None:
    """The page as kept: its pieces between the stand-ins for the nonce and the CSRF token,
    the text between them also gzip-compressed (gzip_pieces.py), and its headers with the
    nonce in the Content-Security-Policy a stand-in too.
    None (not kept) when the page itself holds a stand-in's text, say in a search query."""
    content = response.content
    if SLOTS.search(content):
        return None
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in PER_COPY_HEADERS
    }
    nonce = get_nonce(request)
    if nonce:  # only when the page or its policy used it
        content = content.replace(str(nonce).encode(), NONCE_SLOT)
        if CSP_HEADER in headers:
            headers[CSP_HEADER] = headers[CSP_HEADER].replace(str(nonce), NONCE_SLOT.decode())
    content = CSRF_INPUT.sub(rb"\1" + CSRF_SLOT + rb"\2", content)
    pieces = SLOTS.split(content)  # split() on a group: text, slot, text, slot, …, text
    return pieces, compress_sections(pieces[::2]), headers


def thaw(request, stored: tuple) -> HttpResponse:
    """A kept page with this visitor's own nonce and CSRF token put in (one pass, no search),
    gzip-compressed when the visitor's browser takes that."""
    pieces, sections, headers = stored
    nonce = str(get_nonce(request))
    values = {NONCE_SLOT: nonce.encode()}
    gzipped = accepts_gzip(request)
    if CSRF_SLOT in pieces[1::2]:
        values[CSRF_SLOT] = csrf_form_value(request, gzipped).encode()
    if CSP_HEADER in headers:
        headers = {**headers, CSP_HEADER: headers[CSP_HEADER].replace(NONCE_SLOT.decode(), nonce)}
    if gzipped:
        body = gzip_page(pieces, sections, values)
        headers = {**headers, "Content-Encoding": "gzip"}
    else:
        body = b"".join(values[piece] if i % 2 else piece for i, piece in enumerate(pieces))
    return HttpResponse(body, headers={**headers, "Content-Length": str(len(body))})


def csrf_form_value(request, gzipped: bool) -> str:
    """The CSRF value for the page's form. Django masks the token so that compression cannot
    leak it (BREACH); in a gzip-compressed kept page it goes in uncompressed (a stored block),
    so a returning visitor gets the secret of their own cookie as it is, which Django's check
    accepts, without the cost of masking it. Everyone else gets get_token()'s."""
    secret = request.META.get("CSRF_COOKIE")
    if not gzipped or secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token(): the cookie is renewed
    return secret
