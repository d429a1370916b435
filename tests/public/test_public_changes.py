"""The programme's changes: the page (/<conf>/changes/) and its Atom feed (/<conf>/changes.xml)."""

import html
from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from notes.models import ChangesSeen
from sessions.models import Session
from tests.support.factories import SessionFactory
from tests.support.public_programme import build_programme, by_class, page, texts
from tests.support.version_factories import (
    SYNCED_AT,
    changed_programme,
    moved,
    moved_to_day,
    new_version,
    publish,
    removed,
    speakers_changed,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
CHANGES = "/pycon-kr/changes/"
FEED = "/pycon-kr/changes.xml"


def items(response):
    """Each changed session as (time, title, badges, lines): lines as "name: old → new"."""
    found = []
    for slot in page(response).xpath(by_class("change-slot")):
        time = slot.xpath(f".{by_class('change-time')}")[0].text_content()
        for item in slot.xpath(f".{by_class('change')}"):
            lines = [
                "{}: {} → {}".format(
                    li.xpath(f".{by_class('change-name')}")[0].text_content(),
                    visible(li.xpath(".//del")[0]),
                    visible(li.xpath(".//ins")[0]),
                )
                for li in item.xpath(f".{by_class('change-lines')}/li")
            ]
            found.append(
                (
                    time,
                    item.xpath(f".{by_class('change-title')}")[0].text_content(),
                    [tag.text_content() for tag in item.xpath(f".{by_class('tag-change')}")],
                    lines,
                )
            )
    return found


def visible(element):
    """The text of an element without its visually-hidden words."""
    for hidden in element.xpath(f".{by_class('visually-hidden')}"):
        hidden.drop_tree()
    return element.text_content()


def test_the_page_lists_versions_newest_first_with_time_origin_and_counts(client):
    changed_programme()
    response = client.get(CHANGES)
    assert response.status_code == 200
    assert texts(response, "//section[contains(@class, 'version')]/header/h2") == [
        "Version 2",
        "Version 1",
    ]
    assert texts(response, by_class("version-meta")) == [
        "August 14 (Thu) 14:30 · Updated from the organisers’ schedule",
        "August 10 (Sun) 09:00 · Imported",
    ]
    assert texts(response, by_class("version-counts")) == [
        "1 new · 1 cancelled · 1 moved · 1 room change · 1 retitled"
    ]
    assert texts(response, by_class("version-first")) == ["Programme published."]
    assert page(response).xpath("//section/@id") == ["v2", "v1"]


def test_each_change_reads_at_a_glance_by_day_then_time(client):
    changed_programme()
    response = client.get(CHANGES)
    assert texts(response, by_class("change-day")) == ["August 15 (Fri)"]
    assert items(response) == [
        ("10:00", "Python과 함께하는 AI 플랫폼", ["Room changed"], ["Room: 102호 → 101호"]),
        (
            "10:50",
            "타입 힌트로 레거시 코드 길들이기 (개정판)",
            ["Retitled"],
            ["Title: 타입 힌트로 레거시 코드 길들이기 → 타입 힌트로 레거시 코드 길들이기 (개정판)"],
        ),
        ("10:50", "파이썬으로 엮는 나만의 레거시", ["Cancelled"], []),
        ("14:00", "선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Moved"], ["Time: 10:00–10:40 → 14:00–14:40"]),
        ("15:00", "새로 추가된 라이트닝 토크", ["New"], []),
    ]  # fmt: skip


def test_old_values_are_struck_through_and_cancelled_sessions_marked_and_linked(client):
    changed_programme()
    doc = page(client.get(CHANGES))
    # A screen reader hears "was 102호 → now 101호".
    assert doc.xpath("//del")[0].text_content() == "was 102호"
    assert doc.xpath("//ins")[0].text_content() == "now 101호"
    assert [visible(d) for d in doc.xpath("//del")] == [
        "102호",
        "타입 힌트로 레거시 코드 길들이기",
        "10:00–10:40",
    ]
    cancelled = doc.xpath(f"{by_class('change')}[contains(@class, 'is-cancelled')]")
    assert [c.xpath(f".{by_class('change-title')}")[0].text_content() for c in cancelled] == [
        "파이썬으로 엮는 나만의 레거시"
    ]
    assert cancelled[0].xpath(f".{by_class('tag-cancelled')}/text()") == ["Cancelled"]
    assert doc.xpath(f"{by_class('change-title')}/a/@href") == [
        "/pycon-kr/sessions/talk-1/",
        "/pycon-kr/sessions/talk-3/",
        "/pycon-kr/sessions/talk-2/",
        "/pycon-kr/sessions/talk-0/",
        "/pycon-kr/sessions/new-lightning/",
    ]


