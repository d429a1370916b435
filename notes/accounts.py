"""Sign-in details that django-axes asks hugi for."""

import ipaddress

from django.conf import settings


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
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [entry.strip() for entry in forwarded if entry.strip()]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")
