"""Reading a schedule from a file or an http(s) URL, within a size limit."""

import contextlib
import http.client
import socket
import string
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError, short
from sessions.importers.network import (
    PinnedHTTPConnection,
    PinnedHTTPSConnection,
    checked_addresses,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20  # for the whole download, redirects included (see _watch)
MOST_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024
HEADERS = {"User-Agent": "hugi schedule import", "Accept-Encoding": "identity"}
URL_SAFE = string.punctuation  # what is already escaped, or reserved, stays as it is
VALIDATOR_LENGTH = 100  # the longest ETag or Last-Modified kept (ScheduleSource stores them)


def max_bytes() -> int:
    return getattr(settings, "SCHEDULE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class Source:
    name: str  # what messages call it: the file name or the URL
    data: bytes
    # From a download: the answer's status (304 when a conditional GET found nothing new, and
    # data is empty) and its validators, to send back next time.
    status: int = HTTPStatus.OK
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == HTTPStatus.NOT_MODIFIED


def read_source(source: str) -> Source:
    """SOURCE as the command takes it: an http(s) URL or a path to a file."""
    if "://" in source:
        return fetch_url(source)
    return read_file(Path(source))


def too_big(name: str) -> ScheduleError:
    return ScheduleError(
        _("%(name)s: larger than the limit of %(limit)s")
        % {"name": name, "limit": filesizeformat(max_bytes())}
    )


def checked_source(name: str, data: bytes) -> Source:
    """The bytes as a Source, once they are known to be within the limit and not empty."""
    if len(data) > max_bytes():
        raise too_big(name)
    if not data.strip():
        raise ScheduleError(_("%(name)s: the file is empty") % {"name": name})
    return Source(name=name, data=data)


def read_file(path: Path) -> Source:
    name = path.name
    try:
        if path.stat().st_size > max_bytes():
            raise too_big(name)
        with path.open("rb") as file:
            data = file.read(max_bytes() + 1)
    except FileNotFoundError:
        raise ScheduleError(_("%(name)s: no such file") % {"name": path}) from None
    except IsADirectoryError:
        raise ScheduleError(_("%(name)s: is a directory, not a file") % {"name": path}) from None
    except OSError as exc:
        raise ScheduleError(
            _("%(name)s: cannot be read (%(problem)s)") % {"name": path, "problem": exc.strerror}
        ) from None
    return checked_source(name, data)


def fetch_url(url: str, *, etag: str = "", last_modified: str = "") -> Source:
    """The schedule at an http(s) address: only from addresses network.py allows, redirects
    followed here (each new address checked again), within the size limit and a deadline.
    Errors say what went wrong, never what a server answered (that could be anything on the
    network it can reach).

    etag and last_modified, from an earlier download, make it a conditional GET
    (If-None-Match, If-Modified-Since): a 304 answer is a Source with no data and
    not_modified true."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    current, where = url, url
    conditional = _conditional_headers(etag, last_modified)
    for _hop in range(MOST_REDIRECTS + 1):
        connection, response = _request(current, where, deadline, conditional)
        try:
            location = response.getheader("Location") if response.status in REDIRECTS else None
            if location:
                current = _redirect_target(current, location, url)
                where = _("%(url)s (redirected to %(target)s)") % {
                    "url": url,
                    "target": short(current, 100),
                }
                continue
            validators = {
                "etag": _validator(response, "ETag"),
                "last_modified": _validator(response, "Last-Modified"),
            }
            if response.status == HTTPStatus.NOT_MODIFIED and conditional:
                return Source(name=url, data=b"", status=response.status, **validators)
            if response.status != HTTPStatus.OK:
                raise ScheduleError(
                    _("%(url)s: the server answered %(status)s")
                    % {"url": where, "status": _status(response.status)}
                )
            source = checked_source(url, _read_body(response, where, deadline))
            source.etag, source.last_modified = validators["etag"], validators["last_modified"]
            return source
        finally:
            response.close()  # it holds the socket when the server closes the connection
            connection.close()
            connection.watchdog.cancel()
    raise ScheduleError(
        _("%(url)s: more than %(count)d redirects") % {"url": url, "count": MOST_REDIRECTS}
    )


def _conditional_headers(etag: str, last_modified: str) -> dict:
    headers = {}
    # Sent back as the server gave them, if they can be sent at all.
    if etag and _sendable(etag):
        headers["If-None-Match"] = etag
    if last_modified and _sendable(last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def _sendable(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _validator(response, name: str) -> str:
    """A validator the answer gave, kept to send back; "" when it is unusable (too long to
    store, or not one printable ASCII line)."""
    value = (response.getheader(name) or "").strip()
    return value if len(value) <= VALIDATOR_LENGTH and _sendable(value) else ""


def _request(url: str, where: str, deadline: float, extra_headers: dict | None = None):
    """Send the GET to a checked address of url's host; the connection and its answer."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):  # a port out of range, a broken IPv6 or IDN host
        raise ScheduleError(_("%(url)s: not a valid address") % {"url": where}) from None
    if parts.scheme not in ("http", "https") or not host:
        raise ScheduleError(
            _("%(url)s: only http:// and https:// addresses can be imported") % {"url": where}
        )
    addresses = checked_addresses(host, port, where)
    pinned = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    timeout = min(TIMEOUT_SECONDS, max(deadline - time.monotonic(), 0.1))
    connection = pinned(host, port, addresses=addresses, timeout=timeout)
    connection.watchdog = _watch(connection, deadline)
    # Non-ASCII and spaces percent-encoded: a request line is ASCII without spaces.
    target = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=URL_SAFE)
    try:
        connection.request("GET", target, headers={**HEADERS, **(extra_headers or {})})
        return connection, connection.getresponse()
    except (http.client.HTTPException, OSError) as exc:
        connection.close()
        connection.watchdog.cancel()
        raise _download_error(where, exc, deadline) from None


def _watch(connection, deadline: float) -> threading.Timer:
    """A timer that shuts the connection's socket when the download's time is up: a socket
    timeout bounds each wait, not their sum, and a server can send one byte at a time."""

    def shut():
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline - time.monotonic(), 0), shut)
    timer.daemon = True
    timer.start()
    return timer


