"""Search over the programme and over a person's own notes.

One interface, two engines. On every database each word of the query must occur,
case-insensitively, as a substring of one of a result's fields, so a plain substring query finds
the same rows on PostgreSQL and on SQLite. (Substrings rather than whole words because Korean
glues particles to nouns: 파이썬 must find 파이썬으로.) PostgreSQL adds:

- typo tolerance: a word may instead be a near miss (pg_trgm word similarity) of a word in the
  title or a speaker's name;
- full-text ranking with the 'simple' configuration (Korean has no stemmer): a word in the title
  weighs more than in the subtitle, and the title closest to the query comes first.

Both put title (or name) matches first; SQLite then orders by start time. search_hits.py shows
the results with the words found marked.
"""

import re
import unicodedata

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    Lexeme,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, Func, Prefetch, Q, QuerySet, TextField, Value, When

from notes.models import Note
from sessions.models import Session, SessionSpeaker, Speaker, Track, speakers_prefetch

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Shorter words resemble too much to count near misses ("an" is half of "and").
TYPO_MIN_LENGTH = 3


# --- the query ---


def clean_query(raw: str) -> str:
    """The query as searched: NFC (macOS sends decomposed Hangul), without control characters
    (PostgreSQL refuses NUL), one space between words, at most MAX_QUERY_LENGTH characters."""
    kept = []
    for char in unicodedata.normalize("NFC", raw[: MAX_QUERY_LENGTH * 4]):
        category = unicodedata.category(char)
        if category == "Cc":  # NUL, tab, newline…: a word break
            kept.append(" ")
        elif not category.startswith("C"):  # drop format, surrogate, private and unassigned
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()


def search_terms(query: str) -> list[str]:
    """The words every result must contain; none if there is not a letter or digit to look for."""
    if not any(char.isalnum() for char in query):
        return []
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


def _typo_tolerant() -> bool:
    """Near misses need pg_trgm: PostgreSQL only."""
    return connection.vendor == "postgresql"


def _every_term(terms, condition) -> Q:
    """Q that holds when condition(term) holds for every term."""
    combined = Q()
    for term in terms:
        combined &= condition(term)
    return combined


class Decomposed(Func):
    """hugi_decompose(text), which is normalize(text, NFD) (see migration 0003): Hangul
    syllables split into letters (jamo) for trigram similarity.

    Whole syllables make every Korean typo a big one: 박해산 shares only half its trigrams with
    박해선 (no better than 파이썬 with 파이프라인). Letter by letter it is one letter in eight and
    scores 0.67, above the 0.6 threshold, while 파이썬/파이프라인 stays at 0.5. "Kubeflw" scores
    0.75 against "Kubeflow".
    """

    function = "hugi_decompose"
    output_field = TextField()


def _near_misses(queryset, field: str, term: str) -> QuerySet:
    """Ids of the rows where term nearly matches a word of field: a typo (PostgreSQL only).

    pg_trgm's %> operator (word similarity at least pg_trgm.word_similarity_threshold, 0.6 by
    default), which the GIN index on hugi_decompose(field) answers without reading every row.
    """
    nearly = TrigramWordSimilar(Decomposed(field), unicodedata.normalize("NFD", term))
    return queryset.filter(nearly).values("pk")


def _tolerates_typos(term: str, typos: bool) -> bool:
    return typos and len(term) >= TYPO_MIN_LENGTH


def _title_has(term: str, *, typos: bool) -> Q:
    found = Q(title__icontains=term)
    if _tolerates_typos(term, typos):
        found |= Q(pk__in=_near_misses(Session.objects.all(), "title", term))
    return found


def _name_has(term: str, *, typos: bool) -> Q:
    found = Q(name__icontains=term)
    if _tolerates_typos(term, typos):
        found |= Q(pk__in=_near_misses(Speaker.objects.all(), "name", term))
    return found