def test_a_day_change_reads_as_dates_and_a_deleted_session_as_cancelled_without_a_link(client):
    world = changed_programme()
    day2 = world.conference.days.get(index=2)
    new_version(world.conference, [*moved_to_day(world.moved, day2), removed(world.added)])
    response = client.get(CHANGES)
    assert texts(response, by_class("change-day"))[:2] == ["August 15 (Fri)", "August 16 (Sat)"]
    assert items(response)[:2] == [
        ("15:00", "새로 추가된 라이트닝 토크", ["Cancelled"], []),
        (
            "14:00",
            "선 넘지 않는 윤리적인 LLM 솔루션 구축",
            ["Moved"],
            ["Day: August 15 (Fri) → August 16 (Sat)"],
        ),
    ]
    first = page(response).xpath("//section[@id='v3']")[0]
    assert first.xpath(f".{by_class('change-title')}/a/@href") == ["/pycon-kr/sessions/talk-0/"]


def test_the_page_shows_the_latest_twenty_versions(client):
    conference = build_programme(1)
    publish(conference)
    talk = Session.objects.get(slug="talk-0")
    for _ in range(21):
        new_version(conference, [moved(talk, minutes=5)])
    response = client.get(CHANGES)
    numbers = texts(response, "//section[contains(@class, 'version')]/header/h2")
    assert numbers[0] == "Version 22" and numbers[-1] == "Version 3" and len(numbers) == 20
    assert texts(response, by_class("changes-older")) == ["2 older versions are not shown."]


def test_a_conference_without_versions_says_so(client):
    build_programme(1)
    response = client.get(CHANGES)
    assert response.status_code == 200
    assert texts(response, f"//main{by_class('empty')}") == [
        "No versions of the programme are recorded yet."
    ]


@pytest.mark.parametrize("size", [4, 8])
def test_the_page_runs_four_queries_whatever_its_size(client, django_assert_num_queries, size):
    world = changed_programme(size)
    for _ in range(size - 3):  # 2 or 6 more versions
        new_version(world.conference, [moved(world.moved, minutes=10)])
    # the stamp, the conference, the versions, their changes with their sessions' slugs
    with django_assert_num_queries(4):
        response = client.get(CHANGES)
    assert len(page(response).xpath("//section[contains(@class, 'version')]")) == size - 1
    assert len(page(response).xpath(by_class("change"))) == 5 + (size - 4) + (size - 3)


def test_the_page_is_kept_and_validated_by_the_conference_stamp(client, django_assert_num_queries):
    world = changed_programme()
    first = client.get(CHANGES)
    etag = first["ETag"]
    with django_assert_num_queries(1):  # the stamp: the rest is kept
        again = Client().get(CHANGES)
    assert items(again) == items(first)
    assert Client().get(CHANGES, HTTP_IF_NONE_MATCH=etag).status_code == 304
    new_version(world.conference, [moved(world.retitled, minutes=30)])
    fresh = Client().get(CHANGES, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert texts(fresh, "//section[contains(@class, 'version')]/header/h2")[0] == "Version 3"


def test_the_page_in_korean_dates_its_versions_in_korean(db):
    changed_programme()
    response = Client(HTTP_ACCEPT_LANGUAGE="ko").get(CHANGES)
    assert page(response).xpath("/html/@lang") == ["ko"]
    assert texts(response, by_class("version-meta"))[0].startswith("8월 14일 (목) 14:30")
    assert texts(response, by_class("change-day")) == ["8월 15일 (금)"]


# --- signed in: marking the changes as seen ---------------------------------------------------


def test_opening_the_page_marks_nothing_and_the_button_posts_the_latest_version(
    owner_client, owner
):
    changed_programme()
    response = owner_client.get(CHANGES)
    assert ChangesSeen.objects.count() == 0  # a GET changes nothing
    form = page(response).xpath(by_class("seen-form"))[0]
    assert form.get("method") == "post"
    assert form.get("action") == reverse("notes:changes_seen", kwargs={"conf": "pycon-kr"})
    assert form.xpath(".//input[@name='version']/@value") == ["2"]
    assert form.xpath(".//button/text()") == ["Mark as seen"]

    response = owner_client.post(form.get("action"), {"version": "2", "next": CHANGES})
    assert response.status_code == 302 and response["Location"] == CHANGES
    assert ChangesSeen.objects.get(user=owner).version_number == 2
    assert texts(owner_client.get(CHANGES), by_class("seen-form")) == [
        "You have seen every change."
    ]


def test_anonymous_visitors_get_no_button(client):
    changed_programme()
    assert page(client.get(CHANGES)).xpath(by_class("seen-form")) == []


# --- the link from the conference's pages -----------------------------------------------------


@pytest.mark.parametrize("path", ["/pycon-kr/", "/pycon-kr/schedule/2025-08-15/"])
def test_the_timeline_pages_link_to_the_changes_only_after_the_first_version(client, path):
    conference = build_programme(2)
    assert page(client.get(path)).xpath(by_class("programme-changed")) == []
    publish(conference)
    assert page(client.get(path)).xpath(by_class("programme-changed")) == []
    new_version(conference, [moved(Session.objects.get(slug="talk-0"), hours=1)], at=SYNCED_AT)
    response = client.get(path)
    assert texts(response, by_class("programme-changed")) == [
        "Programme updated (version 2) August 14 14:30 See what changed"
    ]
    assert page(response).xpath(f"{by_class('programme-changed')}/a/@href") == [CHANGES]


# --- the feed ---------------------------------------------------------------------------------


def read_feed(client, path=FEED):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response, etree.fromstring(response.content)


def test_the_feed_has_one_atom_entry_per_version_newest_first(client):
    changed_programme()
    _response, feed = read_feed(client)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "파이콘 한국 2025: programme changes"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver" + FEED
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Version 2: 1 new, 1 cancelled, 1 moved, 1 room change, 1 retitled",
        "Version 1: Programme published",
    ]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/pycon-kr/changes/#v2",
        "http://testserver/pycon-kr/changes/#v1",
    ]
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        "http://testserver/pycon-kr/changes/#v2",
        "http://testserver/pycon-kr/changes/#v1",
    ]
    assert [e.find(f"{ATOM}updated").text for e in entries] == [
        "2025-08-14T05:30:00+00:00",
        "2025-08-10T00:00:00+00:00",
    ]


