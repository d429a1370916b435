"""Reading a schedule from a file or an http(s) URL, within a size limit."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ScheduleError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20


def max_bytes() -> int:
    return getattr(settings, "SCHEDULE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class Source:
    name: str  # what messages call it: the file name or the URL
    data: bytes


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


def check_size(name: str, data: bytes) -> Source:
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
    return check_size(name, data)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) (urllib would follow one to ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            fp.close()
            raise ScheduleError(
                _("%(url)s: redirected to %(target)s, which is not http(s)")
                % {"url": req.full_url, "target": newurl}
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str) -> Source:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ScheduleError(
            _("%(url)s: only http:// and https:// addresses can be imported") % {"url": url}
        )
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "hugi schedule import"})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes():
                raise too_big(url)
            data = response.read(max_bytes() + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise ScheduleError(
            _("%(url)s: the server answered %(status)s %(reason)s")
            % {"url": url, "status": exc.code, "reason": exc.reason}
        ) from None
    except urllib.error.URLError as exc:
        raise ScheduleError(
            _("%(url)s: cannot be downloaded (%(problem)s)") % {"url": url, "problem": exc.reason}
        ) from None
    except (TimeoutError, OSError) as exc:
        raise ScheduleError(
            _("%(url)s: cannot be downloaded (%(problem)s)") % {"url": url, "problem": exc}
        ) from None
    return check_size(url, data)
