"""How a recorded change reads (notes/change_lines.py): values in the reader's words, one entry
per session, several versions folded from first to last."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from notes.change_lines import count_phrases, net_status, read_value, session_changes
from sessions.versions import ScheduleChange

Kind = ScheduleChange.Kind
AT = datetime(2025, 8, 15, 5, 0, tzinfo=UTC)


def row(kind, old="", new="", session_id=1, title="Talk"):
    """A change row as the selectors load it (the session's slug with it)."""
    return SimpleNamespace(
        session_id=session_id,
        session=SimpleNamespace(slug=f"talk-{session_id}"),
        session_title=title,
        starts_at=AT,
        kind=kind,
        old=old,
        new=new,
    )


@pytest.mark.parametrize(
    ("kind", "value", "english", "korean"),
    [
        (Kind.DAY, "2025-08-16", "August 16 (Sat)", "8월 16일 (토)"),
        (Kind.TIME, "14:00–14:40", "14:00–14:40", "14:00–14:40"),
        (Kind.TIME, "2019-12-28 00:30–01:10", "December 28 (Sat) 00:30–01:10", "12월 28일 (토) 00:30–01:10"),
        (Kind.ROOM, "Hall A", "Hall A", "Hall A"),
        (Kind.ROOM, "", "no room", None),
        (Kind.SPEAKERS, "", "nobody", None),
        (Kind.DAY, "not a date", "not a date", "not a date"),
    ],
)  # fmt: skip
def test_values_read_in_the_readers_language(kind, value, english, korean):
    with translation.override("en"):
        assert read_value(kind, value) == english
    if korean is not None:
        with translation.override("ko"):
            assert read_value(kind, value) == korean


def test_one_entry_per_session_with_a_line_per_value_in_badge_order():
    [entry] = session_changes(
        [row(Kind.ROOM, "102호", "101호"), row(Kind.TIME, "10:00–10:40", "14:00–14:40")],
        url_for=lambda slug: f"/x/{slug}/",
    )
    assert entry.kinds == [Kind.TIME, Kind.ROOM]
    assert [(line.name, line.old, line.new) for line in entry.lines] == [
        ("Time", "10:00–10:40", "14:00–14:40"),
        ("Room", "102호", "101호"),
    ]
    assert entry.badges == [("moved", "Moved"), ("room", "Room changed")]
    assert entry.url == "/x/talk-1/"
    assert entry.was == "Was 10:00–10:40 in 102호."


def test_several_versions_fold_from_the_first_value_to_the_last():
    rows = [
        row(Kind.TIME, "10:00–10:40", "11:00–11:40"),
        row(Kind.TIME, "11:00–11:40", "12:00–12:40"),
        row(Kind.ROOM, "A", "B", session_id=2),
        row(Kind.ROOM, "B", "A", session_id=2),  # back where it was: nothing to tell
    ]
    [entry] = session_changes(rows)
    assert [(line.old, line.new) for line in entry.lines] == [("10:00–10:40", "12:00–12:40")]


@pytest.mark.parametrize(
    ("kinds", "stands"),
    [
        ([Kind.CANCELLED], [Kind.CANCELLED]),
        ([Kind.RESTORED], [Kind.RESTORED]),
        ([Kind.CANCELLED, Kind.RESTORED], []),
        ([Kind.RESTORED, Kind.CANCELLED], []),
        ([Kind.NEW], [Kind.NEW]),
        ([Kind.NEW, Kind.CANCELLED], [Kind.NEW, Kind.CANCELLED]),
        ([Kind.CANCELLED, Kind.RESTORED, Kind.CANCELLED], [Kind.CANCELLED]),
    ],
)
def test_status_changes_that_undo_each_other_are_none(kinds, stands):
    assert net_status(kinds) == stands


def test_the_old_values_as_a_sentence():
    [entry] = session_changes(
        [
            row(Kind.DAY, "2025-08-15", "2025-08-16"),
            row(Kind.TIME, "10:00–10:40", "14:00–14:40"),
            row(Kind.TITLE, "Old", "New"),
            row(Kind.SPEAKERS, "Ann, Bo", "Ann"),
        ]
    )
    assert entry.was == (
        "Was August 15 (Fri) 10:00–10:40. Was called “Old”. Speakers were: Ann, Bo."
    )
    [roomless] = session_changes([row(Kind.ROOM, "", "Hall A")])
    assert roomless.was == ""


def test_counts_read_as_phrases_in_badge_order():
    counts = {Kind.ROOM: 2, Kind.NEW: 1, Kind.TIME: 3, Kind.SPEAKERS: 1}
    assert count_phrases(counts) == ["1 new", "3 moved", "2 room changes", "1 speaker change"]
