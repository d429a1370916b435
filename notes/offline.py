"""Whose the pages kept for offline use are: an opaque mark per user, for the service worker.

The service worker keeps the editor and /me/ of whoever is signed in. Every HTML answer names
the person it was drawn for in the Hugi-Owner header (their mark, or "anonymous"); the worker
forgets the kept pages as soon as an answer names someone else, however the change came about
(the sign-out button, the admin's sign-in form, cleared cookies, an expired session).

When the cookies are cleared and the device is offline before any answer arrives, the worker
learns nothing. So the mark is also kept in a cookie that scripts can read: a kept page shows
itself only while that cookie still holds its owner's mark (notes/_offline_guard.html).
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

OWNER_HEADER = "Hugi-Owner"
OWNER_COOKIE = "hugi_owner"
ANONYMOUS = "anonymous"


def owner_mark(user) -> str:
    """The same for a user on every device, and says nothing about who they are."""
    return salted_hmac("notes.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:32]


def owner_of(request) -> str | None:
    """The mark of who is signed in, ANONYMOUS, or None when the request never got that far."""
    user = getattr(request, "user", None)
    if user is None:  # answered before authentication (a redirect to https or to a slash)
        return None
    return owner_mark(user) if user.is_authenticated else ANONYMOUS


class OfflineOwnerMiddleware:
    """Names the owner on every HTML answer and keeps the owner cookie in step with the session.

    Listed before SessionMiddleware, so that it sees the session cookie that an answer sets
    and renews the owner cookie with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        owner = owner_of(request)
        if owner is None:
            return response
        response[OWNER_HEADER] = owner
        patch_vary_headers(response, ("Cookie",))
        if owner == ANONYMOUS:
            if OWNER_COOKIE in request.COOKIES:
                response.delete_cookie(
                    OWNER_COOKIE,
                    path=settings.SESSION_COOKIE_PATH,
                    domain=settings.SESSION_COOKIE_DOMAIN,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
        elif (
            request.COOKIES.get(OWNER_COOKIE) != owner
            or settings.SESSION_COOKIE_NAME in response.cookies
        ):
            response.set_cookie(
                OWNER_COOKIE,
                owner,
                max_age=settings.SESSION_COOKIE_AGE,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite=settings.SESSION_COOKIE_SAMESITE,
                httponly=False,  # the guard on kept pages reads it
            )
        return response
