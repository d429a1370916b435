"""Where a schedule download may connect, and connections that go exactly there.

An address typed in the admin is a request the server makes: pointed at 127.0.0.1, at the
cloud's metadata service or at a database port, it would read what is not meant to be read, or
probe ports by how it fails. So the host is resolved once, every address it has is checked with
address_problem(), and the connection goes to a checked address, while the Host header and the
TLS certificate check keep the name: a DNS answer that changes between the check and the
connection (rebinding) cannot swap the address.
"""

import http.client
import ipaddress
import socket
import ssl

from django.conf import settings
from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError


def address_problem(address: str, *, allow_private: bool = False) -> str | None:
    """Why no schedule is fetched from this IP address, or None when it may be.

    Loopback and private network addresses are refused unless allow_private (for a pretalx
    next door); the unspecified address (0.0.0.0 reaches this machine), link-local ones (the
    cloud metadata service at 169.254.169.254), multicast and reserved ones always are. An IPv4
    address inside an IPv6 one (::ffff:127.0.0.1, 6to4) is judged as itself."""
    ip = ipaddress.ip_address(address)
    embedded = (ip.ipv4_mapped or ip.sixtofour) if ip.version == 6 else None
    if embedded is not None:
        return address_problem(str(embedded), allow_private=allow_private)
    if ip.is_unspecified:
        return _("the unspecified address")
    if ip.is_multicast:
        return _("a multicast address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_loopback:
        return None if allow_private else _("a loopback address")
    if ip.is_reserved:
        return _("a reserved address")
    if not ip.is_global:
        return None if allow_private else _("a private network address")
    return None


def checked_addresses(host: str, port: int, where: str) -> list[str]:
    """The IP addresses of host, resolved once; refused if any of them may not be fetched from
    (a name with one public and one private address must not reach the private one)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ScheduleError(
            _("%(where)s: the host %(host)s cannot be found") % {"where": where, "host": host}
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))  # (…, (address, port…))
    allow_private = settings.SCHEDULE_IMPORT_ALLOW_PRIVATE
    for address in addresses:
        problem = address_problem(address, allow_private=allow_private)
        if problem:
            raise _refused(where, host, address, problem)
    return addresses


def _refused(where, host, address, problem) -> ScheduleError:
    values = {"where": where, "host": host, "address": address, "problem": problem}
    if host == address:
        message = _(
            "%(where)s: the address %(address)s is %(problem)s; schedules are fetched from "
            "public addresses only"
        )
    else:
        message = _(
            "%(where)s: %(host)s has the address %(address)s, %(problem)s; schedules are "
            "fetched from public addresses only"
        )
    return ScheduleError(message % values)


def _connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """A socket to the first of the checked addresses that answers (no name is resolved)."""
    error = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to one of the checked addresses, with the host name in the Host header."""

    def __init__(self, host, port, *, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        self.sock = _connect(self.addresses, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to one of the checked addresses; SNI and the certificate check use the host name."""

    def __init__(self, host, port, *, addresses, timeout):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self):
        sock = _connect(self.addresses, self.port, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except OSError:
            sock.close()
            raise
