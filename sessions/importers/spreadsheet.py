"""Programme spreadsheets, CSV and XLSX: one row per session under a header row that names the
columns (spreadsheet_columns.py), read into the same Schedule as frab XML and C3VOC JSON.

A spreadsheet names no conference and no time zone, so it is always read for a conference that
exists: its dates and times are in that conference's zone, and its days, rooms and tracks are
kept (a spreadsheet adds to them, never removes them).

Identity across re-imports: a row with an id is that id; a row without one is its title (case
and spacing aside), and rows with the same title (a lunch each day) are told apart by their
order in time. Either becomes a stable guid, so the planner matches sessions as for any file.
"""

import re
import unicodedata
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.importers.build import HUGI_NAMESPACE, ScheduleBuilder
from sessions.importers.errors import ScheduleError, quoted, short
from sessions.importers.schedule import ConferenceInfo, Schedule, SessionInfo
from sessions.importers.spreadsheet_columns import ONE_OF, REQUIRED, header_key
from sessions.importers.spreadsheet_files import (
    HEADER_SEARCH_ROWS,
    MOST_ROWS,
    check_workbook,
    csv_delimiter,
    csv_rows,
    csv_text,
    is_workbook,
    where_of,
    xlsx_rows,
)
from sessions.importers.spreadsheet_values import (
    cell_clock,
    cell_date,
    cell_duration,
    cell_kind,
    cell_language,
    cell_text,
)
from sessions.importers.text import clean_line, clean_text
from sessions.importers.times import LONGEST_SESSION
from sessions.importers.values import MAX, clean_id
from sessions.models import Day, Room, Session, Track

SPEAKER_SEPARATORS = re.compile(r"[,;\n]")


def read(data: bytes, source: str, conference) -> Schedule | None:
    """The schedule a spreadsheet holds, for conference; None when data is no spreadsheet."""
    if is_workbook(data):
        check_workbook(data, source)
        return _Sheet(source, "XLSX", _required(conference, source)).read(xlsx_rows(data, source))
    text = csv_text(data)
    delimiter = csv_delimiter(text) if text is not None else None
    if delimiter is None:
        return None
    sheet = _Sheet(source, "CSV", _required(conference, source), strict_width=True)
    return sheet.read(csv_rows(text, delimiter, source))


def _required(conference, source):
    if conference is None or conference.pk is None:
        raise ScheduleError(
            _(
                "%(source)s: a spreadsheet names no conference and no time zone: import it "
                "into a conference that exists (Import schedule on its admin page, or "
                "--conference SLUG)"
            )
            % {"source": source}
        )
    return conference


