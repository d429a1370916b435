"""Admin data entry for the programme: a whole conference can be typed in from here. Saves that
change sessions are schedule versions; the live programme's parts are in admin_versions.py."""

from django.contrib import admin
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from sessions import admin_session  # noqa: F401 (registers the session admin)
from sessions.admin_clashes import clashes_context
from sessions.admin_forms import (
    add_session_url,
    autocomplete_conference_id,
    is_speaker_autocomplete,
)
from sessions.admin_grid import grid_view
from sessions.admin_import import import_schedule_view
from sessions.admin_mixins import MarkdownAdminMixin, TouchConferenceMixin, image_preview
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
    Speaker,
    Track,
)


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
            path(
                "<path:object_id>/grid/",
                self.admin_site.admin_view(self.programme_grid),
                name="program_conference_grid",
            ),
            path(
                "<path:object_id>/grid/<str:date>/",
                self.admin_site.admin_view(self.programme_grid),
                name="program_conference_grid_day",
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

    def programme_grid(self, request, object_id, date=None):
        return grid_view(self, request, object_id, date)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The programme's clashes at the top, and where to see and extend it.
        conference = (
            Conference.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if conference is not None:
            extra_context = {
                **(extra_context or {}),
                **clashes_context(conference),
                "add_session_url": add_session_url(conference),
            }
        return super().change_view(request, object_id, form_url, extra_context)


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

    def get_search_results(self, request, queryset, search_term):
        # A session's speaker autocomplete offers its conference's speakers only.
        if is_speaker_autocomplete(request):
            queryset = queryset.filter(conference_id=autocomplete_conference_id(request))
        return super().get_search_results(request, queryset, search_term)
