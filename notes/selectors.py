"""Reads of a person's own things that several pages need."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from notes.change_lines import SessionChanges, session_changes
from notes.models import ChangesSeen, Note, Star
from sessions.models import Conference, Session
from sessions.versions import ScheduleChange


def starred_session_ids(user, conference=None) -> set[int]:
    """Ids of the sessions (of one conference, or all) that the user starred; one query."""
    if not user.is_authenticated:
        return set()
    stars = Star.objects.filter(user=user)
    if conference is not None:
        stars = stars.filter(session__conference=conference)
    return set(stars.values_list("session_id", flat=True))


def my_note(user, session) -> Note | None:
    return Note.objects.owned_by(user).filter(session=session).first()


# --- /me/ -------------------------------------------------------------------------------------


@dataclass
class StarredDay:
    conference: Conference
    date: date
    label: str
    sessions: list[Session]  # each with .clashes: the other starred sessions it overlaps


@dataclass
class NowAndNext:
    conference: Conference
    now: list[Session] = field(default_factory=list)
    next: list[Session] = field(default_factory=list)


def starred_days(user) -> list[StarredDay]:
    """The user's starred sessions grouped by conference day, overlaps marked (two queries)."""
    sessions = [
        star.session
        for star in Star.objects.filter(user=user)
        .select_related("session__conference", "session__day", "session__room")
        .prefetch_related("session__session_speakers__speaker")
        .order_by("session__starts_at", "session__id")
    ]
    mark_clashes(sessions)
    for session in sessions:
        session.is_starred = True
    days = []
    for _key, group in groupby(sessions, key=lambda s: (s.conference_id, s.day_id)):
        group = list(group)
        first = group[0]
        days.append(
            StarredDay(
                conference=first.conference,
                date=first.day.date,
                label=str(first.day),
                sessions=group,
            )
        )
    days.sort(key=lambda d: (d.date, d.conference.name))
    return days


def mark_clashes(sessions: list[Session]) -> None:
    """Give every session a .clashes list: the others in the list whose times overlap it."""
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for session in ordered:
        session.clashes = []
    for index, session in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.starts_at >= session.ends_at:
                break
            if later.cancelled or session.cancelled:
                continue
            session.clashes.append(later)
            later.clashes.append(session)


def my_notes(user):
    """The user's notes, most recently changed first, with what the list shows: its excerpt
    comes from the HTML, so the Markdown (as long again, and growing through a talk) stays in
    the database."""
    return (
        Note.objects.owned_by(user)
        .select_related("session__conference", "session__day")
        .defer("body")
        .order_by("-updated_at")
    )


def my_conferences(user):
    """Conferences in which the user starred a session or wrote a note."""
    # Two subqueries on the user's own rows: joining sessions to all their stars and all their
    # notes and then filtering by user grows with everybody's (30 ms at 400 note-takers on 36C3).
    return Conference.objects.filter(
        Q(pk__in=Star.objects.filter(user=user).values("session__conference_id"))
        | Q(pk__in=Note.objects.filter(author=user).values("session__conference_id"))
    )


def running_conferences(moment: datetime) -> list[Conference]:
    """Conferences whose dates include today in their own time zone."""
    utc_today = moment.date()
    candidates = Conference.objects.filter(
        start_date__lte=utc_today + timedelta(days=1), end_date__gte=utc_today - timedelta(days=1)
    )
    return [
        conference
        for conference in candidates
        if conference.start_date
        <= timezone.localtime(moment, conference.tz).date()
        <= conference.end_date
    ]


def now_and_next(user, moment: datetime) -> list[NowAndNext]:
    """For each running conference: what is on now and what starts next, starred first.

    A fixed number of queries whatever the number of conferences and sessions.
    """
    conferences = running_conferences(moment)
    if not conferences:
        return []
    boards = {conference.pk: NowAndNext(conference=conference) for conference in conferences}
    starred = starred_session_ids(user)
    # Cancelled sessions are left out, but the user's own starred ones: those say so.
    on = Q(cancelled=False) | Q(Exists(Star.objects.filter(user=user, session=OuterRef("pk"))))
    listed = Session.objects.with_related().filter(on).exclude(kind=Session.Kind.BREAK)
    for session in listed.filter(conference__in=conferences).happening_at(moment):
        boards[session.conference_id].now.append(session)
    next_starts = (
        Session.objects.filter(on, conference__in=conferences, starts_at__gt=moment)
        .exclude(kind=Session.Kind.BREAK)
        .values("conference")
        .annotate(first=Min("starts_at"))
    )
    slots = Q()
    for row in next_starts:
        tz = boards[row["conference"]].conference.tz
        # "Next" is for today: tomorrow's first talk is not what is on next in this hall.
        if timezone.localtime(row["first"], tz).date() == timezone.localtime(moment, tz).date():
            slots |= Q(conference=row["conference"], starts_at=row["first"])
    if slots:
        for session in listed.filter(slots):
            boards[session.conference_id].next.append(session)
    for board in boards.values():
        for sessions in (board.now, board.next):
            for session in sessions:
                session.is_starred = session.pk in starred
            sessions.sort(
                key=lambda s: (not s.is_starred, s.starts_at, s.room.order if s.room else 0)
            )
    return list(boards.values())


# --- what changed since the user last looked --------------------------------------------------


@dataclass
class ChangedStars:
    """A conference's changes to the user's starred sessions that they have not seen yet."""

    conference: Conference
    version: int  # the newest version among them: what "Dismiss" marks as seen
    sessions: list[SessionChanges]  # each with .session: the starred session as it is now


def unseen_changes(user):
    """Changes to the user's starred sessions in the versions after the one they last saw on
    its conference, and after they starred it (they saw it as it was then): oldest first."""
    seen = ChangesSeen.objects.filter(user=user, conference=OuterRef("version__conference")).values(
        "version_number"
    )
    return (
        ScheduleChange.objects.filter(
            session__stars__user=user,
            version__created_at__gt=F("session__stars__created_at"),
        )
        .annotate(seen=Coalesce(Subquery(seen), Value(0)))
        .filter(version__number__gt=F("seen"))
        .select_related("version", "session")
        .order_by("version__conference_id", "version__number", "starts_at", "pk")
    )


def changed_stars(user, starred: list[Session]) -> list[ChangedStars]:
    """The user's starred sessions (starred: all of them, conference loaded and clashes
    marked, as starred_days gives them) touched since they last looked, by conference, each
    with what changed. One query."""
    by_pk = {session.pk: session for session in starred}
    rows = [row for row in unseen_changes(user) if row.session_id in by_pk]
    found = []
    for _conference, group in groupby(rows, key=lambda row: row.version.conference_id):
        group = list(group)
        entries = session_changes(group)
        for entry in entries:
            entry.session = by_pk[entry.session_id]
            entry.url = entry.session.get_absolute_url()
        if not entries:
            continue
        entries.sort(key=lambda entry: (entry.session.starts_at, entry.session.pk))
        found.append(
            ChangedStars(
                conference=entries[0].session.conference,
                version=max(row.version.number for row in group),
                sessions=entries,
            )
        )
    found.sort(key=lambda changed: (changed.conference.start_date, changed.conference.name))
    return found


def seen_version(user, conference) -> int:
    """The version of the conference whose changes the user last marked as seen (0: none)."""
    if not user.is_authenticated:
        return 0
    seen = ChangesSeen.objects.filter(user=user, conference=conference)
    return seen.values_list("version_number", flat=True).first() or 0