def _session_has(term: str, *, typos: bool) -> Q:
    """term occurs in a session's title, subtitle, abstract, track or a speaker's name.

    Each part is a subquery of its own so that PostgreSQL can answer it from an index (the
    session's own text from three trigram indexes at once) rather than read every session.
    """
    own_text = Session.objects.filter(
        Q(title__icontains=term) | Q(subtitle__icontains=term) | Q(abstract__icontains=term)
    )
    speakers = Speaker.objects.filter(_name_has(term, typos=typos))
    found = (
        Q(pk__in=own_text.values("pk"))
        | Q(track__in=Track.objects.filter(name__icontains=term))
        | Q(pk__in=SessionSpeaker.objects.filter(speaker__in=speakers).values("session"))
    )
    if _tolerates_typos(term, typos):
        found |= Q(pk__in=_near_misses(Session.objects.all(), "title", term))
    return found


def _prefix_tsquery(query: str) -> SearchQuery | None:
    """Every word of the query as a lexeme prefix: 'kube':* & 'flow':* (safely quoted)."""
    words = re.findall(r"[^\W_]+", query.lower())[:MAX_TERMS]
    if not words:
        return None
    lexemes = Lexeme(words[0], prefix=True)
    for word in words[1:]:
        lexemes &= Lexeme(word, prefix=True)
    return SearchQuery(lexemes, config="simple")


def _relevance(query: str, field: str):
    """How well a title or name fits the whole query, 0…1 (PostgreSQL only)."""
    return TrigramWordSimilarity(unicodedata.normalize("NFD", query), Decomposed(field))


def search_sessions(query: str, *, conference=None) -> QuerySet[Session]:
    """Sessions with every word in the title, subtitle, abstract, track or a speaker's name.

    Title matches come first; then on PostgreSQL the best full-text rank (a word in the title
    weighs more than in the subtitle) and the closest title; then the earliest.
    """
    terms = search_terms(query)
    sessions = Session.objects.select_related(
        "conference", "day", "room", "track"
    ).prefetch_related(
        # With the speakers' own conference: their links need its slug.
        speakers_prefetch(speaker_fields=("speaker__conference",))
    )
    if conference is not None:
        sessions = sessions.filter(conference=conference)
    if not terms:
        return sessions.none()
    typos = _typo_tolerant()
    matches = _every_term(terms, lambda term: _session_has(term, typos=typos))
    in_title = _every_term(terms, lambda term: _title_has(term, typos=typos))
    order = [Case(When(in_title, then=Value(0)), default=Value(1))]
    if typos:
        score = _relevance(query, "title")
        tsquery = _prefix_tsquery(query)
        if tsquery is not None:
            # Not the abstract: parsing every matching abstract would cost more than the rest
            # of the search, and an abstract-only match ranks after the title matches anyway.
            vector = SearchVector("title", weight="A", config="simple") + SearchVector(
                "subtitle", weight="B", config="simple"
            )
            score += SearchRank(vector, tsquery)
        order.append(score.desc())
    return sessions.filter(matches).order_by(*order, "starts_at", "pk")


def search_speakers(query: str, *, conference=None) -> QuerySet[Speaker]:
    """Speakers with every word in the name, affiliation or biography.

    Name matches first; then on PostgreSQL the closest names; then by name, and the same
    person at several conferences the most recent first.
    """
    terms = search_terms(query)
    speakers = Speaker.objects.select_related("conference").prefetch_related(
        Prefetch("sessions", queryset=Session.objects.select_related("conference"))
    )
    if conference is not None:
        speakers = speakers.filter(conference=conference)
    if not terms:
        return speakers.none()
    typos = _typo_tolerant()
    matches = _every_term(
        terms,
        lambda term: (
            _name_has(term, typos=typos) | Q(affiliation__icontains=term) | Q(bio__icontains=term)
        ),
    )
    in_name = _every_term(terms, lambda term: _name_has(term, typos=typos))
    order = [Case(When(in_name, then=Value(0)), default=Value(1))]
    if typos:
        order.append(_relevance(query, "name").desc())
    return speakers.filter(matches).order_by(*order, "name", "-conference__start_date", "pk")


def search_notes(query: str, *, user, conference=None) -> QuerySet[Note]:
    """The user's own notes (never anyone else's) with every word in the body; newest first."""
    terms = search_terms(query)
    notes = Note.objects.owned_by(user).select_related("session__conference")
    if conference is not None:
        notes = notes.filter(session__conference=conference)
    if not terms:
        return notes.none()
    matches = _every_term(terms, lambda term: Q(body__icontains=term))
    return notes.filter(matches).order_by("-updated_at", "-pk")
