"""Spreadsheet import (CSV, XLSX): the demo programme imports into a conference and imports
again unchanged; rows are matched by id or else by title; the conference's zone gives the times;
days, rooms and tracks typed into the admin stay."""

from datetime import UTC, date, datetime, time

import pytest

from sessions.importers import parse_schedule, plan_import
from sessions.models import Room, Session, Track
from tests.sessions.spreadsheet_demo import (
    demo_conference,
    empty_conference,
    programme_rows,
    snapshot,
    to_csv,
    to_xlsx,
)

pytestmark = pytest.mark.django_db

MAKERS = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "xlsx-text-cells": lambda rows: to_xlsx(rows, typed=False),
    "csv-cp949-semicolons": lambda rows: to_csv(rows, encoding="cp949", delimiter=";"),
    "csv-utf8-no-bom-tabs": lambda rows: to_csv(rows, encoding="utf-8", delimiter="\t"),
}


def plan(data, conference, name="programme"):
    return plan_import(parse_schedule(data, name, conference=conference), slug=conference.slug)


def programme(conference):
    """What attendees see of each session, in the conference's zone."""
    return sorted(
        (
            session.title,
            session.starts_at.astimezone(conference.tz).isoformat(),
            session.ends_at.astimezone(conference.tz).isoformat(),
            session.day.date.isoformat(),
            session.room.name if session.room else "",
            session.track.name if session.track else "",
            tuple(speaker.name for speaker in session.ordered_speakers),
            session.kind,
            session.language,
            session.abstract,
            session.cancelled,
        )
        for session in Session.objects.filter(conference=conference).select_related(
            "day", "room", "track"
        )
    )


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_demo_programme_imports_and_reimports_unchanged(make):
    demo = demo_conference()
    target = empty_conference(like=demo)
    data = make(programme_rows(demo))

    first = plan(data, target)
    assert first.summary() == ["Created: 2 days, 4 rooms, 5 tracks, 38 speakers, 50 sessions"]
    first.apply()

    assert programme(target) == programme(demo)
    # The tracks came from the sheet: their colours from hugi's palette; the order of first use.
    assert Track.objects.filter(conference=target).count() == 5
    before = snapshot(target)
    again = plan(data, target)
    assert again.is_empty, again.changes[:3]
    again.apply()
    assert snapshot(target) == before


def test_times_are_in_the_conference_zone():
    conference = empty_conference()  # Asia/Seoul, UTC+9
    rows = [{"date": date(2025, 8, 15), "start": time(9, 30), "end": time(10, 0), "title": "A"}]

    plan(to_csv(rows), conference).apply()

    session = Session.objects.get()
    assert session.starts_at == datetime(2025, 8, 15, 0, 30, tzinfo=UTC)
    assert session.ends_at == datetime(2025, 8, 15, 1, 0, tzinfo=UTC)


def row(title="Talk", start=time(11, 0), **values):
    return {"date": date(2025, 8, 15), "start": start, "duration": 40, "title": title, **values}


def test_a_row_without_id_is_matched_by_title_so_moving_it_changes_it():
    conference = empty_conference()
    plan(
        to_csv([row(room="101"), row("Lunch", time(12, 0)), row("Lunch", time(12, 0))]), conference
    ).apply()
    session = Session.objects.get(title="Talk")

    moved = plan(
        to_csv(
            [
                row(start=time(14, 0), room="102"),
                row("LUNCH", time(12, 0)),
                row("Lunch", time(12, 0)),
            ]
        ),
        conference,
    )

    assert [(c.kind, c.action, c.name, c.fields) for c in moved.changes] == [
        ("room", "created", "102", []),
        ("session", "changed", "Talk", ["room", "starts_at", "ends_at"]),
        ("session", "changed", "LUNCH", ["title"]),
    ]
    moved.apply()
    session.refresh_from_db()
    assert (session.room.name, session.starts_at.hour) == ("102", 5)  # 14:00 in Seoul
    # The room the sheet no longer names stays: a spreadsheet never removes rooms.
    assert list(Room.objects.order_by("order").values_list("name", flat=True)) == ["101", "102"]
    assert Session.objects.filter(title__iexact="lunch").count() == 2


