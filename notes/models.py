"""The personal side: what one attendee adds to the programme."""

import html
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from sessions.models import Conference, Session

# The HTML read for an excerpt: a long note's whole text costs /me/ ~10 ms a note to strip.
EXCERPT_HTML = 1500


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private — only me")
    PUBLIC = "public", _("Public — anyone")


class OwnedQuerySet(models.QuerySet):
    """Filters shared by everything a person owns and may publish."""

    owner_field = "author"

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_field: user})

    def visible_to(self, user):
        """Public ones, and the user's own whatever their visibility."""
        if not user.is_authenticated:
            return self.public()
        return self.filter(Q(visibility=Visibility.PUBLIC) | Q(**{self.owner_field: user}))


class NoteQuerySet(OwnedQuerySet):
    owner_field = "author"


class Note(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"), blank=True, help_text=_("Markdown"))
    body_html = models.TextField(editable=False, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    # Optimistic concurrency: a save names the version it was based on; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["session__starts_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["author", "session"], name="note_one_per_author"),
        ]

    def __str__(self):
        return f"{self.author} — {self.session}"

    @cached_property
    def excerpt(self) -> str:
        """The start of the note as plain text, from the sanitized HTML, for lists."""
        html_text = self.body_html
        if len(html_text) > EXCERPT_HTML:
            # Cut after a whole tag, so strip_tags never sees half of one.
            html_text = html_text[: html_text.rfind(">", 0, EXCERPT_HTML) + 1]
        text = " ".join(html.unescape(strip_tags(html_text)).split())
        return Truncator(text).chars(160)


class PhotoQuerySet(OwnedQuerySet):
    owner_field = "owner"


def photo_upload_to(instance, filename):
    # Random names: a photo's URL says nothing about its owner and cannot be guessed.
    return f"photos/{secrets.token_urlsafe(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class Photo(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    # [{"width": 480, "name": "photos/…-480.webp"}, …], smallest first, for srcset.
    renditions = models.JSONField(default=list, editable=False)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("image source"), max_length=200, blank=True)
    credit_url = models.URLField(_("image source URL"), blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Chosen by the editor for each photo it sends: the same upload sent again, after its answer
    # was lost on a bad connection, finds this photo instead of storing a second copy.
    upload_key = models.CharField(max_length=40, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["order", "created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "upload_key"],
                condition=~models.Q(upload_key=""),
                name="photo_upload_once",
            ),
        ]

    def __str__(self):
        return self.caption or self.image.name


class Star(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at"]
        verbose_name = _("star")
        verbose_name_plural = _("stars")
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="star_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user} ★ {self.session}"


class WriteUpQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=WriteUp.Status.PUBLISHED)

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.published()
        return self.filter(Q(status=WriteUp.Status.PUBLISHED) | Q(author=user))


class WriteUp(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="writeups"
    )
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="writeups")
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    cover_photo = models.ForeignKey(
        Photo, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown"))
    intro_html = models.TextField(editable=False, blank=True)
    closing = models.TextField(_("closing"), blank=True, help_text=_("Markdown"))
    closing_html = models.TextField(editable=False, blank=True)
    # The author's choices over the assembled body: {"left_out": [session ids],
    # "order": [session ids in the order wanted within their day]}.
    layout = models.JSONField(default=dict, blank=True)
    # The language it is written in: its page's lang and its day headings ("Day 1" / "1일차")
    # follow it, whoever reads or downloads it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # Optimistic concurrency for the texts the compose form edits, as for notes: a save names
    # the version it was based on; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WriteUpQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("write-up")
        verbose_name_plural = _("write-ups")
        constraints = [
            models.UniqueConstraint(fields=["author", "conference"], name="writeup_one_per_author"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="writeup_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title


def new_calendar_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a user's starred sessions as a calendar apps can subscribe to."""

    class Reminder(models.IntegerChoices):
        NONE = 0, _("No reminder")
        FIVE = 5, _("5 minutes before")
        TEN = 10, _("10 minutes before")
        FIFTEEN = 15, _("15 minutes before")
        THIRTY = 30, _("30 minutes before")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    # How long before each starred session the calendar app reminds its owner (VALARM).
    reminder_minutes = models.PositiveSmallIntegerField(
        _("reminder"), choices=Reminder, default=Reminder.TEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} calendar"


class ChangesSeen(models.Model):
    """The last version of a conference's programme whose changes a user has seen (dismissed on
    My hugi, or marked on the changes page): My hugi lists changes to their starred sessions in
    the versions after it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="changes_seen"
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="changes_seen"
    )
    version_number = models.PositiveIntegerField(_("version seen"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("changes seen")
        verbose_name_plural = _("changes seen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conference"], name="changes_seen_once_per_conference"
            ),
        ]

    def __str__(self):
        return f"{self.user} saw {self.conference} v{self.version_number}"
