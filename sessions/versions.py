"""Where a conference's programme comes from, and its versions: every import, sync or admin
save that changed the programme, with what changed for each session; and programme files held
back for staff to look at.

Imported at the end of sessions/models.py, so Django registers these with the programme's
models (app label "program").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduleSource(models.Model):
    """The address a conference's programme is fetched from, and how the last fetch went."""

    conference = models.OneToOneField(
        "program.Conference", on_delete=models.CASCADE, related_name="source"
    )
    url = models.URLField(_("address"), max_length=500)
    enabled = models.BooleanField(
        _("sync"), default=True, help_text=_("Untick to stop sync_schedules fetching it.")
    )
    # The source's validators, sent back on the next fetch (a conditional GET).
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    # Of the last content applied (or held and then rejected, or found identical): the same file
    # again changes nothing, even without validators.
    content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    fetched_at = models.DateTimeField(_("last fetch"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True, editable=False)
    failed = models.BooleanField(_("failed"), default=False, editable=False)

    class Meta:
        verbose_name = _("schedule source")
        verbose_name_plural = _("schedule sources")

    def __str__(self):
        return self.url


class ScheduleVersion(models.Model):
    class Origin(models.TextChoices):
        IMPORT = "import", _("import")
        SYNC = "sync", _("sync")
        ADMIN = "admin", _("admin edit")

    conference = models.ForeignKey(
        "program.Conference", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin)
    source = models.CharField(_("source"), max_length=500, blank=True)
    # {"new": 2, "cancelled": 1, "moved": 3, …}: the change kinds of this version, counted.
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["conference", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"], name="one_number_per_conference_version"
            )
        ]

    def __str__(self):
        return f"{self.conference_id} v{self.number}"


class ScheduleChange(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("new")
        CANCELLED = "cancelled", _("cancelled")
        RESTORED = "restored", _("restored")
        TIME = "time", _("moved in time")
        DAY = "day", _("moved to another day")
        ROOM = "room", _("room changed")
        TITLE = "title", _("retitled")
        SPEAKERS = "speakers", _("speakers changed")

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="changes")
    session = models.ForeignKey(
        "program.Session", on_delete=models.SET_NULL, null=True, related_name="changes"
    )
    # As the session was after this version: the changes page still reads if it is deleted.
    session_title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind)
    old = models.CharField(max_length=500, blank=True)
    new = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["version", "starts_at", "session_title", "pk"]
        indexes = [models.Index(fields=["session", "version"])]

    def __str__(self):
        return f"{self.session_title}: {self.kind}"


class HeldSchedule(models.Model):
    """A fetched programme that would have cancelled too much of the conference, or emptied a
    day: kept here, unapplied, until staff apply or reject it."""

    class Status(models.TextChoices):
        HELD = "held", _("held")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")

    conference = models.ForeignKey(
        "program.Conference", on_delete=models.CASCADE, related_name="held_schedules"
    )
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)
    source = models.CharField(_("source"), max_length=500)
    data = models.BinaryField()
    reason = models.CharField(_("reason"), max_length=300)
    # The planner's summary, one line each, as staff read it before deciding.
    summary = models.JSONField(_("changes"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.HELD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("held schedule")
        verbose_name_plural = _("held schedules")
        ordering = ["-fetched_at"]

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"