def test_a_row_with_an_id_keeps_its_session_when_retitled():
    conference = empty_conference()
    plan(to_csv([row(id="T1"), row("Other", id="T2")]), conference).apply()
    session = Session.objects.get(title="Talk")

    renamed = plan(to_csv([row("Talk, renamed", id="T1"), row("Other", id="T2")]), conference)

    assert [(c.action, c.name, c.fields) for c in renamed.changes] == [
        ("changed", "Talk, renamed", ["title"])
    ]
    renamed.apply()
    session.refresh_from_db()
    assert (session.title, session.source_id) == ("Talk, renamed", "T1")


def test_a_row_no_longer_in_the_sheet_is_cancelled_and_comes_back():
    conference = empty_conference()
    plan(to_csv([row("A"), row("B")]), conference).apply()

    without_b = plan(to_csv([row("A")]), conference)
    assert without_b.summary() == ["Removed: 1 session (marked cancelled, not deleted)"]
    without_b.apply()
    assert Session.objects.get(title="B").cancelled

    plan(to_csv([row("A"), row("B")]), conference).apply()
    assert not Session.objects.get(title="B").cancelled


def test_korean_headers_and_their_aliases_words_and_a_title_row_above_the_header():
    conference = empty_conference()
    header = [
        "id",
        "날짜",
        "시작",
        "끝",
        "길이",
        "장소",
        "트랙",
        "제목",
        "발표자",
        "요약",
        "언어",
        "종류",
    ]
    rows = [
        row(
            "키노트",
            room="101호",
            speakers="이서연; 정민준\nHannah Becker",
            kind="기조연설",
            language="한국어",
        ),
        row("점심", time(12, 30), kind="점심", language="영어", end=time(13, 10)),
        row("Closing", time(17, 0), end="오후 5:50", duration="", kind="Lightning talk"),
    ]
    data = to_xlsx(rows, header=header, typed=False, above=[["파이콘 한국 2025 시간표"], []])

    plan(data, conference).apply()

    sessions = {s.title: s for s in Session.objects.all()}
    keynote = sessions["키노트"]
    assert [s.name for s in keynote.ordered_speakers] == ["이서연", "정민준", "Hannah Becker"]
    assert (keynote.kind, keynote.language, keynote.room.name) == ("keynote", "ko", "101호")
    assert (sessions["점심"].kind, sessions["점심"].language) == ("break", "en")
    closing = sessions["Closing"]
    assert (closing.kind, closing.duration.seconds) == ("lightning", 50 * 60)


def test_an_end_before_the_start_is_the_next_day():
    conference = empty_conference()
    plan(to_csv([row("Party", time(22, 0), duration="", end=time(1, 0))]), conference).apply()

    assert Session.objects.get().duration.seconds == 3 * 3600


def test_admin_days_rooms_and_tracks_stay_and_keep_their_order():
    conference = empty_conference()
    Room.objects.create(conference=conference, name="Hall", slug="hall", order=0)
    Room.objects.create(conference=conference, name="Annex", slug="annex", order=1)
    Track.objects.create(conference=conference, name="Web", slug="web", color="#123456")

    result = plan(to_csv([row(room="Annex", track="Web"), row("B", room="New")]), conference)

    assert result.summary() == ["Created: 1 day, 1 room, 2 sessions"]
    result.apply()
    assert list(Room.objects.order_by("order").values_list("name", flat=True)) == [
        "Hall", "Annex", "New",
    ]  # fmt: skip
    assert Track.objects.get().color == "#123456"


def test_the_conference_dates_widen_to_the_sheet_and_never_shrink():
    conference = empty_conference()  # 15-16 August

    plan(to_csv([row(date=date(2025, 8, 14))]), conference).apply()

    conference.refresh_from_db()
    assert (conference.start_date, conference.end_date) == (date(2025, 8, 14), date(2025, 8, 16))
    assert conference.name == "Sheet Conference"  # the sheet names no conference: unchanged


def test_sessions_typed_into_the_admin_are_left_alone_with_a_warning():
    demo = demo_conference()

    result = plan(to_csv([row("New one")]), demo)

    assert result.schedule.warnings == [
        "programme: 50 sessions of this conference were typed into the admin; rows are never "
        "matched with them, so the same sessions in the sheet are added again"
    ]
    assert result.summary() == ["Created: 1 session"]


def test_unknown_columns_are_ignored_with_a_warning():
    conference = empty_conference()
    data = to_csv(
        [row()],
        header=[
            *["id", "date", "start", "end", "duration"],
            "room",
            "track",
            "title",
            "speakers",
            "abstract",
            "language",
            "비고",
        ],
    )

    result = plan(data, conference)

    assert result.schedule.warnings == ["programme: columns hugi does not know were ignored: 비고"]
