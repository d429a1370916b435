"""A fast lane for anonymous visitors of the public pages.

Most requests on a conference day are anonymous visitors reading public pages that are already
kept (page_cache.cached_page), or asking whether their copy is still current. For those the
session, authentication, messages and lockout middleware have nothing to do, and the rest only
add headers. So this middleware, placed right after SecurityMiddleware and WhiteNoise, calls a
public page's view itself for an anonymous visitor, with what the middleware after it would
have set up (the visitor's language, an anonymous user, a CSP nonce, the CSRF cookie), then
gives the answer the response phase of the middleware that add headers (RESPONSE_PHASE): the
same answer as through the whole stack, for less work (tests/core/test_public_fast_lane.py compares
them). A page drawn for the first time is kept on the way out, once every header is on it, so a
kept copy carries them all (its policy's nonce a stand-in) and is answered as it is.

Anyone with a session cookie (signed in, or a message waiting in the session) or a message
cookie, any other method, and any view not marked with @fast_lane go through the whole stack.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import response_for_exception
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.csp import LazyNonce

from core import page_cache

# The middleware after this one whose response phase adds to an anonymous visitor's answer, in
# the order the stack runs them on the way out (settings.MIDDLEWARE backwards).
RESPONSE_PHASE = [
    ContentSecurityPolicyMiddleware,
    XFrameOptionsMiddleware,
    CsrfViewMiddleware,
    CommonMiddleware,
    LocaleMiddleware,
]


def fast_lane(view):
    """Mark a public page view that anonymous visitors may reach through the fast lane: it
    reads nothing but the request's path, query, language and (anonymous) user."""
    view.fast_lane = True
    return view


class FastLaneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.response_phase = [middleware(get_response) for middleware in RESPONSE_PHASE]
        self.csrf = next(m for m in self.response_phase if isinstance(m, CsrfViewMiddleware))

    def __call__(self, request):
        response = self.fast(request) if self.anonymous_reader(request) else None
        if response is None:
            response = self.get_response(request)
        page_cache.keep(request, response)
        return response

    @staticmethod
    def anonymous_reader(request) -> bool:
        """Without a session cookie nobody is signed in and no message waits in the session."""
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    def fast(self, request):
        try:
            match = resolve(request.path_info)
            request.get_host()  # a host not allowed gets the stack's 400
        except (Resolver404, DisallowedHost):
            return None
        if not getattr(match.func, "fast_lane", False):
            return None
        # What LocaleMiddleware, AuthenticationMiddleware, the CSP middleware and
        # CsrfViewMiddleware would have set up.
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()
        self.csrf.process_request(request)
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Exception as exc:  # a 404, a 400 for a malformed request, a 500: as the stack would
            response = response_for_exception(request, exc)
        for middleware in self.response_phase:
            response = middleware.process_response(request, response)
        return response