class _Header:
    """Which column holds what, from the header row; the names as written, for messages."""

    def __init__(self, cells, number, source):
        self.index, self.names, self.ignored = {}, {}, []
        self.width = 0
        for position, cell in enumerate(cells):
            text = clean_line(cell_text(cell, where_of(source, number)), 100)
            key = header_key(text)
            if text:
                self.width = position + 1
            if not key:
                if text:
                    self.ignored.append(text)
            elif key in self.index:
                raise ScheduleError(
                    _("%(where)s: the header row names the column %(column)s twice")
                    % {"where": where_of(source, number), "column": short(text)}
                )
            else:
                self.index[key], self.names[key] = position, text
        missing = [key for key in REQUIRED if key not in self.index]
        if not any(key in self.index for key in ONE_OF):
            missing.append(_(" or ").join(ONE_OF))
        if missing:
            raise ScheduleError(
                _("%(where)s: the header row has no column %(columns)s")
                % {"where": where_of(source, number), "columns": ", ".join(missing)}
            )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Sheet:
    def __init__(self, source, format, conference, *, strict_width=False):
        self.source, self.conference, self.strict_width = source, conference, strict_width
        info = ConferenceInfo(
            title=conference.name,
            acronym=conference.acronym,
            timezone=conference.timezone,
            url=conference.website,
        )
        self.builder = ScheduleBuilder(source=source, format=format, conference=info)
        self.builder.tz = conference.tz
        self.rows = []  # (row number, SessionInfo, id)

    def read(self, rows) -> Schedule:
        header, header_number = self._header(rows)
        self._add_stored()
        for number, cells in rows:
            if number > header_number + MOST_ROWS:
                raise ScheduleError(
                    _("%(source)s: more than %(count)d rows below the header row")
                    % {"source": self.source, "count": MOST_ROWS}
                )
            values = self._values(header, number, cells)
            if values is not None:
                self._read_row(header, number, values)
        if not self.rows:
            raise ScheduleError(
                _("%(source)s: no sessions: nothing under the header row") % {"source": self.source}
            )
        self._identify()
        for number, session, _id in self.rows:
            self.builder.add_session(session, where=where_of(self.source, number))
        return self._schedule(header)

    def _header(self, rows):
        for number, cells in rows:
            if any(header_key(cell_text(cell, where_of(self.source, number))) for cell in cells):
                return _Header(cells, number, self.source), number
            if number >= HEADER_SEARCH_ROWS:
                break
        raise ScheduleError(
            _("%(source)s: no header row naming the columns date, start and title")
            % {"source": self.source}
        )

    def _add_stored(self):
        """The conference's days, rooms (in their order) and tracks (with their colours) stay."""
        conference, builder = self.conference, self.builder
        for day in Day.objects.filter(conference=conference).order_by("date"):
            builder.add_day(where=self.source, date_value=day.date.isoformat(), start="", end="")
        for room in Room.objects.filter(conference=conference).order_by("order", "pk"):
            builder.add_room(room.name, room.source_guid)
        for track in Track.objects.filter(conference=conference).order_by("order", "pk"):
            builder.add_track(track.name, track.color)

    def _values(self, header, number, cells) -> dict | None:
        """The row's cells by column key; None for a blank row."""
        cells = list(cells)
        if self.strict_width and any(not _blank(cell) for cell in cells[header.width :]):
            raise ScheduleError(
                _("%(where)s: a cell under no column name (a comma in a text without quotes?)")
                % {"where": where_of(self.source, number)}
            )
        values = {
            key: cells[index] if index < len(cells) else None for key, index in header.index.items()
        }
        return None if all(_blank(value) for value in values.values()) else values

    def _read_row(self, header, number, values):
        def where(key):
            return where_of(self.source, number, header.names[key])

        def text(key):
            return cell_text(values.get(key), where(key)) if key in header.index else ""

        builder = self.builder
        title = clean_line(text("title"), MAX["title"])
        day = cell_date(self._filled(values, "date", where), where("date"))
        starts_at = datetime.combine(
            day, cell_clock(self._filled(values, "start", where), where("start"), day), builder.tz
        )
        if not title:
            raise _empty(where("title"))
        ends_at = self._end(header, number, values, starts_at, where)
        session = SessionInfo(
            guid="",
            source_id=clean_id(text("id"), MAX["source_id"]),
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            day=builder.add_day(
                where=where("date"), date_value=day.isoformat(), start="", end=""
            ).date,
            room=builder.add_room(text("room")),
            track=builder.add_track(text("track")),
            kind=cell_kind(text("kind"), where("kind") if "kind" in header.index else ""),
            language=clean_line(cell_language(text("language")), MAX["language"]),
            abstract=clean_text(text("abstract")),
            speakers=[
                builder.add_speaker(where=where("speakers"), name=name)
                for name in SPEAKER_SEPARATORS.split(text("speakers"))
                if clean_line(name)
            ],
        )
        self.rows.append((number, session, session.source_id))

    @staticmethod
    def _filled(values, key, where):
        if _blank(values.get(key)):
            raise _empty(where(key))
        return values[key]

    def _end(self, header, number, values, starts_at, where):
        """From the end (the next day if it is earlier than the start), else the duration;
        both given must agree."""
        end_value = values.get("end")
        duration_value = values.get("duration")
        ends_at = None
        if not _blank(end_value):
            clock = cell_clock(end_value, where("end"), starts_at.date())
            ends_at = datetime.combine(starts_at.date(), clock, starts_at.tzinfo)
            if ends_at == starts_at:
                message = _("%(where)s: the session ends when it starts")
                raise ScheduleError(message % {"where": where("end")})
            if ends_at < starts_at:
                ends_at += timedelta(days=1)
        if not _blank(duration_value):
            by_duration = starts_at + cell_duration(duration_value, where("duration"))
            if ends_at is not None and ends_at != by_duration:
                raise ScheduleError(
                    _("%(where)s: the end %(end)s and the duration %(duration)s disagree")
                    % {
                        "where": where_of(self.source, number),
                        "end": quoted(cell_text(end_value, "")),
                        "duration": quoted(cell_text(duration_value, "")),
                    }
                )
            ends_at = by_duration
        if ends_at is None:
            raise ScheduleError(
                _("%(where)s: neither an end nor a duration")
                % {"where": where_of(self.source, number)}
            )
        if ends_at - starts_at > LONGEST_SESSION:
            raise ScheduleError(
                _("%(where)s: the session lasts longer than %(longest)s hours")
                % {"where": where_of(self.source, number), "longest": "99:59"}
            )
        return ends_at

    def _identify(self):
        """A guid for each row: from its id, else from its title and its place in time among
        the rows with that title. Ids are unique in a sheet."""
        by_id, by_title = {}, defaultdict(list)
        for number, session, row_id in self.rows:
            if row_id:
                if row_id in by_id:
                    raise ScheduleError(
                        _("%(where)s: %(id)s is also the id of row %(other)d")
                        % {
                            "where": where_of(self.source, number, "id"),
                            "id": quoted(row_id),
                            "other": by_id[row_id],
                        }
                    )
                by_id[row_id] = number
                session.guid = self._guid(f"id:{row_id}")
            else:
                title = unicodedata.normalize("NFKC", session.title).casefold()
                by_title[title].append((session.starts_at, session.room, number, session))
        for title, sessions in by_title.items():
            for position, (*_order, session) in enumerate(sorted(sessions), start=1):
                session.guid = self._guid(f"title:{title}#{position}")

    def _guid(self, identity: str) -> str:
        return str(uuid.uuid5(HUGI_NAMESPACE, f"spreadsheet/{self.conference.pk}/{identity}"))

    def _schedule(self, header) -> Schedule:
        schedule = self.builder.build()
        info, conference = schedule.conference, self.conference
        # The conference's dates as typed, widened to take in the sheet's days.
        info.start = min(info.start, conference.start_date)
        info.end = max(info.end, conference.end_date)
        if header.ignored:
            schedule.warnings.append(
                _("%(source)s: columns hugi does not know were ignored: %(columns)s")
                % {"source": self.source, "columns": ", ".join(short(n) for n in header.ignored)}
            )
        typed = Session.objects.filter(conference=conference, source_guid="").count()
        if typed:
            schedule.warnings.append(
                ngettext(
                    "%(source)s: %(count)d session of this conference was typed into the "
                    "admin; rows are never matched with it, so the same session in the sheet "
                    "is added again",
                    "%(source)s: %(count)d sessions of this conference were typed into the "
                    "admin; rows are never matched with them, so the same sessions in the sheet "
                    "are added again",
                    typed,
                )
                % {"source": self.source, "count": typed}
            )
        return schedule


def _empty(where) -> ScheduleError:
    return ScheduleError(_("%(where)s: empty") % {"where": where})
