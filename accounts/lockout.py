"""Sign-in details that django-axes asks hugi for."""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def axes_username(request, credentials):
    """The username axes records for a sign-in attempt, cut to what a username can be.

    Django's sign-in form does not enforce the 150-character limit, and axes keeps usernames
    in a 255-character column: PostgreSQL refuses a longer one with an error (a 500).
    """
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "")[:150]


def client_address(request):
    """The address of whoever is signing in, to count their failures by.

    Behind TRUSTED_PROXY_COUNT proxies that each set or append to X-Forwarded-For, the client is
    that many entries from the right: anything further left came from the client itself and can
    be made up. With no proxy, a header shorter than that, or an entry that is not an address
    (a proxy configured differently), it is the connection's address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    connection = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return connection
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    forwarded = [entry.strip() for entry in forwarded if entry.strip()]
    if len(forwarded) < count:
        warn_fewer_proxies_than_trusted(connection, len(forwarded), count)
        return connection
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return connection


def warn_fewer_proxies_than_trusted(connection, entries, count):
    """Say so when a sign-in did not come through the proxies that TRUSTED_PROXY_COUNT expects.

    Such a request reached gunicorn directly, or through fewer proxies: then anyone who can do
    the same can send a made-up X-Forwarded-For and is never locked out. Logged on every such
    sign-in: a correct setup never logs it.
    """
    logger.warning(
        "Sign-in from %s with %d X-Forwarded-For entries, but TRUSTED_PROXY_COUNT=%d: its "
        "failures are counted by the connection's address. If clients can reach the app "
        "server without the proxy, they can choose the address they are counted by; bind it "
        "to 127.0.0.1 or a socket only the proxy reaches, or set TRUSTED_PROXY_COUNT to the "
        "number of proxies that add to X-Forwarded-For (docs/deploy.md).",
        connection,
        entries,
        count,
    )
