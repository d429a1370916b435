"""A realistic programme for the public page tests, and helpers to read the pages they get."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import lxml.html

from notes.writeups import services as writeup_services
from sessions.models import Session
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

SEOUL = ZoneInfo("Asia/Seoul")
KOREAN_TITLES = [
    "선 넘지 않는 윤리적인 LLM 솔루션 구축",
    "Python과 함께하는 AI 플랫폼",
    "파이썬으로 엮는 나만의 레거시",
    "타입 힌트로 레거시 코드 길들이기",
    "asyncio 디버깅 실전",
    "DuckDB로 노트북 한 대에서 1억 행 다루기",
]


def seoul(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


# The programme's public pages as build_programme() makes them (slug "pycon-kr", 2025-08-15).
PROGRAMME_PAGES = [
    "/",
    "/pycon-kr/",
    "/pycon-kr/schedule/2025-08-15/",
    "/pycon-kr/sessions/talk-0/",
    "/pycon-kr/speakers/",
    "/pycon-kr/speakers/sp-0a/",
]


def build_programme(size=3, *, slug="pycon-kr", start=date(2025, 8, 15), rooms=2):
    """A two-day conference in Seoul: `size` talks on day 1, each with two speakers, in
    `rooms` rooms and two tracks, and a lunch break that spans all rooms."""
    conference = ConferenceFactory(
        name="파이콘 한국 2025",
        slug=slug,
        timezone="Asia/Seoul",
        start_date=start,
        end_date=start + timedelta(days=1),
        venue="코엑스",
        city="서울",
        description="파이썬 커뮤니티의 **연례** 행사.",
    )
    day1 = DayFactory(conference=conference, index=1, date=start, label="")
    DayFactory(conference=conference, index=2, date=start + timedelta(days=1), label="")
    room_list = [
        RoomFactory(conference=conference, name=f"{101 + i}호", slug=f"room-{101 + i}", order=i)
        for i in range(rooms)
    ]
    tracks = [
        TrackFactory(conference=conference, name="AI · ML", slug="ai", color="#7c3aed", order=1),
        TrackFactory(conference=conference, name="Web", slug="web", color="#0284c7", order=2),
    ]
    for index in range(size):
        slot, room = divmod(index, rooms)
        # Two slots in the morning, the rest after lunch.
        first = seoul(start, 10) if slot < 2 else seoul(start, 13) - timedelta(minutes=100)
        starts_at = first + timedelta(minutes=50 * slot)
        SessionFactory(
            conference=conference,
            day=day1,
            room=room_list[room],
            track=tracks[index % 2],
            title=KOREAN_TITLES[index % len(KOREAN_TITLES)] + ("" if index < 6 else f" {index}"),
            slug=f"talk-{index}",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=40),
            abstract=f"Abstract {index}",
            speakers=[
                SpeakerFactory(conference=conference, name=f"발표자 {index}a", slug=f"sp-{index}a"),
                SpeakerFactory(
                    conference=conference, name=f"Speaker {index}b", slug=f"sp-{index}b"
                ),
            ],
        )
    SessionFactory(
        conference=conference,
        day=day1,
        room=None,
        kind=Session.Kind.BREAK,
        title="점심 · Lunch",
        slug="lunch",
        starts_at=seoul(start, 12),
        ends_at=seoul(start, 13),
    )
    return conference


def page(response):
    return lxml.html.fromstring(response.content.decode())


def texts(response, xpath):
    """The whitespace-normalised text of every element the XPath finds."""
    return [" ".join(element.text_content().split()) for element in page(response).xpath(xpath)]


def by_class(name):
    """XPath for elements with a class (not a substring of another class)."""
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def publish_writeup(conference, author):
    """A published write-up "My days" by author, so the conference has one to list."""
    writeup = writeup_services.save_writeup(
        author=author,
        conference=conference,
        title="My days",
        summary="",
        intro="Hello",
        closing="",
        cover_photo=None,
    )
    return writeup_services.publish(writeup=writeup)
