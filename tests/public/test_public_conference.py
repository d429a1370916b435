"""The conference page (/<conf>/): facts, description, day tabs and the day's timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Session
from tests.support.factories import ConferenceFactory, DayFactory, RoomFactory, SessionFactory
from tests.support.public_programme import SEOUL, build_programme, by_class, page, texts

pytestmark = pytest.mark.django_db


def conference_url(conference):
    return reverse("public:conference", kwargs={"conf": conference.slug})


def test_conference_page_shows_name_dates_venue_and_description(client):
    conference = build_programme(2)
    response = client.get(conference_url(conference))
    assert response.status_code == 200
    assert texts(response, "//h1") == ["파이콘 한국 2025"]
    assert texts(response, by_class("conf-facts")) == ["Aug. 15, 2025 – Aug. 16, 2025 코엑스, 서울"]
    assert texts(response, by_class("conf-description")) == ["파이썬 커뮤니티의 연례 행사."]
    assert page(response).xpath(f"{by_class('conf-description')}//strong/text()") == ["연례"]


def test_conference_page_shows_the_first_day_when_the_conference_is_not_running(client):
    conference = build_programme(2)  # August 2025: over
    response = client.get(conference_url(conference))
    assert texts(response, by_class("s-title")) == [
        "선 넘지 않는 윤리적인 LLM 솔루션 구축",
        "Python과 함께하는 AI 플랫폼",
        "점심 · Lunch",
    ]
    tabs = page(response).xpath(f"{by_class('day-tabs')}//a/@aria-current")
    assert tabs == ["page"]
    assert texts(response, by_class("now-next")) == []


def running_conference():
    """A conference in Seoul that started yesterday and ends today, with talks around now."""
    now = timezone.now()
    today = timezone.localtime(now, SEOUL).date()
    conference = ConferenceFactory(
        slug="live", timezone="Asia/Seoul", start_date=today - timedelta(days=1), end_date=today
    )
    yesterday = DayFactory(conference=conference, index=1, date=today - timedelta(days=1))
    day = DayFactory(conference=conference, index=2, date=today)
    room = RoomFactory(conference=conference, name="Hall A")
    SessionFactory(conference=conference, day=yesterday, room=room, title="Yesterday's talk")
    talks = [
        ("Earlier talk", -90, -50),
        ("On now", -10, 30),
        ("Coming up", 40, 80),
        ("Later", 90, 130),
    ]
    for title, start, end in talks:
        SessionFactory(
            conference=conference,
            day=day,
            room=room,
            title=title,
            starts_at=now + timedelta(minutes=start),
            ends_at=now + timedelta(minutes=end),
        )
    return conference


def test_while_running_the_conference_page_shows_today_with_now_and_next(client):
    conference = running_conference()
    response = client.get(conference_url(conference))
    assert texts(response, by_class("s-title")) == ["Earlier talk", "On now", "Coming up", "Later"]
    assert texts(response, f"{by_class('now-list')}//li/a") == ["On now"]
    assert texts(response, f"{by_class('next-list')}//li/a") == ["Coming up"]
    assert texts(response, by_class("is-now") + by_class("s-title")) == ["On now"]
    today = timezone.localtime(timezone.now(), SEOUL).date()
    current = page(response).xpath(f"{by_class('day-tabs')}//a[@aria-current='page']/@href")
    assert current == [reverse("public:day", kwargs={"conf": "live", "date": today})]


def test_conference_without_days_says_the_schedule_is_not_out(client):
    conference = ConferenceFactory(slug="soon")
    response = client.get(conference_url(conference))
    assert response.status_code == 200
    assert texts(response, by_class("empty")) == ["The schedule has not been published yet."]


def test_conference_page_has_social_cards(client):
    conference = build_programme(1)
    doc = page(client.get(conference_url(conference)))
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in doc.xpath("//head/meta[@content]")
    }
    assert meta["og:title"] == "파이콘 한국 2025"
    assert meta["og:description"] == "파이썬 커뮤니티의 연례 행사."
    assert meta["og:url"] == "http://testserver/pycon-kr/"
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary"
    assert doc.xpath("//head/link[@rel='canonical']/@href") == ["http://testserver/pycon-kr/"]


def test_unknown_conference_is_404(client):
    response = client.get("/no-such-conference/")
    assert response.status_code == 404
    assert texts(response, "//h1") == ["This page is not here"]


def test_korean_conference_slug_works(client):
    conference = build_programme(1, slug="파이콘-2025")
    assert conference_url(conference) == "/%ED%8C%8C%EC%9D%B4%EC%BD%98-2025/"
    response = client.get(conference_url(conference))
    assert response.status_code == 200
    assert texts(response, "//h1") == ["파이콘 한국 2025"]


@pytest.mark.parametrize("size", [1, 6])
def test_conference_page_runs_nine_queries_whatever_its_size(
    client, django_assert_num_queries, size
):
    conference = build_programme(size, rooms=3)
    # the conference's stamp, conference, days, rooms, tracks, the day's sessions, speaker
    # names, the latest version with its changes, write-ups
    with django_assert_num_queries(9):
        response = client.get(conference_url(conference))
    assert len(texts(response, by_class("s-title"))) == size + 1
    assert Session.objects.count() == size + 1
