"""Search results as the page shows them: each word found marked, and a snippet of the text
around the first match."""

import html
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from notes.models import Note
from sessions.models import Session, Speaker

SNIPPET_LENGTH = 180


def _terms_pattern(terms) -> re.Pattern | None:
    if not terms:
        return None
    # Longest first, so "python" wins over "py" where both match.
    alternatives = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def highlight(text: str, terms) -> SafeString:
    """text, HTML-escaped, with each occurrence of a term wrapped in <mark>.

    Matches are found in the raw text and each piece is escaped on its own, so a term can never
    cut an entity (&amp;) in half or let markup through.
    """
    pattern = _terms_pattern(terms)
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece escaped above


def plain_text(rendered_html: str) -> str:
    """The words of stored, sanitized HTML (abstract_html, bio_html, body_html), for snippets."""
    # A space before each tag keeps "<p>one</p><p>two</p>" from becoming "onetwo".
    return " ".join(html.unescape(strip_tags(rendered_html.replace("<", " <"))).split())


def snippet(text: str, terms, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of text around the first match, highlighted, with ellipses."""
    if len(text) <= length:
        return highlight(text, terms)
    pattern = _terms_pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 3) if match else 0
    if start:
        # Begin at a word, unless the word before the match is very long.
        space = text.find(" ", start, match.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        end = space if space != -1 else end
    return format_html(
        "{}{}{}",
        "… " if start else "",
        highlight(text[start:end], terms),
        " …" if end < len(text) else "",
    )


@dataclass(frozen=True)
class SessionHit:
    session: Session
    title: SafeString
    subtitle: SafeString
    track: SafeString
    speakers: list[tuple[Speaker, SafeString]]
    snippet: SafeString


@dataclass(frozen=True)
class SpeakerHit:
    speaker: Speaker
    name: SafeString
    affiliation: SafeString
    snippet: SafeString
    sessions: list[Session]


@dataclass(frozen=True)
class NoteHit:
    note: Note
    snippet: SafeString


def session_hits(sessions, terms) -> list[SessionHit]:
    """Sessions from search_sessions(), ready to show with their matches marked."""
    return [
        SessionHit(
            session=session,
            title=highlight(session.title, terms),
            subtitle=highlight(session.subtitle, terms),
            track=highlight(session.track.name if session.track else "", terms),
            speakers=[
                (speaker, highlight(speaker.name, terms)) for speaker in session.ordered_speakers
            ],
            snippet=snippet(plain_text(session.abstract_html), terms),
        )
        for session in sessions
    ]


def speaker_hits(speakers, terms) -> list[SpeakerHit]:
    return [
        SpeakerHit(
            speaker=speaker,
            name=highlight(speaker.name, terms),
            affiliation=highlight(speaker.affiliation, terms),
            snippet=snippet(plain_text(speaker.bio_html), terms),
            sessions=list(speaker.sessions.all()),
        )
        for speaker in speakers
    ]


def note_hits(notes, terms) -> list[NoteHit]:
    return [
        NoteHit(note=note, snippet=snippet(plain_text(note.body_html), terms)) for note in notes
    ]
