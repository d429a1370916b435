"""The home page (/): conferences happening now, upcoming and past; recent write-ups."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notes.models import WriteUp
from tests.support.factories import ConferenceFactory, UserFactory, WriteUpFactory
from tests.support.public_programme import SEOUL, by_class, page, texts

pytestmark = pytest.mark.django_db


def seoul_today():
    return timezone.localtime(timezone.now(), SEOUL).date()


def conferences_on_either_side_of_today():
    today = seoul_today()
    ConferenceFactory(name="Now Con", slug="now", start_date=today, end_date=today)
    ConferenceFactory(
        name="Soon Con",
        slug="soon",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=31),
    )
    ConferenceFactory(
        name="Later Con",
        slug="later",
        start_date=today + timedelta(days=90),
        end_date=today + timedelta(days=92),
    )
    ConferenceFactory(
        name="Old Con",
        slug="old",
        start_date=today - timedelta(days=400),
        end_date=today - timedelta(days=398),
    )
    ConferenceFactory(
        name="Last Month Con",
        slug="last-month",
        start_date=today - timedelta(days=30),
        end_date=today - timedelta(days=29),
    )


def test_home_groups_conferences_by_now_upcoming_and_past(client):
    conferences_on_either_side_of_today()
    response = client.get("/")
    assert response.status_code == 200
    assert texts(response, "//main//h2") == ["Happening now", "Upcoming", "Past"]
    sections = page(response).xpath("//main//section")
    names = [[" ".join(h.text_content().split()) for h in s.xpath(".//h3")] for s in sections]
    # upcoming soonest first, past most recent first
    assert names == [["Now Con"], ["Soon Con", "Later Con"], ["Last Month Con", "Old Con"]]


def test_each_conference_is_happening_now_by_its_own_local_date(client):
    now = timezone.now()
    for name, zone in [("Seoul Con", "Asia/Seoul"), ("Honolulu Con", "Pacific/Honolulu")]:
        local_today = timezone.localtime(now, ZoneInfo(zone)).date()
        ConferenceFactory(
            name=name,
            slug=name.split()[0].lower(),
            timezone=zone,
            start_date=local_today,
            end_date=local_today,
        )
    response = client.get("/")
    assert texts(response, "//main//h2") == ["Happening now"]
    assert sorted(texts(response, "//main//section[1]//h3")) == ["Honolulu Con", "Seoul Con"]


def test_home_lists_published_write_ups_only_newest_first(client):
    conference = ConferenceFactory(name="PyCon KR", slug="pyconkr")
    now = timezone.now()
    WriteUpFactory(
        author=UserFactory(username="minji"),
        conference=conference,
        title="파이콘 후기",
        summary="재미있었다.",
        status=WriteUp.Status.PUBLISHED,
        published_at=now - timedelta(days=1),
    )
    WriteUpFactory(
        author=UserFactory(username="jun"),
        conference=conference,
        title="Newest",
        status=WriteUp.Status.PUBLISHED,
        published_at=now,
    )
    WriteUpFactory(author=UserFactory(username="draft"), conference=conference, title="Draft")
    response = client.get("/")
    assert texts(response, by_class("writeup-title")) == ["Newest", "파이콘 후기"]
    assert page(response).xpath(f"{by_class('writeup-title')}/@href") == [
        "/pyconkr/writeups/jun/",
        "/pyconkr/writeups/minji/",
    ]
    assert texts(response, by_class("writeup-summary")) == ["재미있었다."]


def test_empty_home_says_so(client):
    response = client.get("/")
    assert texts(response, by_class("empty")) == ["No conferences yet."]


@pytest.mark.parametrize("size", [1, 4])
def test_home_runs_three_queries_whatever_its_size(client, django_assert_num_queries, size):
    for index in range(size):
        conference = ConferenceFactory(slug=f"c{index}")
        WriteUpFactory(
            conference=conference, status=WriteUp.Status.PUBLISHED, published_at=timezone.now()
        )
    # the conferences' stamps, conferences, write-ups (with author and conference)
    with django_assert_num_queries(3):
        response = client.get("/")
    assert len(texts(response, by_class("writeup-title"))) == size
