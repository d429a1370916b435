"""A small site with private and public things carrying marker strings, made by the real services.

The hardening tests (headers, the privacy crawler, URL access, XSS) all look at this one site:
two conferences; the owner's public and private notes and photos; a published write-up on the
first conference and a draft on the second; a staff member for the admin.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from notes.models import Note, Photo, Visibility, WriteUp
from notes.photos import services as photo_services
from notes.photos.links import file_names, photo_markdown, photo_url
from notes.services import save_note
from notes.writeups import services as writeup_services
from sessions.models import Conference, Session, Speaker
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.photo_corpus import phone_jpeg, upload

SEOUL = ZoneInfo("Asia/Seoul")
START = date(2025, 8, 15)


def marker(kind: str) -> str:
    """A string that appears nowhere else: PRIVATE-MARKER-note-1a2b3c4d5e6f."""
    return f"{kind}-{uuid.uuid4().hex[:12]}"


def marker_id(text: str) -> str:
    """The random end of a marker: what a search looks for without repeating the whole marker."""
    return text.rsplit("-", 1)[-1]


def seoul(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


@dataclass
class Site:
    owner: object
    other: object
    staff: object
    conference: Conference  # the owner's write-up on it is published
    second: Conference  # the owner's write-up on it is a draft
    sessions: list[Session]
    speaker: Speaker
    writeup: WriteUp
    draft: WriteUp
    public_markers: list[str] = field(default_factory=list)
    private_markers: list[str] = field(default_factory=list)
    # Words that only private texts hold, each with a longer phrase around it there: a search
    # page repeats the word searched for, so the crawler looks for the phrase.
    private_words: dict[str, str] = field(default_factory=dict)
    private_notes: list[Note] = field(default_factory=list)
    private_photos: list[Photo] = field(default_factory=list)
    public_photos: list[Photo] = field(default_factory=list)

    def private_photo_urls(self) -> list[str]:
        """Every address and stored name of every private photo's files."""
        found = []
        for photo in self.private_photos:
            found.extend(photo_url(photo, key) for key in file_names(photo))
            # The random stem every stored file of the photo is named after (renditions add
            # -<width>): it must not surface under any prefix (/media/…, a bucket's URL).
            found.append(photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        return sorted(set(found))


def jpeg_upload(color_seed: int = 0):
    return upload(phone_jpeg((640, 480), orientation=1), name=f"slide-{color_seed}.jpg")


def build_conference(slug, name, *, sessions=3):
    conference = ConferenceFactory(
        name=name, slug=slug, timezone="Asia/Seoul", start_date=START,
        end_date=START + timedelta(days=1), description=f"About {name}.",
    )  # fmt: skip
    days = [
        DayFactory(conference=conference, index=1, date=START),
        DayFactory(conference=conference, index=2, date=START + timedelta(days=1)),
    ]
    room = RoomFactory(conference=conference, name="101호", slug=f"{slug}-101")
    track = TrackFactory(conference=conference, name="Web", slug=f"{slug}-web", color="#0284c7")
    speaker = SpeakerFactory(
        conference=conference, name="이서연", slug=f"{slug}-seoyeon", bio="Writes *Python*."
    )
    made = []
    for index in range(sessions):
        day = days[index % 2]
        starts_at = seoul(day.date, 10 + index)
        made.append(
            SessionFactory(
                conference=conference,
                day=day,
                room=room,
                track=track,
                title=f"{name} talk {index}",
                slug=f"talk-{index}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=40),
                abstract=f"Abstract {index}.",
                speakers=[speaker],
            )
        )
    return conference, made, speaker


def build_site() -> Site:
    owner = UserFactory(username="owner")
    other = UserFactory(username="other")
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    conference, sessions, speaker = build_conference("pycon-kr", "PyCon Korea 2025")
    second, second_sessions, _speaker = build_conference("djangocon", "DjangoCon 2025", sessions=1)
    site = Site(
        owner=owner, other=other, staff=staff, conference=conference, second=second,
        sessions=sessions + second_sessions, speaker=speaker, writeup=None, draft=None,
    )  # fmt: skip

    def note(session, visibility, text):
        return save_note(
            author=owner, session=session, body=text, visibility=visibility, base_version=0
        )

    def photo(session, visibility, kind):
        caption, credit = marker(f"{kind}-caption"), marker(f"{kind}-credit")
        made = photo_services.add_photo(
            owner=owner, session=session, upload=jpeg_upload(), visibility=visibility
        )
        photo_services.update_photo(
            photo=made, caption=caption, credit=credit,
            credit_url=f"https://example.org/{caption.lower()}", visibility=visibility,
        )  # fmt: skip
        return made, [caption, credit]

    # Public: a note on talk 0 with a public photo, on the published write-up.
    public_note = marker("PUBLIC-MARKER-note")
    note(sessions[0], Visibility.PUBLIC, f"## Takeaways\n\n{public_note} and more.")
    public_photo, public_photo_markers = photo(sessions[0], Visibility.PUBLIC, "PUBLIC-MARKER")
    site.public_photos.append(public_photo)
    site.public_markers += [public_note, *public_photo_markers]

    # Private: a note on talk 1 (no public note there at all), and a private photo beside the
    # public note on talk 0, and a private note with its photo on the draft's conference.
    secret_word = "zanzibarquokka"
    private_note = marker("PRIVATE-MARKER-note")
    site.private_notes.append(
        note(sessions[1], Visibility.PRIVATE, f"{private_note}\n\nThe {secret_word} plan.")
    )
    private_photo, private_photo_markers = photo(sessions[0], Visibility.PRIVATE, "PRIVATE-MARKER")
    site.private_photos.append(private_photo)
    second_note = marker("PRIVATE-MARKER-note")
    site.private_notes.append(note(second_sessions[0], Visibility.PRIVATE, second_note))
    second_photo, second_photo_markers = photo(
        second_sessions[0], Visibility.PRIVATE, "PRIVATE-MARKER"
    )
    site.private_photos.append(second_photo)
    site.private_markers += [private_note, second_note]
    site.private_markers += private_photo_markers + second_photo_markers
    site.private_words[secret_word] = f"{secret_word} plan"

    # The published write-up: its texts are public; the draft's texts are private.
    writeup_text = marker("PUBLIC-MARKER-writeup")
    site.writeup = writeup_services.save_writeup(
        author=owner, conference=conference, title=f"Write-up {writeup_text}",
        summary=f"Summary {writeup_text}", intro=f"Intro {writeup_text}.",
        closing=f"Closing {writeup_text}.", cover_photo=public_photo,
    )  # fmt: skip
    site.writeup = writeup_services.publish(writeup=site.writeup)
    site.public_markers.append(writeup_text)
    draft_text = marker("PRIVATE-MARKER-draft")
    site.draft = writeup_services.save_writeup(
        author=owner, conference=second, title=f"Draft {draft_text}",
        summary=f"Summary {draft_text}", intro=f"Intro {draft_text}.",
        closing=f"Closing {draft_text}.", cover_photo=None,
    )  # fmt: skip
    site.private_markers.append(draft_text)
    return site


def embed_private_photo_in_public_note(site: Site) -> Photo:
    """What the editor does when a photo is added while the note is public, then made private:
    the note's public Markdown keeps showing ![caption](/photos/<id>/…/)."""
    photo = site.private_photos[0]
    stored = Note.objects.get(author=site.owner, session=photo.session)
    save_note(
        author=site.owner, session=photo.session, visibility=stored.visibility,
        body=f"{stored.body}\n\n{photo_markdown(photo)}", base_version=stored.version,
    )  # fmt: skip
    return photo
