"""Downloading a schedule from a URL (the admin's "or its address", `import_schedule URL`):
never from this machine or its private network unless SCHEDULE_IMPORT_ALLOW_PRIVATE says so,
checked again on every redirect, connected to the address that was checked, and no error ever
repeats what a server answered. Every server here is a real one on 127.0.0.1; no test sends
anything to another address."""

import io
import shutil
import socket
import socketserver
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sessions.importers import ScheduleError, parse_schedule, plan_import, read_source
from sessions.importers.network import address_problem
from sessions.models import Conference, Session
from tests.support.factories import UserFactory
from tests.support.paths import SCHEDULES
from tests.support.schedule_server import running_server, running_tcp_server

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES
DEBCONF = FIXTURES / "debconf23.xml"
DEMOCON = FIXTURES / "pretalx-democon.json"
SECRET = b"TOP SECRET: the database password is hunter2"
PUBLIC_ONLY = "schedules are fetched from public addresses only"
NEW_URL = "/admin/program/conference/import/"


@pytest.fixture
def server():
    with running_server() as httpd:
        httpd.routes["/secret.txt"] = (200, {}, SECRET)
        yield httpd


@pytest.fixture
def private_allowed(settings):
    """As for a pretalx running next door."""
    settings.SCHEDULE_IMPORT_ALLOW_PRIVATE = True


def download_error(url) -> str:
    with pytest.raises(ScheduleError) as error:
        read_source(url)
    return str(error.value)


# --- which addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "by_default", "when_private_allowed"),
    [
        ("127.0.0.1", "a loopback address", None),
        ("127.8.9.10", "a loopback address", None),
        ("::1", "a loopback address", None),
        ("::ffff:127.0.0.1", "a loopback address", None),  # IPv4-mapped IPv6
        ("2002:7f00:1::", "a loopback address", None),  # 6to4 of 127.0.0.1
        ("10.1.2.3", "a private network address", None),
        ("172.16.0.1", "a private network address", None),
        ("192.168.1.1", "a private network address", None),
        ("100.64.0.1", "a private network address", None),  # carrier-grade NAT
        ("fc00::1", "a private network address", None),
        ("::ffff:10.0.0.1", "a private network address", None),
        ("169.254.169.254", "a link-local address", "a link-local address"),  # cloud metadata
        ("fe80::1", "a link-local address", "a link-local address"),
        ("::ffff:169.254.169.254", "a link-local address", "a link-local address"),
        ("0.0.0.0", "the unspecified address", "the unspecified address"),
        ("::", "the unspecified address", "the unspecified address"),
        ("224.0.0.1", "a multicast address", "a multicast address"),
        ("ff02::1", "a multicast address", "a multicast address"),
        ("240.0.0.1", "a reserved address", "a reserved address"),
        ("255.255.255.255", "a reserved address", "a reserved address"),
        ("93.184.216.34", None, None),
        ("2606:2800:220:1:248:1893:25c8:1946", None, None),
    ],
)
def test_address_policy(address, by_default, when_private_allowed):
    assert address_problem(address) == by_default
    assert address_problem(address, allow_private=True) == when_private_allowed


# --- refused by default -----------------------------------------------------------------------


def test_loopback_address_is_refused_before_any_request(server):
    message = download_error(server.url + "/secret.txt")

    assert message == (
        f"{server.url}/secret.txt: the address 127.0.0.1 is a loopback address; {PUBLIC_ONLY}"
    )
    assert server.requests == []  # not even connected to: no status code, no port probe


def test_a_name_is_refused_by_the_address_it_resolves_to(server):
    message = download_error(f"http://localhost:{server.port}/secret.txt")

    assert message == (
        f"http://localhost:{server.port}/secret.txt: localhost has the address 127.0.0.1, "
        f"a loopback address; {PUBLIC_ONLY}"
    )
    assert server.requests == []


def test_ipv4_mapped_loopback_is_refused(server):
    message = download_error(f"http://[::ffff:127.0.0.1]:{server.port}/secret.txt")

    assert message.endswith(f"the address ::ffff:127.0.0.1 is a loopback address; {PUBLIC_ONLY}")
    assert server.requests == []


def test_admin_url_import_of_a_local_address_is_a_400_without_its_bytes(server):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.post(NEW_URL, {"url": server.url + "/secret.txt"})

    assert page.status_code == 400
    assert (
        f"{server.url}/secret.txt: the address 127.0.0.1 is a loopback address; {PUBLIC_ONLY}"
        in page.text
    )
    assert "SECRET" not in page.text
    assert server.requests == []


def test_command_refuses_a_local_address(server):
    with pytest.raises(CommandError) as error:
        call_command("import_schedule", server.url + "/secret.txt", stdout=io.StringIO())

    assert str(error.value) == (
        f"{server.url}/secret.txt: the address 127.0.0.1 is a loopback address; {PUBLIC_ONLY}"
    )
    assert server.requests == []


# --- allowed with SCHEDULE_IMPORT_ALLOW_PRIVATE ---------------------------------------------


