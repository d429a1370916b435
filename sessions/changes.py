"""Reading a programme's versions and changes (sessions/recording.py writes them): for the
changes page and its feed, the badges on the timeline and session pages, and a person's starred
sessions that changed since they last looked. Each function runs a fixed number of queries.

A conference may be given as a Conference, a change Stamp (sessions/stamp.py) or its id.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db.models import Max, Prefetch, Q, Subquery
from django.utils.translation import ngettext

from sessions.versions import ScheduleChange, ScheduleVersion

Kind = ScheduleChange.Kind
# What the changes page needs of a session (its link): not its texts.
HEAVY_SESSION_FIELDS = (
    "session__abstract",
    "session__abstract_html",
    "session__description",
    "session__description_html",
    "session__links",
)


def _id(conference) -> int:
    return conference if isinstance(conference, int) else conference.pk


def current_version(conference) -> ScheduleVersion | None:
    """The conference's latest version, None before its first (one query)."""
    return ScheduleVersion.objects.filter(conference_id=_id(conference)).order_by("-number").first()


def current_numbers(conferences: Iterable) -> dict[int, int]:
    """{conference id: its latest version number} (0 when it has none yet), in one query."""
    ids = [_id(conference) for conference in conferences]
    found = dict(
        ScheduleVersion.objects.filter(conference_id__in=ids)
        .order_by()
        .values_list("conference_id")
        .annotate(latest=Max("number"))
        .values_list("conference_id", "latest")
    )
    return {pk: found.get(pk, 0) for pk in ids}


def latest_changes(conference, *, since: datetime | None = None) -> dict[int, list[ScheduleChange]]:
    """{session id: its changes} in the conference's latest version, and with since, in every
    version made since then too (e.g. the last 24 hours): for the badges. Newest version first,
    each change with its version; sessions since deleted are left out. One query."""
    conference_id = _id(conference)
    latest = (
        ScheduleVersion.objects.filter(conference_id=conference_id)
        .order_by("-number")
        .values("pk")[:1]
    )
    which = Q(version_id=Subquery(latest))
    if since is not None:
        which |= Q(version__created_at__gte=since)
    changes = (
        ScheduleChange.objects.filter(which, version__conference_id=conference_id)
        .exclude(session_id=None)
        .select_related("version")
        .order_by("-version__number", "pk")
    )
    return _by_session(changes)


def versions_with_changes(
    conference, *, limit: int = 20, before: int | None = None
) -> list[ScheduleVersion]:
    """The conference's versions, newest first, at most limit of them (those numbered below
    before, for the next page); each one's changes in version.changes.all(), by start time,
    with change.session (None once deleted) for its link. Two queries."""
    versions = ScheduleVersion.objects.filter(conference_id=_id(conference))
    if before is not None:
        versions = versions.filter(number__lt=before)
    changes = (
        ScheduleChange.objects.select_related("session")
        .defer(*HEAVY_SESSION_FIELDS)
        .order_by("starts_at", "session_title", "pk")
    )
    return list(
        versions.order_by("-number").prefetch_related(Prefetch("changes", queryset=changes))[:limit]
    )


def changes_since(conference, number: int, session_ids: Iterable[int]) -> dict[int, list]:
    """{session id: its changes} in the conference's versions after version `number`, for
    these sessions only (a person's starred ones); oldest first, each with its version. One
    query."""
    return changes_since_each({_id(conference): number}, session_ids)


def changes_since_each(seen: Mapping, session_ids: Iterable[int]) -> dict[int, list]:
    """changes_since() for several conferences at once: seen maps each conference (id) to the
    last version number seen there; conferences not in it are left out. One query."""
    which = Q()
    for conference, number in seen.items():
        which |= Q(version__conference_id=_id(conference), version__number__gt=number)
    if not which:
        return {}
    changes = (
        ScheduleChange.objects.filter(which, session_id__in=list(session_ids))
        .select_related("version")
        .order_by("version__conference_id", "version__number", "pk")
    )
    return _by_session(changes)


def _by_session(changes) -> dict[int, list[ScheduleChange]]:
    grouped = defaultdict(list)
    for change in changes:
        grouped[change.session_id].append(change)
    return dict(grouped)


def changes_phrase(counts: Mapping[str, int]) -> str:
    """A version's counts as people read them: "3 moved, 1 cancelled, 2 new"."""
    phrases = {
        Kind.TIME: lambda n: ngettext("%(count)d moved", "%(count)d moved", n),
        Kind.DAY: lambda n: ngettext(
            "%(count)d moved to another day", "%(count)d moved to another day", n
        ),
        Kind.ROOM: lambda n: ngettext("%(count)d changed room", "%(count)d changed room", n),
        Kind.TITLE: lambda n: ngettext("%(count)d retitled", "%(count)d retitled", n),
        Kind.SPEAKERS: lambda n: ngettext(
            "%(count)d with other speakers", "%(count)d with other speakers", n
        ),
        Kind.CANCELLED: lambda n: ngettext("%(count)d cancelled", "%(count)d cancelled", n),
        Kind.RESTORED: lambda n: ngettext("%(count)d restored", "%(count)d restored", n),
        Kind.NEW: lambda n: ngettext("%(count)d new", "%(count)d new", n),
    }
    return ", ".join(
        phrase(counts[kind]) % {"count": counts[kind]}
        for kind, phrase in phrases.items()
        if counts.get(kind)
    )
