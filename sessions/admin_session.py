"""The session admin: one conference at a time (admin_forms.py), times in its zone, saves
recorded as schedule versions (RecordVersionMixin), and the bulk actions of admin_bulk.py."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone as dj_timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sessions.admin_bulk import BULK_ACTIONS
from sessions.admin_forms import (
    ConferenceAutocomplete,
    ConferenceScopedFilter,
    conference_of_request,
    initial_from_slot,
    label_days,
    scope_foreign_key,
)
from sessions.admin_mixins import MarkdownAdminMixin, TouchConferenceMixin
from sessions.admin_versions import RecordVersionMixin
from sessions.models import Conference, Session, SessionSpeaker

CHOOSE_TEMPLATE = "admin/program/session/choose_conference.html"


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["speaker"]
    verbose_name = _("speaker")
    verbose_name_plural = _("speakers, in order")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            kwargs.setdefault("label", capfirst(db_field.related_model._meta.verbose_name))
            conference = conference_of_request(request)
            kwargs["queryset"] = db_field.related_model.objects.filter(conference=conference)
            kwargs["widget"] = ConferenceAutocomplete(
                db_field, self.admin_site, conference=conference, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Session)
class SessionAdmin(MarkdownAdminMixin, TouchConferenceMixin, RecordVersionMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "local_time", "room", "track", "day", "cancelled"]
    list_filter = [
        "conference",
        ("day", ConferenceScopedFilter),
        ("room", ConferenceScopedFilter),
        ("track", ConferenceScopedFilter),
        "kind",
        "cancelled",
    ]
    list_select_related = ["conference", "day", "room", "track"]
    search_fields = ["title", "subtitle", "speakers__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    inlines = [SessionSpeakerInline]
    save_on_top = True
    actions = BULK_ACTIONS
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

    def add_view(self, request, form_url="", extra_context=None):
        # The conference first: its days, rooms, tracks, speakers and time zone make the form.
        if conference_of_request(request) is None:
            return self.choose_conference(request)
        return super().add_view(request, form_url, extra_context)

    def choose_conference(self, request):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Add a session: which conference?"),
            "conferences": Conference.objects.order_by("-start_date", "name"),
        }
        return TemplateResponse(request, CHOOSE_TEMPLATE, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Times are typed and shown in the conference's own zone, as on its printed programme.
        conference = conference_of_request(request, object_id)
        if conference is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with dj_timezone.override(conference.tz):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # inside the zone: a TemplateResponse renders lazily
            return response

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return initial_from_slot(request, conference_of_request(request), initial)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The model's foreign keys carry no label of their own: the related model's name is one.
        kwargs.setdefault("label", capfirst(db_field.related_model._meta.verbose_name))
        scope_foreign_key(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "day":
            label_days(field)
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = dj_timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            if name in form.base_fields:
                form.base_fields[name].help_text = _(
                    "In the conference's time zone (%(zone)s)."
                ) % {"zone": zone}
        if "conference" in form.base_fields:
            form.base_fields["conference"].help_text = _(
                "Days, rooms, tracks and speakers are offered from this conference. After "
                "choosing another one, save once to get its days and rooms."
            )
        return form

    def get_search_results(self, request, queryset, search_term):
        # Searching through speakers joins a many-to-many; keep one row per session.
        queryset, _may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False