def test_private_allowed_imports_a_real_schedule(server, private_allowed):
    server.routes["/debconf23/schedule.xml"] = (200, {}, DEBCONF.read_bytes())

    source = read_source(server.url + "/debconf23/schedule.xml")
    plan_import(parse_schedule(source.data, source.name)).apply()

    assert source.name == server.url + "/debconf23/schedule.xml"
    assert Conference.objects.get().slug == "debconf23"
    assert Session.objects.count() == 117
    assert server.requests == [("/debconf23/schedule.xml", f"127.0.0.1:{server.port}")]


def test_private_allowed_in_the_admin_and_the_command(server, private_allowed):
    server.routes["/schedule.json"] = (200, {}, DEMOCON.read_bytes())
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    preview = client.post(NEW_URL, {"url": server.url + "/schedule.json"})
    out = io.StringIO()
    call_command("import_schedule", server.url + "/schedule.json", "--dry-run", stdout=out)

    assert preview.status_code == 200
    assert "A new conference “DemoCon” (democon) will be created." in preview.text
    assert out.getvalue().splitlines()[0] == (
        f"{server.url}/schedule.json: C3VOC JSON, 3 days, 2 rooms, 27 speakers, 36 sessions."
    )
    assert Conference.objects.count() == 0


def test_an_address_too_long_to_confirm_is_refused_at_preview(server, private_allowed):
    server.routes["/schedule.json?" + "x" * 500] = (200, {}, DEMOCON.read_bytes())
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"{server.url}/schedule.json?{'x' * 500}"

    page = client.post(NEW_URL, {"url": url})

    assert page.status_code == 400
    assert f"Ensure this value has at most 500 characters (it has {len(url)})." in page.text
    assert server.requests == []