def _redirect_target(current: str, location: str, url: str) -> str:
    try:
        target = urljoin(current, location.strip())
        scheme = urlsplit(target).scheme
    except ValueError:
        raise ScheduleError(
            _("%(url)s: redirected to an address that is not valid") % {"url": url}
        ) from None
    if scheme not in ("http", "https"):
        raise ScheduleError(
            _("%(url)s: redirected to %(target)s, which is not http(s)")
            % {"url": url, "target": short(target, 100)}
        )
    return target


def _read_body(response, where: str, deadline: float) -> bytes:
    """The answer's body, cut off one byte over the limit (whatever Content-Length says)."""
    length = response.getheader("Content-Length") or ""
    if length.isascii() and length.isdigit() and (len(length) > 18 or int(length) > max_bytes()):
        raise too_big(where)
    chunks, size = [], 0
    while size <= max_bytes():
        try:
            chunk = response.read1(CHUNK_BYTES)
        except (http.client.HTTPException, OSError) as exc:
            raise _download_error(where, exc, deadline) from None
        if time.monotonic() >= deadline:  # the watchdog shut the socket, or is about to
            raise _too_slow(where)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_slow(where: str) -> ScheduleError:
    return ScheduleError(
        _("%(url)s: the download took longer than %(seconds)d seconds")
        % {"url": where, "seconds": TIMEOUT_SECONDS}
    )


def _download_error(where: str, exc: Exception, deadline: float) -> ScheduleError:
    if time.monotonic() >= deadline:
        return _too_slow(where)
    if isinstance(exc, http.client.HTTPException):
        # Its text may quote what the server sent (a banner of some other service).
        problem = _("the answer is not HTTP")
    else:
        problem = exc.strerror or str(exc) or type(exc).__name__
    return ScheduleError(
        _("%(url)s: cannot be downloaded (%(problem)s)") % {"url": where, "problem": problem}
    )


def _status(code: int) -> str:
    """The code and its standard phrase (not the server's, which could say anything)."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)
