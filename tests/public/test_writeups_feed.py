"""/feed.xml (Atom) and the write-ups' sitemap section: published write-ups only."""

import html
from datetime import timedelta

import pytest
from django.contrib.sites.requests import RequestSite
from django.test import RequestFactory
from lxml import etree

from notes.models import WriteUp
from public.sitemaps import SITEMAPS, WriteUpSitemap
from tests.support.factories import UserFactory
from tests.support.writeup_world import PRIVATE_MARKER, PRIVATE_PHOTO_CAPTION, build_world

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client):
    response = client.get("/feed.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response, etree.fromstring(response.content)


def test_the_feed_is_atom_with_the_required_elements(client, owner):
    world = build_world(owner)
    _response, feed = read_feed(client)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for name in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{name}").text, name
    assert entry.find(f"{ATOM}title").text == "파이콘 한국 2025 후기"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "owner"
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://testserver/pycon-kr/writeups/owner/"
    )
    assert entry.find(f"{ATOM}published").text == "2025-08-18T12:00:00+00:00"
    # Atom's summary is typed "html": the text arrives escaped and reads back as typed.
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert (
        html.unescape(entry.find(f"{ATOM}summary").text) == '이틀의 기록: "따옴표"와 콜론: 도 있다'
    )
    assert world.writeup.pk


def test_the_feed_lists_only_published_writeups_newest_first(client, owner):
    older = build_world(owner)
    newer = build_world(UserFactory(username="newer"), slug="newer-conf")
    newer.writeup.published_at = older.writeup.published_at + timedelta(days=30)
    newer.writeup.save()
    build_world(UserFactory(username="drafter"), slug="draft-conf", status=WriteUp.Status.DRAFT)
    _response, feed = read_feed(client)
    assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [
        "http://testserver/newer-conf/writeups/newer/",
        "http://testserver/pycon-kr/writeups/owner/",
    ]


def test_an_empty_feed_is_still_valid_atom(client, db):
    _response, feed = read_feed(client)
    assert feed.find(f"{ATOM}updated").text
    assert feed.findall(f"{ATOM}entry") == []


def test_the_feed_runs_a_fixed_number_of_queries(client, owner, django_assert_num_queries):
    build_world(owner)
    with django_assert_num_queries(1):
        client.get("/feed.xml")
    for index in range(3):
        build_world(UserFactory(username=f"author{index}"), slug=f"conf-{index}")
    with django_assert_num_queries(1):
        _response, feed = read_feed(client)
    assert len(feed.findall(f"{ATOM}entry")) == 4


def test_nothing_private_is_in_the_feed(client, owner):
    build_world(owner)
    response, _feed = read_feed(client)
    text = response.content.decode()
    assert PRIVATE_MARKER not in text
    assert PRIVATE_PHOTO_CAPTION not in text


def test_the_sitemap_section_lists_published_writeups_only(owner, django_assert_num_queries):
    world = build_world(owner)
    build_world(UserFactory(username="drafter"), slug="draft-conf", status=WriteUp.Status.DRAFT)
    request = RequestFactory().get("/sitemap.xml")
    sitemap = WriteUpSitemap()
    # The paginator's count, then the page.
    with django_assert_num_queries(2):
        urls = sitemap.get_urls(site=request_site(request), protocol="https")
    assert [url["location"] for url in urls] == ["https://testserver/pycon-kr/writeups/owner/"]
    assert urls[0]["lastmod"] == world.writeup.updated_at


def request_site(request):
    return RequestSite(request)


@pytest.mark.skipif(
    "writeups" not in SITEMAPS, reason="WriteUpSitemap is registered in sessions/sitemaps.py"
)
def test_sitemap_xml_lists_published_writeups_and_nothing_private(client, owner):
    build_world(owner)
    build_world(UserFactory(username="drafter"), slug="draft-conf", status=WriteUp.Status.DRAFT)
    response = client.get("/sitemap.xml")
    text = response.content.decode()
    assert "<loc>http://testserver/pycon-kr/writeups/owner/</loc>" in text
    assert "/writeups/drafter/" not in text
    assert PRIVATE_MARKER not in text
