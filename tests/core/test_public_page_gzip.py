"""A kept page goes to browsers that take gzip compressed, though each visitor's copy has its own
CSP nonce and CSRF token: the text is compressed once, the visitor's values put in between."""

import gzip
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from core.gzip_pieces import compress_sections, gzip_page
from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def test_sections_and_values_make_one_gzip_body_any_decoder_reads():
    pieces = [b"<p>" * 30000, b"A", "한국어 ".encode() * 9000, b"B", b"", b"A", b"</p>"]
    values = {b"A": b"nonce-value", b"B": b"x" * 70000}  # a value longer than one stored block
    body = gzip_page(pieces, compress_sections(pieces[::2]), values)
    expected = b"".join(values[p] if i % 2 else p for i, p in enumerate(pieces))
    assert gzip.decompress(body) == expected
    assert zlib.decompress(body, 16 + zlib.MAX_WBITS) == expected  # checks CRC and length
    assert len(body) < len(values[b"B"]) + 1000  # the text compressed, the values as they are


@pytest.fixture
def conference():
    return build_programme(3)


@pytest.mark.parametrize(
    "path, inline_styles",
    [
        ("/pycon-kr/", 1),
        ("/pycon-kr/sessions/talk-0/", 1),
        ("/", 0),
        ("/search/", 0),
        ("/sitemap.xml", 0),  # no stand-in at all: one section
    ],
)
def test_a_kept_page_comes_compressed_with_the_visitors_own_nonce(conference, path, inline_styles):
    plain = Client().get(path)  # draws and keeps the page
    visitor = Client(**BROWSER)
    response = visitor.get(path)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"] == plain["ETag"]  # weak: the same page, encoded or not
    html = gzip.decompress(response.content).decode()
    nonces = set(NONCE.findall(html))
    assert len(nonces) == inline_styles
    for nonce in nonces:
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "hugi-nonce-slot" not in html and "hugi-csrf-slot" not in html
    assert NONCE.sub("", CSRF.sub("", html)) == NONCE.sub("", CSRF.sub("", plain.text))
    # The weak ETag of the compressed copy revalidates like the strong one.
    again = visitor.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_visitor_who_draws_a_page_gets_it_compressed_too(conference):
    first = Client(enforce_csrf_checks=True, **BROWSER)
    response = first.get("/pycon-kr/speakers/")
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Length"] == str(len(response.content))
    html = gzip.decompress(response.content).decode()
    nonce = NONCE.search(html)
    assert nonce is None or f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]
    plain = Client(HTTP_ACCEPT_ENCODING="identity").get("/pycon-kr/speakers/")
    assert NONCE.sub("", CSRF.sub("", html)) == NONCE.sub("", CSRF.sub("", plain.text))
    # Its form works with the cookie it got along with it.
    switched = first.post(
        reverse("set_language"),
        {"language": "ko", "next": "/", "csrfmiddlewaretoken": CSRF.search(html).group(1)},
    )
    assert switched.status_code == 302


def test_the_language_switch_of_a_compressed_page_works(conference):
    Client().get("/pycon-kr/speakers/")
    visitor = Client(enforce_csrf_checks=True, **BROWSER)
    html = gzip.decompress(visitor.get("/pycon-kr/speakers/").content).decode()
    token = CSRF.search(html).group(1)
    switched = visitor.post(
        reverse("set_language"),
        {"language": "ko", "next": "/pycon-kr/speakers/", "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302


def test_a_client_without_gzip_gets_the_page_as_text(conference):
    Client(**BROWSER).get("/pycon-kr/")
    response = Client(HTTP_ACCEPT_ENCODING="identity").get("/pycon-kr/")
    assert not response.has_header("Content-Encoding")
    assert "Day 1" in response.text or "pycon-kr" in response.text
    assert response.text.startswith("<!doctype html>")


def test_pages_drawn_for_a_signed_in_visitor_are_not_compressed(conference, admin_client):
    Client(**BROWSER).get("/pycon-kr/")
    response = admin_client.get("/pycon-kr/", **BROWSER)
    assert not response.has_header("Content-Encoding")
    assert response.text.startswith("<!doctype html>")


@pytest.mark.parametrize("export", ["schedule.xml", "schedule.json", "schedule.ics"])
def test_exports_come_compressed_once_for_schedule_apps_that_take_gzip(conference, export):
    path = f"/pycon-kr/{export}"
    plain = Client().get(path)
    assert not plain.has_header("Content-Encoding")
    response = Client(**BROWSER).get(path)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content
    assert response["ETag"] == plain["ETag"] and response["ETag"].startswith('W/"')
    again = Client(**BROWSER).get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "Accept-Encoding" in again["Vary"]
