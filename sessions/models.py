"""The programme: conferences, their days, rooms, tracks, speakers and sessions."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from sessions.colours import DEFAULT_COLOUR, validate_colour
from sessions.validators import validate_not_reserved, validate_timezone


class Conference(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        validators=[validate_not_reserved],
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    description_html = models.TextField(editable=False, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA name, for example Asia/Seoul"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    # Bumped on every change to the conference's programme or write-ups; public pages use it for
    # ETag/Last-Modified and as their cache key.
    changed_at = models.DateTimeField(default=dj_timezone.now, editable=False)
    # Bumped when a public note or photo of one of its sessions changes (with the session's own
    # stamp, see touch_notes_of): the write-up pages depend on it, while the timeline and speaker
    # pages stay cached as people take notes in every room.
    notes_changed_at = models.DateTimeField(default=dj_timezone.now, editable=False)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="conference_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Rendered HTML is derived from the Markdown and stored so pages never render per request.
        self.description_html = render_markdown(self.description)
        self.changed_at = dj_timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("public:conference", kwargs={"conf": self.slug})

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def touch(self):
        """Mark the public pages of this conference as changed."""
        now = dj_timezone.now()
        Conference.objects.filter(pk=self.pk).update(changed_at=now)
        self.changed_at = now


def touch_notes_of(sessions) -> None:
    """Mark the pages that show these sessions' public notes and photos as changed: each
    session's own page, and the write-ups of their conferences."""
    now = dj_timezone.now()
    sessions.update(notes_changed_at=now)  # sessions first, then conferences: one lock order
    Conference.objects.filter(sessions__in=sessions).update(notes_changed_at=now)


