"""Keeping a conference's programme in step with its source (sync_schedules, every few minutes).

For each enabled ScheduleSource: a conditional GET with the validators of the last fetch; a 304,
or the very content applied last time, changes nothing. New content is parsed and planned like
an import and applied as a new schedule version (origin "sync") — unless it would cancel more
than SCHEDULE_SYNC_HOLD_SHARE of the conference's sessions or leave a day that has sessions with
none: then it is kept as a HeldSchedule for staff to apply or reject in the admin (a truncated
export must not wipe a conference). Every outcome is written on the source, failures included,
and the programme is never touched by a fetch or a file that fails.

Two machines may run it at once: the apply happens under the conference's programme lock
(recording.lock_programme), and whoever comes second finds the content already applied.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.changes import changes_phrase
from sessions.importers import ScheduleError, parse_schedule, plan_import
from sessions.importers.apply import REMOVED, ImportPlan
from sessions.importers.errors import one_line
from sessions.importers.sources import Source, fetch_url
from sessions.models import Day, Session
from sessions.recording import lock_programme
from sessions.versions import HeldSchedule, ScheduleSource, ScheduleVersion

OUTCOME_LENGTH = ScheduleSource._meta.get_field("outcome").max_length
REASON_LENGTH = HeldSchedule._meta.get_field("reason").max_length

APPLIED, NOT_MODIFIED, UPDATED, HELD, FAILED, OFF = (
    "applied",
    "not modified",
    "updated",
    "held",
    "failed",
    "off",
)


@dataclass
class SyncResult:
    slug: str
    status: str  # one of APPLIED, NOT_MODIFIED, UPDATED, HELD, FAILED, OFF
    message: str  # what happened, one line: "version 4 — 3 moved, 1 cancelled, 2 new"
    version: ScheduleVersion | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def line(self) -> str:
        return f"{self.slug}: {self.message}"


def sources_to_sync(slug: str = ""):
    """The sources sync_schedules fetches: every enabled one, or the named conference's."""
    sources = ScheduleSource.objects.select_related("conference").order_by("conference__slug")
    if slug:
        return sources.filter(conference__slug=slug)
    return sources.filter(enabled=True)


def sync_source(source: ScheduleSource) -> SyncResult:
    """Fetch, and apply or hold, one conference's programme; the outcome is written on the
    source. Never raises for what the source sends."""
    slug = source.conference.slug
    if not source.enabled:
        return SyncResult(slug, OFF, _("sync is off"))
    try:
        fetched = fetch_url(source.url, etag=source.etag, last_modified=source.last_modified)
    except ScheduleError as exc:
        return _finish(source, SyncResult(slug, FAILED, str(exc)))
    if fetched.not_modified:
        return _finish(source, _not_modified(slug), fetched)
    digest = hashlib.sha256(fetched.data).hexdigest()
    if digest == source.content_sha256:
        return _finish(source, _not_modified(slug), fetched, digest)
    try:
        schedule = parse_schedule(fetched.data, source.url, conference=source.conference)
        with transaction.atomic():
            return _apply(source, fetched, digest, schedule)
    except ScheduleError as exc:
        return _finish(source, SyncResult(slug, FAILED, str(exc)))


def _apply(source, fetched: Source, digest: str, schedule) -> SyncResult:
    conference = source.conference
    slug = conference.slug
    lock_programme(conference.pk)
    # Another machine may have applied this very content while we waited for the lock.
    if ScheduleSource.objects.filter(pk=source.pk, content_sha256=digest).exists():
        return _finish(source, _not_modified(slug), fetched, digest)
    plan = plan_import(schedule, slug=slug)
    reason = hold_reason(plan)
    if reason:
        hold(conference, source.url, fetched.data, reason, plan.summary())
        return _finish(source, SyncResult(slug, HELD, _("held — %(reason)s") % {"reason": reason}))
    plan.apply(origin=ScheduleVersion.Origin.SYNC, source=source.url)
    _forget_held(conference)
    return _finish(source, _applied(slug, plan), fetched, digest)


def _not_modified(slug) -> SyncResult:
    return SyncResult(slug, NOT_MODIFIED, _("not modified"))


def _applied(slug, plan: ImportPlan) -> SyncResult:
    version = plan.recorded.version if plan.recorded else None
    if version is not None:
        message = _("version %(number)d — %(changes)s") % {
            "number": version.number,
            "changes": changes_phrase(version.counts) or _("published"),
        }
        return SyncResult(slug, APPLIED, message, version)
    if plan.is_empty:
        return SyncResult(slug, UPDATED, _("no changes"))
    return SyncResult(slug, UPDATED, _("updated; no session moved, changed or was cancelled"))


def _finish(source, result: SyncResult, fetched: Source | None = None, digest: str = ""):
    """Write the outcome on the source. The validators and the digest are kept only for what
    was applied (or found unchanged): a held or failed file is fetched in full next time."""
    values = {
        "fetched_at": timezone.now(),
        "outcome": one_line(result.message, OUTCOME_LENGTH),
        "failed": result.failed,
    }
    if fetched is not None:
        values["etag"] = fetched.etag or (source.etag if fetched.not_modified else "")
        values["last_modified"] = fetched.last_modified or (
            source.last_modified if fetched.not_modified else ""
        )
    if digest:
        values["content_sha256"] = digest
    ScheduleSource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)
    return result


