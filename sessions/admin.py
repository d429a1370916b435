"""Admin data entry for the programme: a whole conference can be typed in from here. Saves that
change sessions are schedule versions; the live programme's parts are in admin_versions.py."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone as dj_timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import AdminMarkdownxWidget

from sessions.admin_import import import_schedule_view
from sessions.admin_versions import (
    HeldScheduleInline,
    RecordVersionMixin,
    ScheduleSourceInline,
    decide_held,
)
from sessions.models import (
    Conference,
    Day,
    HeldSchedule,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
)

MARKDOWN_FIELDS = {"description", "abstract", "bio"}


class MarkdownAdminMixin:
    """The markdownx editor with live preview for every Markdown field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = AdminMarkdownxWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TouchConferenceMixin:
    """Any change made here marks its conference's public pages as changed (cache, ETag)."""

    def _touch(self, obj):
        conference = obj if isinstance(obj, Conference) else obj.conference
        conference.touch()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._touch(obj)
        if change and "conference" in form.changed_data:
            # Moved to another conference: the one it left shows it no more.
            Conference.objects.filter(pk=form.initial["conference"]).update(
                changed_at=dj_timezone.now()
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._touch(form.instance)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._touch(obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        conferences = {obj if isinstance(obj, Conference) else obj.conference for obj in queryset}
        super().delete_queryset(request, queryset)
        for conference in conferences:
            if conference.pk and Conference.objects.filter(pk=conference.pk).exists():
                conference.touch()


def image_preview(field_name, label):
    @admin.display(description=label)
    def preview(model_admin, obj):
        image = getattr(obj, field_name)
        if not image:
            return "—"
        return format_html('<img src="{}" alt="" class="hugi-admin-thumb">', image.url)

    return preview


class DayInline(admin.TabularInline):
    model = Day
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Conference)
class ConferenceAdmin(
    MarkdownAdminMixin, TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin
):
    list_display = [
        "name",
        "acronym",
        "start_date",
        "end_date",
        "city",
        "timezone",
        "session_count",
    ]
    search_fields = ["name", "acronym", "city"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HeldScheduleInline, ScheduleSourceInline, DayInline, RoomInline, TrackInline]
    logo_preview = image_preview("logo", _("logo preview"))
    readonly_fields = ["logo_preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "acronym", "description"]}),
        (
            _("Where and when"),
            {"fields": ["venue", "city", "website", "timezone", "start_date", "end_date"]},
        ),
        (_("Logo"), {"fields": ["logo", "logo_preview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_session_count=Count("sessions"))

    def get_inlines(self, request, obj):
        # Held schedules only when there are some to decide on.
        if obj is None or not obj.held_schedules.filter(status=HeldSchedule.Status.HELD).exists():
            return [inline for inline in self.inlines if inline is not HeldScheduleInline]
        return self.inlines

    @admin.display(description=_("sessions"), ordering="_session_count")
    def session_count(self, obj):
        return obj._session_count

    def get_urls(self):
        # Before the default URLs: "import/" would otherwise be taken for an object id.
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_new_conference),
                name="program_conference_import_new",
            ),
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_schedule),
                name="program_conference_import",
            ),
            *(
                path(
                    f"<path:object_id>/held/<int:held_id>/{decision}/",
                    self.admin_site.admin_view(self.decide_held),
                    {"decision": decision},
                    name=f"program_conference_held_{decision}",
                )
                for decision in ("apply", "reject")
            ),
            *super().get_urls(),
        ]

    def import_new_conference(self, request):
        return import_schedule_view(self, request)

    def import_schedule(self, request, object_id):
        conference = get_object_or_404(Conference, pk=object_id)
        return import_schedule_view(self, request, conference)

    def decide_held(self, request, object_id, held_id, decision):
        return decide_held(self, request, object_id, held_id, decision)


@admin.register(Day)
class DayAdmin(TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin):
    list_display = ["__str__", "date", "index", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["label", "conference__name"]
    autocomplete_fields = ["conference"]


@admin.register(Room)
class RoomAdmin(TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin):
    list_display = ["name", "order", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(TouchConferenceMixin, admin.ModelAdmin):
    list_display = ["name", "color", "order", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Speaker)
class SpeakerAdmin(MarkdownAdminMixin, TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin):
    list_display = ["name", "affiliation", "conference", "photo_preview"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    photo_preview = image_preview("photo", _("photo preview"))
    readonly_fields = ["photo_preview"]


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["speaker"]
    verbose_name = _("speaker")
    verbose_name_plural = _("speakers, in order")


@admin.register(Session)
class SessionAdmin(MarkdownAdminMixin, TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "local_time", "room", "track", "day", "cancelled"]
    list_filter = ["conference", "day", "room", "track", "kind", "cancelled"]
    list_select_related = ["conference", "day", "room", "track"]
    search_fields = ["title", "subtitle", "speakers__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    inlines = [SessionSpeakerInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["conference", "title", "subtitle", "slug", "kind", "cancelled"]}),
        (_("When and where"), {"fields": ["day", "starts_at", "ends_at", "room", "track"]}),
        (_("Content"), {"fields": ["abstract", "description", "language", "level"]}),
        (_("Links"), {"fields": ["slides_url", "video_url", "website_url", "do_not_record"]}),
    ]

    @admin.display(description=_("time"), ordering="starts_at")
    def local_time(self, obj):
        tz = obj.conference.tz
        start, end = (
            dj_timezone.localtime(obj.starts_at, tz),
            dj_timezone.localtime(obj.ends_at, tz),
        )
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({obj.conference.timezone})"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Times are typed and shown in the conference's own zone, as on its printed programme.
        conference = self._conference_of_form(request, object_id)
        if conference is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with dj_timezone.override(conference.tz):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # inside the zone: a TemplateResponse renders lazily
            return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = dj_timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            if name in form.base_fields:
                form.base_fields[name].help_text = _(
                    "In the conference's time zone (%(zone)s)."
                ) % {"zone": zone}
        return form

    @staticmethod
    def _conference_of_form(request, object_id):
        if object_id:
            return Conference.objects.filter(sessions__pk=object_id).first()
        chosen = request.POST.get("conference") or request.GET.get("conference", "")
        return Conference.objects.filter(pk=chosen).first() if chosen.isdigit() else None

    def get_search_results(self, request, queryset, search_term):
        # Searching through speakers joins a many-to-many; keep one row per session.
        queryset, _may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False
