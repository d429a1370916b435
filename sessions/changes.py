"""How a version's changes are counted in words, for the sync's and the import's one line, the
admin and the changes page: "3 moved, 1 cancelled, 2 new"."""

from collections.abc import Iterable, Mapping

from django.utils.translation import ngettext_lazy

from sessions.versions import ScheduleChange

Kind = ScheduleChange.Kind

COUNT_PHRASES = {
    Kind.NEW: ngettext_lazy("%(count)d new", "%(count)d new", "count"),
    Kind.CANCELLED: ngettext_lazy("%(count)d cancelled", "%(count)d cancelled", "count"),
    Kind.RESTORED: ngettext_lazy("%(count)d back on", "%(count)d back on", "count"),
    Kind.DAY: ngettext_lazy(
        "%(count)d moved to another day", "%(count)d moved to another day", "count"
    ),
    Kind.TIME: ngettext_lazy("%(count)d moved", "%(count)d moved", "count"),
    Kind.ROOM: ngettext_lazy("%(count)d room change", "%(count)d room changes", "count"),
    Kind.TITLE: ngettext_lazy("%(count)d retitled", "%(count)d retitled", "count"),
    Kind.SPEAKERS: ngettext_lazy("%(count)d speaker change", "%(count)d speaker changes", "count"),
}
# Staff read what moved first; the changes page orders by its badges instead.
STAFF_ORDER = [
    Kind.TIME,
    Kind.DAY,
    Kind.ROOM,
    Kind.TITLE,
    Kind.SPEAKERS,
    Kind.CANCELLED,
    Kind.RESTORED,
    Kind.NEW,
]


def count_phrases(counts: Mapping[str, int], order: Iterable[str] = STAFF_ORDER) -> list[str]:
    """{kind: number} → ["3 moved", "1 cancelled"], in the given order of kinds."""
    return [COUNT_PHRASES[kind] % {"count": counts[kind]} for kind in order if counts.get(kind)]


def changes_phrase(counts: Mapping[str, int]) -> str:
    """A version's counts as one line: "3 moved, 1 cancelled, 2 new"."""
    return ", ".join(count_phrases(counts))