# --- holding ---------------------------------------------------------------------------------


def hold_reason(plan: ImportPlan) -> str:
    """Why this plan should wait for staff ("" when it may be applied): it cancels more than
    SCHEDULE_SYNC_HOLD_SHARE of the sessions not yet cancelled, or leaves a day that has
    sessions with none."""
    if plan.is_new:
        return ""
    conference = plan.conference
    stored = list(
        Session.objects.filter(conference=conference).values_list("pk", "day_id", "cancelled")
    )
    active = [pk for pk, _day, cancelled in stored if not cancelled]
    if not active:
        return ""
    cancelling = sum(
        1 for change in plan.changes if change.kind == "session" and change.action == REMOVED
    )
    share = cancelling / len(active)
    if share > settings.SCHEDULE_SYNC_HOLD_SHARE:
        return _(
            "would cancel %(percent)d %% of the programme (%(count)d of %(total)d sessions)"
        ) % {"percent": round(share * 100), "count": cancelling, "total": len(active)}
    emptied = _emptied_days(plan, stored)
    if emptied:
        return ngettext(
            "would leave %(days)s with no sessions",
            "would leave %(days)s with no sessions",
            len(emptied),
        ) % {"days": ", ".join(day.isoformat() for day in emptied)}
    return ""


def _emptied_days(plan: ImportPlan, stored) -> list:
    """The dates that have sessions (not cancelled) now and would have none after the plan."""
    dates = dict(Day.objects.filter(conference=plan.conference).values_list("pk", "date"))
    before = {pk: (dates[day_id], cancelled) for pk, day_id, cancelled in stored}
    after = dict(before)
    for session in plan.sessions.update + plan.sessions.create:
        # A new day is not saved yet (no day_id); the planner set it on the session.
        day = dates[session.day_id] if session.day_id else session.day.date
        after[session.pk or id(session)] = (day, session.cancelled)
    having = {day for day, cancelled in before.values() if not cancelled}
    left = {day for day, cancelled in after.values() if not cancelled}
    return sorted(having - left)


def hold(conference, source: str, data: bytes, reason: str, summary: list[str]) -> HeldSchedule:
    """Keep the file for staff; the same file held again is kept once."""
    for held in HeldSchedule.objects.filter(conference=conference, status=HeldSchedule.Status.HELD):
        if bytes(held.data) == data:
            return held
    return HeldSchedule.objects.create(
        conference=conference,
        source=source[: HeldSchedule._meta.get_field("source").max_length],
        data=data,
        reason=one_line(reason, REASON_LENGTH),
        summary=summary,
    )


def _forget_held(conference):
    """A newer file was applied: what was held before is out of date, never to be applied."""
    HeldSchedule.objects.filter(conference=conference, status=HeldSchedule.Status.HELD).update(
        status=HeldSchedule.Status.REJECTED, decided_at=timezone.now()
    )


class AlreadyDecided(Exception):
    pass


def apply_held(held: HeldSchedule, *, user) -> ScheduleVersion | None:
    """Staff apply a held file: planned afresh against the programme as it is now, applied as
    a version with origin "sync". Raises ScheduleError, or AlreadyDecided."""
    with transaction.atomic():
        held = _lock_held(held)
        conference = held.conference
        data = bytes(held.data)
        plan = plan_import(
            parse_schedule(data, held.source, conference=conference), slug=conference.slug
        )
        plan.apply(origin=ScheduleVersion.Origin.SYNC, source=held.source)
        _decide(held, HeldSchedule.Status.APPLIED, user, data)
        _forget_held(conference)
    return plan.recorded.version if plan.recorded else None


def reject_held(held: HeldSchedule, *, user) -> None:
    """Staff reject a held file: it stays out, and the source serving it again changes nothing."""
    with transaction.atomic():
        held = _lock_held(held)
        _decide(held, HeldSchedule.Status.REJECTED, user, bytes(held.data))


def _lock_held(held) -> HeldSchedule:
    lock_programme(held.conference_id)
    held = HeldSchedule.objects.select_related("conference").get(pk=held.pk)
    if held.status != HeldSchedule.Status.HELD:
        raise AlreadyDecided(held.get_status_display())
    return held


def _decide(held, status, user, data: bytes):
    held.status, held.decided_by, held.decided_at = status, user, timezone.now()
    held.save(update_fields=["status", "decided_by", "decided_at"])
    # Dealt with: fetched again from the same address, the file is "not modified".
    ScheduleSource.objects.filter(conference_id=held.conference_id, url=held.source).update(
        content_sha256=hashlib.sha256(data).hexdigest()
    )


def remember_source(conference, source: Source) -> ScheduleSource:
    """After an import from an address (import_schedule URL, the admin's import by address):
    that address becomes the conference's source, with the validators and the digest of what
    was imported, so the next sync knows it. Whether it is synced stays as staff set it (on for
    a new source)."""
    values = {
        "url": source.name,
        "etag": source.etag,
        "last_modified": source.last_modified,
        "content_sha256": hashlib.sha256(source.data).hexdigest(),
        "fetched_at": timezone.now(),
        "outcome": _("imported"),
        "failed": False,
    }
    remembered, _created = ScheduleSource.objects.update_or_create(
        conference=conference, defaults=values
    )
    return remembered


def is_address(name: str) -> bool:
    return name.startswith(("http://", "https://"))