class Day(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    index = models.PositiveSmallIntegerField(_("day number"), default=1)
    label = models.CharField(
        _("label"), max_length=50, blank=True, help_text=_("e.g. Day 1, 1일차")
    )

    class Meta:
        ordering = ["conference", "date"]
        verbose_name = _("day")
        verbose_name_plural = _("days")
        constraints = [
            models.UniqueConstraint(fields=["conference", "date"], name="day_unique_date"),
            models.UniqueConstraint(fields=["conference", "index"], name="day_unique_index"),
        ]

    def __str__(self):
        return self.label or _("Day %(index)s") % {"index": self.index}

    def get_absolute_url(self):
        return reverse(
            "public:day", kwargs={"conf": self.conference.slug, "date": self.date.isoformat()}
        )


class Room(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    source_guid = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["conference", "order", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="room_unique_slug"),
        ]

    def __str__(self):
        return self.name


class Track(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    color = models.CharField(
        _("colour"), max_length=7, default=DEFAULT_COLOUR, validators=[validate_colour]
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="track_unique_slug"),
        ]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    bio = models.TextField(_("biography"), blank=True, help_text=_("Markdown"))
    bio_html = models.TextField(editable=False, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
    # [{"title": "Website", "url": "https://…"}, …]
    links = models.JSONField(_("links"), default=list, blank=True)
    # The speaker's id in an imported schedule: re-imports match speakers by it.
    source_id = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["conference", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="speaker_unique_slug"),
            models.UniqueConstraint(
                fields=["conference", "source_id"],
                condition=~Q(source_id=""),
                name="speaker_unique_source_id",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "public:speaker", kwargs={"conf": self.conference.slug, "speaker": self.slug}
        )


def speakers_prefetch(lookup="session_speakers", *, speaker_fields=("speaker",)):
    """A session's speakers in their billed order, each with its speaker row, in one query;
    lookup reaches the sessions' speakers from the rows being listed (e.g. a note's session)."""
    return models.Prefetch(
        lookup,
        queryset=SessionSpeaker.objects.select_related(*speaker_fields).order_by("order", "pk"),
    )


class SessionQuerySet(models.QuerySet):
    def with_related(self):
        """Everything a list of sessions shows, in a fixed number of queries."""
        return self.select_related("day", "room", "track", "conference").prefetch_related(
            speakers_prefetch()
        )

    def happening_at(self, moment):
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class Session(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        KEYNOTE = "keynote", _("Keynote")
        TUTORIAL = "tutorial", _("Tutorial")
        WORKSHOP = "workshop", _("Workshop")
        LIGHTNING = "lightning", _("Lightning talk")
        PANEL = "panel", _("Panel")
        BREAK = "break", _("Break")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    day = models.ForeignKey(Day, on_delete=models.CASCADE, related_name="sessions")
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("Empty for breaks that span all rooms."),
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    abstract = models.TextField(_("abstract"), blank=True, help_text=_("Markdown"))
    abstract_html = models.TextField(editable=False, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    description_html = models.TextField(editable=False, blank=True)
    language = models.CharField(
        _("language"), max_length=20, blank=True, help_text=_("e.g. ko, en")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    speakers = models.ManyToManyField(
        Speaker, through="SessionSpeaker", related_name="sessions", blank=True
    )
    slides_url = models.URLField(_("slides"), max_length=500, blank=True)
    video_url = models.URLField(_("video"), max_length=500, blank=True)
    website_url = models.URLField(_("website"), max_length=500, blank=True)
    # Further links and attachments from imports: [{"title": …, "url": …}, …]
    links = models.JSONField(_("more links"), default=list, blank=True)
    do_not_record = models.BooleanField(_("not recorded"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # Grows with each schedule change to the session: iCalendar's SEQUENCE, so calendars update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Identity in an imported schedule, so a re-import updates instead of duplicating.
    source_guid = models.CharField(max_length=100, blank=True, editable=False)
    source_id = models.CharField(max_length=100, blank=True, editable=False)
    # Bumped when a public note or photo of this session changes: its page depends on this and
    # its conference's changed_at, so a note saved in one room leaves the others' pages cached.
    notes_changed_at = models.DateTimeField(default=dj_timezone.now, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_it_starts"
            ),
            models.UniqueConstraint(fields=["conference", "slug"], name="session_unique_slug"),
            models.UniqueConstraint(
                fields=["conference", "source_guid"],
                condition=~Q(source_guid=""),
                name="session_unique_source_guid",
            ),
        ]
        indexes = [
            # The day timeline and "now": sessions of one conference by start time.
            models.Index(fields=["conference", "starts_at"], name="session_conf_start_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_html()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "public:session", kwargs={"conf": self.conference.slug, "session": self.slug}
        )

    def touch_notes(self):
        """Mark the pages that show this session's public notes and photos as changed."""
        now = dj_timezone.now()
        # The session first, then its conference (touch_notes_of's lock order), by primary key.
        Session.objects.filter(pk=self.pk).update(notes_changed_at=now)
        Conference.objects.filter(pk=self.conference_id).update(notes_changed_at=now)

    def clean(self):
        # The database refuses these too (see the migration's triggers); this names the field.
        errors = {}
        for field in ("day", "room", "track"):
            related = getattr(self, field, None)
            if related is not None and related.conference_id != self.conference_id:
                errors[field] = _("This belongs to another conference.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A session must end after it starts.")
        if errors:
            raise ValidationError(errors)

    def render_html(self):
        self.abstract_html = render_markdown(self.abstract)
        self.description_html = render_markdown(self.description)

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def ordered_speakers(self):
        """Speakers in their billing order; uses the prefetch from with_related()."""
        return [link.speaker for link in self.session_speakers.all()]


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="speaker_sessions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("speaker of a session")
        verbose_name_plural = _("speakers of a session")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="session_speaker_unique"),
        ]

    def __str__(self):
        return f"{self.speaker} @ {self.session}"


# Registered with the programme's models (app label "program"); they refer to these by name.
from sessions.versions import (  # noqa: E402, F401
    HeldSchedule,
    ScheduleChange,
    ScheduleSource,
    ScheduleVersion,
)
