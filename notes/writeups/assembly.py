"""Write-ups, read side: a person's public notes on one conference, assembled into a post.

`assemble` is the one assembly. The compose page, its live preview, the public page, the feed
and the Markdown export all read the body it returns, so they can never disagree about which
notes and photos a write-up holds. It runs a fixed number of queries whatever the size.

Only public notes and public photos of the write-up's author enter it, filtered in the query.
"""

import re
from dataclasses import dataclass, field
from math import ceil

from django.db.models import Prefetch
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from notes.models import Note, Photo, Visibility, WriteUp
from notes.photos.links import show_photos
from sessions.links import session_url_maker
from sessions.models import Day, Session, speakers_prefetch

# A photo the note editor put into a note's Markdown: ![caption](/photos/12/960/).
INLINE_PHOTO = re.compile(r"/photos/(?P<id>[0-9]+)/(?:original|[0-9]+)/")

# Korean (Hangul syllables and jamo), Chinese and Japanese characters: read one by one, not
# as space-separated words.
CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
WORD = re.compile(r"\w+")
NOTE_HEADING = re.compile(r"<(/?)h([1-6])>")
NOTE_HEADING_SHIFT = 3
BIGINT_DIGITS = 19  # every number of fewer digits fits a bigint (a photo's id)
CJK_PER_MINUTE = 500
WORDS_PER_MINUTE = 200


@dataclass
class Entry:
    """One session in a write-up: its note, and the photos shown after the note."""

    session: Session
    note: Note
    speakers: list
    url: str  # the session page
    all_photos: list[Photo]  # the author's public photos of the session, in their order
    inline_ids: set[int]  # photos the note's text shows itself
    left_out: bool = False

    @property
    def photos(self) -> list[Photo]:
        """The photos shown as figures after the note (not those already inside it)."""
        return [photo for photo in self.all_photos if photo.pk not in self.inline_ids]

    @property
    def heading(self) -> str:
        """ "Title (Speaker, Speaker)", as a retrospective post names a talk."""
        if not self.speakers:
            return self.session.title
        names = ", ".join(speaker.name for speaker in self.speakers)
        return f"{self.session.title} ({names})"

    @property
    def anchor(self) -> str:
        return f"session-{self.session.slug}"

    @property
    def note_html(self) -> str:
        """The note's HTML with its headings moved below the post's day (h2) and session (h3).

        The sanitizer leaves headings without attributes, so the tags are exactly <hN>.
        """
        html = NOTE_HEADING.sub(
            lambda m: f"<{m[1]}h{min(6, int(m[2]) + NOTE_HEADING_SHIFT)}>", self.note.body_html
        )
        return show_photos(html, {photo.pk: photo for photo in self.all_photos})


@dataclass
class DayPart:
    day: Day
    language: str  # the write-up's
    entries: list[Entry] = field(default_factory=list)  # in the author's order, left-out too

    @property
    def heading(self) -> str:
        # The write-up's language decides, not the reader's nor the day's label: "Day 1" / "1일차".
        with translation.override(self.language):
            return _("Day %(index)s") % {"index": self.day.index}

    @property
    def anchor(self) -> str:
        return f"day-{self.day.index}"

    @property
    def shown(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.left_out]


@dataclass
class Body:
    days: list[DayPart]  # every day with a public note, for composing
    # The author's public photos of the conference that the introduction or the closing show.
    text_photos: dict[int, Photo] = field(default_factory=dict)
    intro_html: str = ""  # the write-up's, without any other photo
    closing_html: str = ""

    @property
    def shown_days(self) -> list[DayPart]:
        """What the published post shows: days that keep at least one session."""
        return [day for day in self.days if day.shown]

    @property
    def entries(self) -> list[Entry]:
        return [entry for day in self.days for entry in day.entries]

    @property
    def shown_entries(self) -> list[Entry]:
        return [entry for day in self.days for entry in day.shown]

    @property
    def photos(self) -> list[Photo]:
        """Every photo the post shows, in reading order (inline ones included)."""
        return [photo for entry in self.shown_entries for photo in entry.all_photos]


def assemble(writeup: WriteUp) -> Body:
    """The body of a write-up: the author's public notes on its conference, day by day.

    Within a day sessions follow their start time, unless layout["order"] says otherwise;
    sessions in layout["left_out"] are marked left out (the compose page still lists them).
    Three queries, whatever the number of notes, speakers and photos (a fourth when the
    introduction or the closing shows photos).
    """
    conference = writeup.conference
    author_photos = Photo.objects.public().filter(owner_id=writeup.author_id)
    notes = (
        Note.objects.public()
        .filter(author_id=writeup.author_id, session__conference=conference)
        .select_related("session__day", "session__room", "session__track")
        .prefetch_related(
            speakers_prefetch("session__session_speakers"),
            Prefetch(
                "session__photos",
                queryset=author_photos.order_by("order", "created_at", "pk"),
                to_attr="author_photos",
            ),
        )
        .order_by("session__day__date", "session__starts_at", "session__pk")
    )
    left_out = set(left_out_ids(writeup))
    url_for = session_url_maker(conference)
    days: dict[int, DayPart] = {}
    for note in notes:
        session = note.session
        session.conference = conference  # the session URL and page need it; no query
        photos = session.author_photos
        if not note.body.strip() and not photos:
            continue  # nothing to say about this session
        entry = Entry(
            session=session,
            note=note,
            speakers=session.ordered_speakers,
            url=url_for(session.slug),
            all_photos=photos,
            inline_ids={int(found) for found in INLINE_PHOTO.findall(note.body)},
            left_out=session.pk in left_out,
        )
        part = days.setdefault(session.day_id, DayPart(day=session.day, language=writeup.language))
        part.entries.append(entry)
    order = ordered_ids(writeup)
    for day in days.values():
        day.entries = apply_order(day.entries, order)
    text_photos = photos_in_texts(writeup)
    return Body(
        days=list(days.values()),
        text_photos=text_photos,
        # As in a note: a private photo (or anyone else's) would be a broken image to readers.
        intro_html=show_photos(writeup.intro_html, text_photos),
        closing_html=show_photos(writeup.closing_html, text_photos),
    )