@pytest.fixture
def dns(monkeypatch):
    """Host names of the tests' own, each answered with 127.0.0.1 once and never again: a
    second lookup, as a DNS rebinding would need, fails."""
    names = SimpleNamespace(local=set(), lookups=[])
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in names.local:
            return real_getaddrinfo(host, *args, **kwargs)
        names.lookups.append(host)
        if names.lookups.count(host) > 1:
            raise socket.gaierror(socket.EAI_NONAME, "rebound")
        return real_getaddrinfo("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def test_connection_goes_to_the_checked_address_with_the_name_as_host(server, private_allowed, dns):
    dns.local.add("schedule.test")
    server.routes["/schedule.json"] = (200, {}, DEMOCON.read_bytes())

    source = read_source(f"http://schedule.test:{server.port}/schedule.json")

    assert source.data == DEMOCON.read_bytes()
    assert dns.lookups == ["schedule.test"]  # resolved once, for the check and the connection
    assert server.requests == [("/schedule.json", f"schedule.test:{server.port}")]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_https_checks_the_certificate_against_the_name(tmp_path, private_allowed, dns, monkeypatch):
    """Connected to the checked address, but TLS (SNI and the certificate check) is for the
    name: a certificate for schedule.test is good for it and for no other name."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=schedule.test", "-addext", "subjectAltName=DNS:schedule.test",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # the client trusts only this one
    dns.local.update({"schedule.test", "other.test"})

    with running_server(tls=(certificate, key)) as server:
        server.routes["/schedule.json"] = (200, {}, DEMOCON.read_bytes())
        good = read_source(f"https://schedule.test:{server.port}/schedule.json")
        wrong_name = download_error(f"https://other.test:{server.port}/schedule.json")

    assert good.data == DEMOCON.read_bytes()
    assert server.requests == [("/schedule.json", f"schedule.test:{server.port}")]
    assert wrong_name.startswith(
        f"https://other.test:{server.port}/schedule.json: cannot be downloaded ("
    )
    assert "Hostname mismatch, certificate is not valid for 'other.test'" in wrong_name


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("http://169.254.169.254/latest/meta-data/", "the address 169.254.169.254 is a link-local address"),
        ("http://0.0.0.0:{port}/secret.txt", "the address 0.0.0.0 is the unspecified address"),
        ("http://[::ffff:169.254.169.254]/", "the address ::ffff:169.254.169.254 is a link-local address"),
    ],
)  # fmt: skip
def test_every_redirect_is_checked_again(server, private_allowed, target, refusal):
    target = target.format(port=server.port)
    server.routes["/schedule.json"] = (302, {"Location": target}, b"")

    message = download_error(server.url + "/schedule.json")

    assert message == (
        f"{server.url}/schedule.json (redirected to {target}): {refusal}; {PUBLIC_ONLY}"
    )
    assert server.requests == [("/schedule.json", f"127.0.0.1:{server.port}")]


def test_a_redirect_is_checked_under_the_policy_of_its_own_hop(server, settings):
    """Allowed for the first hop; the server then turns the setting off and redirects to itself:
    the second hop is refused, so the address is checked at each hop, not once."""
    settings.SCHEDULE_IMPORT_ALLOW_PRIVATE = True

    def redirect_and_close_the_door(handler):
        settings.SCHEDULE_IMPORT_ALLOW_PRIVATE = False
        return 302, {"Location": "/secret.txt"}, b""

    server.routes["/schedule.json"] = redirect_and_close_the_door

    message = download_error(server.url + "/schedule.json")

    assert message == (
        f"{server.url}/schedule.json (redirected to {server.url}/secret.txt): the address "
        f"127.0.0.1 is a loopback address; {PUBLIC_ONLY}"
    )
    assert [path for path, _host in server.requests] == ["/schedule.json"]


def test_redirects_are_followed_a_few_times(server, private_allowed):
    server.routes["/old"] = (301, {"Location": "/new"}, b"")
    server.routes["/new"] = (307, {"Location": server.url + "/schedule.json"}, b"")
    server.routes["/schedule.json"] = (200, {}, DEMOCON.read_bytes())
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")

    assert read_source(server.url + "/old").data == DEMOCON.read_bytes()
    assert download_error(server.url + "/loop") == f"{server.url}/loop: more than 5 redirects"
    assert [path for path, _host in server.requests].count("/loop") == 6


def test_redirect_to_another_scheme_is_refused(server, private_allowed):
    server.routes["/redirect"] = (302, {"Location": "ftp://example.org/schedule.xml"}, b"")

    assert download_error(server.url + "/redirect") == (
        f"{server.url}/redirect: redirected to ftp://example.org/schedule.xml, which is not http(s)"
    )


# --- what a server answered is never repeated -------------------------------------------------


def test_content_that_is_not_a_schedule_is_not_echoed(server, private_allowed):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.post(NEW_URL, {"url": server.url + "/secret.txt"})

    assert page.status_code == 400
    assert f"{server.url}/secret.txt: not a schedule: neither frab XML nor C3VOC JSON" in page.text
    assert "SECRET" not in page.text


def test_status_is_named_with_its_standard_phrase_only(server, private_allowed):
    class Lying(socketserver.StreamRequestHandler):
        def handle(self):
            self.rfile.readline()
            self.wfile.write(b"HTTP/1.0 403 TOP SECRET reason\r\nContent-Length: 0\r\n\r\n")

    with running_tcp_server(Lying) as port:
        message = download_error(f"http://127.0.0.1:{port}/schedule.json")

    assert message == f"http://127.0.0.1:{port}/schedule.json: the server answered 403 Forbidden"
    server.routes["/teapot"] = (499, {}, SECRET)
    assert download_error(server.url + "/teapot") == (
        f"{server.url}/teapot: the server answered 499"
    )


def test_a_service_that_is_not_http_is_not_quoted(private_allowed):
    class Banner(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"SSH-2.0-OpenSSH_9.2 TOP SECRET banner\r\n")

    with running_tcp_server(Banner) as port:
        message = download_error(f"http://127.0.0.1:{port}/")

    assert message == f"http://127.0.0.1:{port}/: cannot be downloaded (the answer is not HTTP)"


def test_size_limit_holds_whatever_the_server_says(server, private_allowed, settings):
    settings.SCHEDULE_IMPORT_MAX_BYTES = 1000
    server.routes["/big.json"] = (200, {"Content-Length": "5000"}, b"{" + b" " * 4998 + b"}")
    server.routes["/liar.json"] = (200, {}, b"{" + b" " * 4998 + b"}")

    assert download_error(server.url + "/big.json") == (
        f"{server.url}/big.json: larger than the limit of 1000\xa0bytes"
    )
    # A server that omits (or lies about) the length is cut off at the limit all the same.
    assert download_error(server.url + "/liar.json") == (
        f"{server.url}/liar.json: larger than the limit of 1000\xa0bytes"
    )


def test_missing_page_and_bad_addresses(server, private_allowed):
    assert download_error(server.url + "/missing.json") == (
        f"{server.url}/missing.json: the server answered 404 Not Found"
    )
    assert download_error("ftp://example.org/schedule.xml") == (
        "ftp://example.org/schedule.xml: only http:// and https:// addresses can be imported"
    )
    assert download_error("http://127.0.0.1:99999/x.json") == (
        "http://127.0.0.1:99999/x.json: not a valid address"
    )


def test_a_server_that_sends_its_headers_a_byte_at_a_time_is_cut_off_at_the_deadline(
    private_allowed, monkeypatch
):
    """A socket timeout bounds each wait, not their sum: the deadline holds for the whole
    download, headers included."""
    import time

    from sessions.importers import sources

    monkeypatch.setattr(sources, "TIMEOUT_SECONDS", 1)

    class Trickle(socketserver.StreamRequestHandler):
        def handle(self):
            self.rfile.readline()
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client hung up: what the test wants

    with running_tcp_server(Trickle) as port:
        started = time.monotonic()
        message = download_error(f"http://127.0.0.1:{port}/schedule.json")
        took = time.monotonic() - started

    assert message == (
        f"http://127.0.0.1:{port}/schedule.json: the download took longer than 1 seconds"
    )
    assert took < 5  # the deadline is 1 s; the trickle alone lasts about 12 s
