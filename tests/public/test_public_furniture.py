"""Site furniture: the frame of every page, sitemap.xml, robots.txt and the error pages."""

from itertools import pairwise

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error
from lxml import etree

from sessions.models import Session
from tests.support.factories import SessionFactory
from tests.support.public_programme import PROGRAMME_PAGES, build_programme, by_class, page, texts

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_every_page_has_landmarks_search_sign_in_and_language_switch(client):
    build_programme(1)
    doc = page(client.get("/pycon-kr/"))
    assert doc.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert len(doc.xpath("//header//nav")) == 1
    assert doc.xpath("//main/@id") == ["main"]
    assert len(doc.xpath("//footer")) == 1
    search = doc.xpath("//form[@role='search']")[0]
    assert (search.get("method"), search.get("action")) == ("get", "/search/")
    # On a conference's pages the header search looks in that conference.
    assert search.xpath(".//input/@name") == ["conference", "q"]
    assert search.xpath(".//input[@name='conference']/@value") == ["pycon-kr"]
    home_search = page(client.get("/")).xpath("//form[@role='search']")[0]
    assert home_search.xpath(".//input/@name") == ["q"]
    assert doc.xpath("//nav//a[text()='Sign in']/@href") == ["/accounts/login/?next=/pycon-kr/"]
    switch = doc.xpath(f"{by_class('language-switch')}")[0]
    assert switch.get("action") == "/i18n/setlang/"
    assert switch.xpath(".//button/@value") == ["ko"]


def test_pages_are_translated_to_korean(client):
    build_programme(1)
    response = client.get("/pycon-kr/", HTTP_ACCEPT_LANGUAGE="ko")
    assert page(response).xpath("/html/@lang") == ["ko"]
    assert page(response).xpath(f"{by_class('language-switch')}//button/@value") == ["en"]


def test_headings_go_down_one_level_at_a_time(client):
    build_programme(3)
    for path in PROGRAMME_PAGES:
        levels = [int(h.tag[1]) for h in page(client.get(path)).xpath("//h1|//h2|//h3|//h4|//h5")]
        assert levels[0] == 1, path
        assert levels.count(1) == 1, path
        for before, after in pairwise(levels):
            assert after <= before + 1, (path, levels)


def test_sitemap_lists_conferences_days_sessions_and_speakers_but_not_breaks(client):
    build_programme(2)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations == [
        "http://testserver/pycon-kr/",
        "http://testserver/pycon-kr/schedule/2025-08-15/",
        "http://testserver/pycon-kr/schedule/2025-08-16/",
        "http://testserver/pycon-kr/sessions/talk-0/",
        "http://testserver/pycon-kr/sessions/talk-1/",
        "http://testserver/pycon-kr/speakers/sp-0a/",
        "http://testserver/pycon-kr/speakers/sp-0b/",
        "http://testserver/pycon-kr/speakers/sp-1a/",
        "http://testserver/pycon-kr/speakers/sp-1b/",
    ]
    assert len(list(root.iter(f"{SITEMAP}lastmod"))) == len(locations)
    assert Session.objects.filter(kind=Session.Kind.BREAK).count() == 1


@pytest.mark.parametrize("size", [1, 5])
def test_sitemap_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_programme(size)
    # when the newest conference changed, then one list for each of the five sections
    with django_assert_num_queries(6):
        client.get("/sitemap.xml")


def test_sitemap_answers_if_modified_since_with_304(client):
    build_programme(1)
    first = client.get("/sitemap.xml")
    assert (
        client.get("/sitemap.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /me/" in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"


def test_404_page_is_friendly_and_offers_search(client):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert texts(response, "//h1") == ["This page is not here"]
    assert page(response).xpath("//main//form[@role='search']/@action") == ["/search/"]


def test_500_page_needs_neither_database_nor_request_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    doc = page(response)
    assert texts(response, "//h1") == ["Something went wrong on our side"]
    assert doc.xpath("//a[@class='brand']/@href") == ["/"]
    assert "Something went wrong on our side" in html


def test_session_slugs_in_korean_round_trip(client):
    conference = build_programme(1)
    korean = SessionFactory(
        conference=conference, day=conference.days.first(), slug="가드레일-설계"
    )
    assert (
        korean.get_absolute_url()
        == "/pycon-kr/sessions/%EA%B0%80%EB%93%9C%EB%A0%88%EC%9D%BC-%EC%84%A4%EA%B3%84/"
    )
    assert client.get(korean.get_absolute_url()).status_code == 200