def photos_in_texts(writeup: WriteUp) -> dict[int, Photo]:
    """The photos the introduction and closing may show: the author's public ones of the
    conference among those they name (one query, none when they name no photo)."""
    found = INLINE_PHOTO.findall(f"{writeup.intro}\n{writeup.closing}")
    ids = {int(number) for number in found if len(number) < BIGINT_DIGITS}
    if not ids:
        return {}
    photos = Photo.objects.public().filter(
        pk__in=ids, owner_id=writeup.author_id, session__conference_id=writeup.conference_id
    )
    return {photo.pk: photo for photo in photos}


def apply_order(entries: list[Entry], order: list[int]) -> list[Entry]:
    """Put the sessions named in order into that order, in the places they hold by time.

    Sessions the order does not name (a note written after the author reordered) keep their
    place by time, so a new note appears where it happened.
    """
    rank = {session_id: position for position, session_id in enumerate(order)}
    named = iter(
        sorted((e for e in entries if e.session.pk in rank), key=lambda e: rank[e.session.pk])
    )
    return [next(named) if entry.session.pk in rank else entry for entry in entries]


def left_out_ids(writeup: WriteUp) -> list[int]:
    return _layout_ids(writeup, "left_out")


def ordered_ids(writeup: WriteUp) -> list[int]:
    return _layout_ids(writeup, "order")


def _layout_ids(writeup: WriteUp, key: str) -> list[int]:
    """Session ids from the layout JSON, ignoring anything that is not a whole number."""
    layout = writeup.layout if isinstance(writeup.layout, dict) else {}
    value = layout.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, int) and not isinstance(item, bool)]


# --- reading time ------------------------------------------------------------------------------


def reading_minutes(writeup: WriteUp, body: Body) -> int:
    """Minutes to read the post: CJK characters at 500 a minute plus other words at 200.

    Korean often runs words together without spaces, so counting words alone undercounts it.
    """
    html = [writeup.intro_html, writeup.closing_html]
    html.extend(entry.note.body_html for entry in body.shown_entries)
    text = " ".join(strip_tags(part) for part in html)
    characters = len(CJK.findall(text))
    words = len(WORD.findall(CJK.sub(" ", text)))
    return max(1, ceil(characters / CJK_PER_MINUTE + words / WORDS_PER_MINUTE))


# --- the cover -------------------------------------------------------------------------------


def public_cover(writeup: WriteUp) -> Photo | None:
    """The cover photo when the public may see it: public, the author's, of this conference.

    A cover chosen while public and later made private (or moved) disappears from the post.
    Needs cover_photo__session selected with the write-up to stay query-free.
    """
    photo = writeup.cover_photo
    if (
        photo is None
        or photo.visibility != Visibility.PUBLIC
        or photo.owner_id != writeup.author_id
        or photo.session.conference_id != writeup.conference_id
    ):
        return None
    return photo


def with_post_relations(writeups):
    """What a write-up page, list or feed shows about each write-up, selected in the query."""
    return writeups.select_related("author", "conference", "cover_photo__session")


# --- where write-ups appear ------------------------------------------------------------------


def default_title(conference) -> str:
    return _("%(conference)s write-up") % {"conference": conference.name}


def published_writeups_for_conference(conference):
    """Published write-ups of a conference, newest first (one query)."""
    return list(
        WriteUp.objects.published()
        .filter(conference=conference)
        .select_related("author", "conference")
        .order_by("-published_at", "-pk")
    )


def published_writeups_by(conference, author_ids) -> list[WriteUp]:
    """Published write-ups of a conference by these authors, newest first (one query, none
    without authors)."""
    writeups = list(
        WriteUp.objects.published()
        .filter(conference=conference, author_id__in=author_ids)
        .select_related("author")
        .order_by("-published_at", "-pk")
    )
    for writeup in writeups:
        writeup.conference = conference  # known: no join
    return writeups


def covering(writeups, session) -> list[WriteUp]:
    """Those write-ups whose body holds the session, given that each author has a public note
    on it (which puts it in): the author may have left it out again (checked here: SQLite
    cannot search inside JSON lists)."""
    return [writeup for writeup in writeups if session.pk not in left_out_ids(writeup)]
