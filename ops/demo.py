"""The demo conference (content in ops/demo_data.py): built once, with a demo attendee's account,
notes, stars, photos and write-up."""

import io
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from core.markdown import render_markdown
from notes import services as note_services
from notes.models import WriteUp
from notes.photos.services import add_photo
from ops.demo_data import (
    CLOSING,
    DAY1_TALKS,
    DAY2_TALKS,
    DESCRIPTION,
    INTRO,
    KEYNOTES,
    MORE_TALKS,
    NOTES,
    PHOTOS,
    ROOMS,
    SLOTS,
    STARRED,
    TRACKS,
    WORKSHOPS,
)
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track

SLUG = "pyconkr-2025"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hugi-demo-2025"


def build_demo() -> bool:
    """Create the demo conference and account once. Returns False when they already exist."""
    User = get_user_model()
    if Conference.objects.filter(slug=SLUG).exists():
        if not User.objects.filter(username=DEMO_USERNAME).exists():
            _create_user()
        return False
    with transaction.atomic():
        conference = _create_programme()
        user = User.objects.filter(username=DEMO_USERNAME).first() or _create_user()
        _create_attendee_data(conference, user)
    return True


def _create_user():
    return get_user_model().objects.create_superuser(
        username=DEMO_USERNAME, email="demo@example.org", password=DEMO_PASSWORD
    )


def _create_programme():
    conference = Conference.objects.create(
        name="PyCon Korea 2025",
        slug=SLUG,
        acronym="PyConKR 2025",
        description=DESCRIPTION,
        venue="Illustrative Convention Hall",
        city="Seoul",
        website="https://2025.pycon.kr/",
        timezone="Asia/Seoul",
        start_date=date(2025, 8, 15),
        end_date=date(2025, 8, 16),
    )
    # Days have no label: the pages name them in the visitor's language ("Day 1", "1일차").
    days = [
        Day.objects.create(conference=conference, date=date(2025, 8, 15), index=1, label=""),
        Day.objects.create(conference=conference, date=date(2025, 8, 16), index=2, label=""),
    ]
    programme = _Programme(conference)
    for day, talks, keynote in zip(days, (DAY1_TALKS, DAY2_TALKS), KEYNOTES, strict=True):
        programme.add_breaks_and_keynote(day, keynote)
        programme.add_talks(day, talks)
        programme.add_workshops_and_lightning_talks(day)
    return conference