def test_a_feed_entry_summarises_the_changes_as_html(client):
    changed_programme()
    _response, feed = read_feed(client)
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    body = lxml.html.fragment_fromstring(html.unescape(summary.text), create_parent="div")
    lines = [" ".join(li.text_content().split()) for li in body.xpath("//li")]
    assert lines == [
        "10:00 Python과 함께하는 AI 플랫폼 [Room changed]Room: 102호 → 101호",
        "10:50 타입 힌트로 레거시 코드 길들이기 (개정판) [Retitled]Title: 타입 힌트로 레거시 코드 "
        "길들이기 → 타입 힌트로 레거시 코드 길들이기 (개정판)",
        "10:50 파이썬으로 엮는 나만의 레거시 [Cancelled]",
        "14:00 선 넘지 않는 윤리적인 LLM 솔루션 구축 [Moved]Time: 10:00–10:40 → 14:00–14:40",
        "15:00 새로 추가된 라이트닝 토크 [New]",
    ]
    assert body.xpath("//a/@href")[0] == "http://testserver/pycon-kr/sessions/talk-1/"


def test_the_feed_is_validated_by_the_stamp_and_follows_the_language(client):
    world = changed_programme()
    response, _feed = read_feed(client)
    assert client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    korean = Client(HTTP_ACCEPT_LANGUAGE="ko").get(FEED)
    assert korean["ETag"] != response["ETag"]
    assert (
        etree.fromstring(korean.content).get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"
    )
    new_version(world.conference, [speakers_changed(world.retitled, ["A"], ["B"])])
    assert client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_the_feed_runs_four_queries(client, django_assert_num_queries):
    changed_programme()
    # the stamp, the conference, the versions, their changes
    with django_assert_num_queries(4):
        read_feed(client)


def test_an_unknown_conference_has_no_changes(client):
    assert client.get("/nope/changes/").status_code == 404
    assert client.get("/nope/changes.xml").status_code == 404


def test_a_session_added_after_its_version_and_then_deleted_leaves_the_page_readable(client):
    world = changed_programme()
    extra = SessionFactory(
        conference=world.conference,
        day=world.moved.day,
        room=None,
        title="Gone",
        starts_at=world.moved.starts_at + timedelta(hours=3),
        ends_at=world.moved.starts_at + timedelta(hours=4),
    )
    new_version(world.conference, [removed(extra)])
    assert items(client.get(CHANGES))[0][1:] == ("Gone", ["Cancelled"], [])


def test_versions_after_the_one_i_marked_seen_stand_out(owner_client, owner):
    world = changed_programme()
    owner_client.post(reverse("notes:changes_seen", kwargs={"conf": "pycon-kr"}), {"version": "2"})
    new_version(world.conference, [moved(world.moved, minutes=15)])
    classes = page(owner_client.get(CHANGES)).xpath("//section[contains(@class, 'version')]/@class")
    assert classes == ["version is-unseen", "version", "version"]
