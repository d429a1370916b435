"""A two-day conference with one attendee's notes and photos, for the write-up tests."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import lxml.html
from django.urls import reverse

from core.markdown import render_markdown
from notes.models import Note, Photo, Visibility, WriteUp
from sessions.models import Conference, Session
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    PhotoFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

SEOUL = ZoneInfo("Asia/Seoul")
START = date(2025, 8, 15)
PRIVATE_MARKER = "PRIVATE-MARKER-7f3a9c"
PRIVATE_PHOTO_CAPTION = "PRIVATE-PHOTO-CAPTION-51d2"


def seoul(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


@dataclass
class World:
    conference: Conference
    sessions: dict[str, Session] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    photos: dict[str, Photo] = field(default_factory=dict)
    writeup: WriteUp | None = None


def build_conference(slug="pycon-kr") -> World:
    conference = ConferenceFactory(
        name="파이콘 한국 2025", acronym="PyConKR 2025", slug=slug, timezone="Asia/Seoul",
        start_date=START, end_date=START + timedelta(days=1),
    )  # fmt: skip
    return World(conference=conference)


def add_session(world, key, *, day_index, hour, minute=0, speakers=(), title=None):
    conference = world.conference
    day = conference.days.filter(index=day_index).first() or DayFactory(
        conference=conference, index=day_index, date=START + timedelta(days=day_index - 1)
    )
    room = conference.rooms.first() or RoomFactory(conference=conference, name="101호")
    track = conference.tracks.first() or TrackFactory(conference=conference, name="AI · ML")
    starts_at = seoul(day.date, hour, minute)
    session = SessionFactory(
        conference=conference, day=day, room=room, track=track, title=title or f"발표 {key}",
        slug=f"talk-{key}", starts_at=starts_at, ends_at=starts_at + timedelta(minutes=40),
        speakers=[
            SpeakerFactory(conference=conference, name=name, slug=f"sp-{key}-{i}")
            for i, name in enumerate(speakers)
        ],
    )  # fmt: skip
    world.sessions[key] = session
    return session


def add_note(world, key, author, body, visibility=Visibility.PUBLIC):
    note = Note.objects.create(
        author=author, session=world.sessions[key], body=body, body_html=render_markdown(body),
        visibility=visibility,
    )  # fmt: skip
    world.notes[key] = note
    return note


def add_photo(world, key, owner, session_key, caption, visibility=Visibility.PUBLIC, **extra):
    photo = PhotoFactory(
        owner=owner, session=world.sessions[session_key], caption=caption, visibility=visibility,
        **extra,
    )  # fmt: skip
    world.photos[key] = photo
    return photo


def build_world(
    author, *, extra_sessions=0, status=WriteUp.Status.PUBLISHED, slug="pycon-kr", language="en"
) -> World:
    """Day 1 and day 2, sessions created out of time order; a private note with a marker,
    a private photo, and someone else's public note and photo on the same sessions."""
    world = build_conference(slug)
    # Created in this order on purpose: day 2 first, then day 1's afternoon, then its morning.
    add_session(world, "d2-morning", day_index=2, hour=10, speakers=["박해선"])
    add_session(world, "d1-afternoon", day_index=1, hour=14, speakers=["Hannah Becker"])
    add_session(world, "d1-morning", day_index=1, hour=10, speakers=["이서연", "정민준"])
    add_session(world, "d1-private", day_index=1, hour=11)
    add_note(world, "d2-morning", author, "## 요점\n\n오래된 도구를 **파이썬으로** 잇기.")
    add_note(world, "d1-afternoon", author, "Django 6 admin notes.")
    add_note(world, "d1-morning", author, "가드레일은 입력, 생성, 출력 세 단계.")
    add_note(world, "d1-private", author, f"Secret {PRIVATE_MARKER}", Visibility.PRIVATE)
    add_photo(world, "slide", author, "d1-morning", "가드레일 슬라이드", credit="발표 자료",
              credit_url="https://example.org/slides")  # fmt: skip
    # Each in its own colour, so their files differ.
    add_photo(
        world, "private", author, "d1-morning", PRIVATE_PHOTO_CAPTION, Visibility.PRIVATE,
        image__color="red",
    )  # fmt: skip
    someone = UserFactory(username="someone")
    add_note_for(world, someone, "d1-morning", "Someone else's public note SOMEONE-NOTE")
    add_photo(world, "someone", someone, "d1-morning", "SOMEONE-PHOTO", image__color="green")
    for index in range(extra_sessions):
        key = f"extra-{index}"
        add_session(world, key, day_index=1 + index % 2, hour=15, minute=index, speakers=["A", "B"])
        add_note(world, key, author, f"Extra note {index}")
        add_photo(world, f"{key}-photo", author, key, f"Extra photo {index}")
    world.writeup = WriteUp.objects.create(
        author=author, conference=world.conference, title="파이콘 한국 2025 후기", slug="pycon-hugi",
        summary="이틀의 기록: \"따옴표\"와 콜론: 도 있다", intro="들어가며 **인트로**.",
        intro_html=render_markdown("들어가며 **인트로**."), closing="마치며.",
        closing_html=render_markdown("마치며."), cover_photo=world.photos["slide"], status=status,
        published_at=seoul(START + timedelta(days=3), 21) if status == "published" else None,
        language=language,
    )  # fmt: skip
    return world


def add_note_for(world, user, key, body):
    return Note.objects.create(
        author=user, session=world.sessions[key], body=body, body_html=render_markdown(body),
        visibility=Visibility.PUBLIC,
    )  # fmt: skip


def detail_url(writeup):
    return reverse(
        "public:writeup",
        kwargs={"conf": writeup.conference.slug, "username": writeup.author.username},
    )


def export_url(writeup):
    return reverse(
        "public:writeup_export",
        kwargs={"conf": writeup.conference.slug, "username": writeup.author.username},
    )


def compose_url(conference):
    return reverse("writeups:compose", kwargs={"conf": conference.slug})


def texts(response, xpath):
    tree = lxml.html.fromstring(response.content.decode())
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def by_class(name):
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
