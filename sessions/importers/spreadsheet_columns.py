"""The columns of a programme spreadsheet: their names in English and Korean (either is read,
whatever language the admin is in), which are required, and the words the kind and language
columns understand besides the stored values.

docs/import.md and the downloadable template describe the same columns.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sessions.models import Session


@dataclass(frozen=True)
class Column:
    key: str  # the English header, and how the code names the column
    korean: str  # the Korean header (the admin's word for it)
    meaning: object  # a lazy translated sentence for the template and the import page
    aliases: tuple = ()  # other headers read as this column


COLUMNS = [
    Column("id", "id", _("Optional. Your own id of the session (any text, unique in the sheet). "
           "With an id, a session keeps its identity when its title changes.")),
    Column("date", "날짜", _("The day, like 2025-08-15.")),
    Column("start", "시작", _("The start time, like 09:30 (24-hour clock), in the conference's "
           "time zone."), aliases=("시작 시각",)),
    Column("end", "끝", _("The end time, like 10:10; earlier than the start means the next day. "
           "Give an end or a duration."), aliases=("종료", "종료 시각")),
    Column("duration", "길이", _("Instead of an end: minutes (40) or hours and minutes (1:30).")),
    Column("room", "발표장", _("The room's name; empty for a session in no room (a break)."),
           aliases=("장소",)),
    Column("track", "트랙", _("The track's name; may be empty.")),
    Column("title", "제목", _("The session's title. Required.")),
    Column("speakers", "발표자", _("Speakers' names in billing order, separated by commas, "
           "semicolons or line breaks.")),
    Column("abstract", "초록", _("The abstract, in Markdown; may span lines."), aliases=("요약",)),
    Column("language", "언어", _("A language code like ko or en (Korean, English, 한국어 and 영어 "
           "are understood too).")),
    Column("kind", "유형", _("talk, keynote, tutorial, workshop, lightning, panel, break or "
           "other (or the Korean names); empty means talk."), aliases=("종류",)),
]  # fmt: skip
KEYS = [column.key for column in COLUMNS]
REQUIRED = ["date", "start", "title"]
ONE_OF = ["end", "duration"]  # at least one of these

# Header text (lower case, spaces squeezed) → column key.
HEADERS = {
    name: column.key for column in COLUMNS for name in (column.key, column.korean, *column.aliases)
}

# Words for the kind column besides the values themselves and what values.kind_for_type knows.
KIND_WORDS = {
    "발표": Session.Kind.TALK,
    "강연": Session.Kind.TALK,
    "키노트": Session.Kind.KEYNOTE,
    "기조연설": Session.Kind.KEYNOTE,
    "기조 연설": Session.Kind.KEYNOTE,
    "튜토리얼": Session.Kind.TUTORIAL,
    "워크숍": Session.Kind.WORKSHOP,
    "워크샵": Session.Kind.WORKSHOP,
    "라이트닝 토크": Session.Kind.LIGHTNING,
    "라이트닝": Session.Kind.LIGHTNING,
    "패널": Session.Kind.PANEL,
    "패널 토론": Session.Kind.PANEL,
    "휴식": Session.Kind.BREAK,
    "쉬는 시간": Session.Kind.BREAK,
    "점심": Session.Kind.BREAK,
    "등록": Session.Kind.BREAK,
    "기타": Session.Kind.OTHER,
    "lightning talk": Session.Kind.LIGHTNING,
}
LANGUAGE_WORDS = {
    "korean": "ko",
    "한국어": "ko",
    "한국말": "ko",
    "english": "en",
    "영어": "en",
}


def header_key(text) -> str:
    """The column a header cell names, or "" for one hugi does not know."""
    return HEADERS.get(" ".join(str(text or "").split()).lower(), "")


def header_names(language: str) -> list[str]:
    """The header row of the template in the admin's language."""
    return [column.korean if language == "ko" else column.key for column in COLUMNS]