class _Programme:
    """Adds a day's sessions to the demo conference, creating each speaker once."""

    def __init__(self, conference):
        self.conference = conference
        self.rooms = [
            Room.objects.create(conference=conference, name=name, slug=f"room-{name[:3]}", order=i)
            for i, name in enumerate(ROOMS)
        ]
        self.tracks = {
            slug: Track.objects.create(
                conference=conference, name=name, slug=slug, color=color, order=i
            )
            for i, (name, slug, color) in enumerate(TRACKS)
        }
        self.speakers = {}

    def speaker(self, name, affiliation):
        if name not in self.speakers:
            illustrative = affiliation == "illustrative"
            self.speakers[name] = Speaker.objects.create(
                conference=self.conference,
                name=name,
                slug=slugify(name, allow_unicode=True) or f"speaker-{len(self.speakers) + 1}",
                affiliation="" if illustrative else affiliation,
                bio=f"{name} — *illustrative speaker profile for the hugi demo.*"
                if illustrative
                else "",
            )
        return self.speakers[name]

    def add(self, day, title, clock, minutes, *, people=(), **fields):
        """One session of `minutes` from `clock` on `day`; fields: kind, room, track, language,
        level, abstract (a talk in Korean, by default)."""
        starts_at = datetime.combine(day.date, clock, tzinfo=self.conference.tz)
        session = Session.objects.create(
            conference=self.conference,
            day=day,
            title=title,
            slug=slugify(title, allow_unicode=True)[:100],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            **{"kind": Session.Kind.TALK, "language": "ko", **fields},
        )
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, speaker=person, order=i)
            for i, person in enumerate(people)
        )
        return session

    def add_breaks_and_keynote(self, day, keynote):
        day_name = f"Day {day.index}"
        self.add(day, f"등록 · Registration ({day_name})", time(9, 0), 60, kind=Session.Kind.BREAK)
        title, name, affiliation = keynote
        self.add(
            day,
            title,
            time(10, 0),
            50,
            kind=Session.Kind.KEYNOTE,
            room=self.rooms[0],
            people=[self.speaker(name, affiliation)],
            language="ko" if "파이썬" in title else "en",
        )
        self.add(day, f"점심 · Lunch ({day_name})", time(12, 30), 60, kind=Session.Kind.BREAK)
        self.add(day, f"커피 · Coffee break ({day_name})", time(15, 0), 30, kind=Session.Kind.BREAK)

    def add_talks(self, day, talks):
        """The day's twelve talks and then its six afternoon ones, three at a time (one a slot
        in each of the first three rooms)."""
        afternoon = [
            (title, name, "illustrative", track, "en" if title.isascii() else "ko", level, "")
            for title, name, track, level in MORE_TALKS[day.index - 1]
        ]
        for i, talk in enumerate([*talks, *afternoon]):
            title, name, affiliation, track, language, level, abstract = talk
            clock, minutes = SLOTS[i // 3]
            self.add(
                day,
                title,
                clock,
                minutes,
                room=self.rooms[i % 3],
                track=self.tracks[track],
                people=[self.speaker(name, affiliation)],
                language=language,
                level=level,
                abstract=abstract,
            )

    def add_workshops_and_lightning_talks(self, day):
        workshops = zip(WORKSHOPS[day.index - 1], (time(11, 0), time(13, 30)), strict=True)
        for (title, track), clock in workshops:
            self.add(
                day,
                title,
                clock,
                90,
                kind=Session.Kind.WORKSHOP,
                room=self.rooms[3],
                track=self.tracks[track],
                level="beginner",
            )
        self.add(
            day,
            f"Lightning talks (Day {day.index})",
            time(17, 10),
            50,
            kind=Session.Kind.LIGHTNING,
            room=self.rooms[0],
            track=self.tracks["community"],
            abstract="5분 발표 여덟 개. Eight five-minute talks.",
        )


def _slide_photo(title: str, colour: str) -> bytes:
    """A generated 'photo of a slide', so the demo needs no image files."""
    image = Image.new("RGB", (1600, 900), "#111827")
    draw = ImageDraw.Draw(image)
    draw.rectangle([120, 90, 1480, 810], fill="#f9fafb", outline=colour, width=12)
    draw.rectangle([120, 90, 1480, 200], fill=colour)
    font = ImageFont.load_default(size=64)
    draw.text((170, 110), "PyCon Korea 2025", fill="white", font=font)
    small = ImageFont.load_default(size=44)
    # Pillow's built-in font has no Hangul: Korean titles would come out as boxes.
    label = title[:40] if title.isascii() else "Seoul · August 2025"
    draw.text((170, 300), label, fill="#111827", font=small)
    for i in range(4):
        draw.line([(170, 420 + i * 90), (1300 - i * 150, 420 + i * 90)], fill="#9ca3af", width=18)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _create_attendee_data(conference, user):
    sessions = {s.title: s for s in conference.sessions.all()}
    for title, visibility, body in NOTES:
        note_services.save_note(
            author=user, session=sessions[title], body=body, visibility=visibility, base_version=0
        )
    for title in STARRED:
        note_services.set_star(user=user, session=sessions[title], starred=True)
    cover = None
    for title, caption, visibility, colour in PHOTOS:
        upload = SimpleUploadedFile("slide.jpg", _slide_photo(title, colour), "image/jpeg")
        photo = add_photo(
            owner=user,
            session=sessions[title],
            upload=upload,
            caption=caption,
            visibility=visibility,
        )
        photo.credit = "hugi demo (generated)"
        photo.save(update_fields=["credit"])
        cover = cover or photo
    WriteUp.objects.create(
        author=user,
        conference=conference,
        title="PyCon Korea 2025 후기",
        slug="pyconkr-2025-hugi",
        summary="이틀 동안 들은 발표 중 기억에 남는 것들.",
        cover_photo=cover,
        intro=INTRO,
        intro_html=render_markdown(INTRO),
        closing=CLOSING,
        closing_html=render_markdown(CLOSING),
        status=WriteUp.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime(2025, 8, 18, 21, 0), conference.tz),
        language="ko",
    )
