"""The live programme in the admin: a conference's schedule source (where sync_schedules fetches
it, how the last fetch went), the files held back for staff to apply or reject, and the schedule
versions with their changes, read-only. Admin saves that change sessions record versions too
(RecordVersionMixin, used by sessions/admin.py).
"""

from contextlib import ExitStack

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.changes import changes_phrase
from sessions.importers import ScheduleError
from sessions.models import Conference
from sessions.recording import recording
from sessions.sync import AlreadyDecided, apply_held, reject_held
from sessions.versions import HeldSchedule, ScheduleChange, ScheduleSource, ScheduleVersion


class RecordVersionMixin:
    """A save (or deletion) in this model's admin that changes what attendees see of sessions
    (time, day, room, title, speakers, cancelled) is one schedule version, origin "admin", of
    each conference involved: the object's, and the one the form moves it to."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self._recording(request, object_id):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with self._recording(request, object_id):
            return super().delete_view(request, object_id, extra_context)

    def _recording(self, request, object_id) -> ExitStack:
        stack = ExitStack()
        if request.method == "POST":
            # In the order of their ids: two saves lock the same conferences in the same order.
            for conference in self._conferences_of_save(request, object_id):
                stack.enter_context(recording(conference, origin=ScheduleVersion.Origin.ADMIN))
        return stack

    def _conferences_of_save(self, request, object_id) -> list[Conference]:
        ids = set()
        if object_id and str(object_id).isdigit():
            if self.model is Conference:
                ids.add(int(object_id))
            else:
                ids.update(
                    self.model.objects.filter(pk=object_id).values_list("conference_id", flat=True)
                )
        chosen = request.POST.get("conference", "")
        if chosen.isdigit():
            ids.add(int(chosen))
        return list(Conference.objects.filter(pk__in=ids).order_by("pk")) if ids else []


# --- on the conference's page ------------------------------------------------------------------


class ScheduleSourceForm(forms.ModelForm):
    class Meta:
        model = ScheduleSource
        fields = ["url", "enabled"]

    def save(self, commit=True):
        if "url" in self.changed_data:
            # Another address: the old one's validators mean nothing there.
            self.instance.etag = self.instance.last_modified = ""
        return super().save(commit)


class ScheduleSourceInline(admin.StackedInline):
    model = ScheduleSource
    form = ScheduleSourceForm
    fields = ["url", "enabled", "fetched_at", "outcome", "failed", "etag", "last_modified"]
    readonly_fields = ["fetched_at", "outcome", "failed", "etag", "last_modified"]
    extra = 1
    max_num = 1
    verbose_name = gettext_lazy("schedule source (kept in sync by sync_schedules)")
    verbose_name_plural = gettext_lazy("schedule source (kept in sync by sync_schedules)")


class HeldScheduleInline(admin.TabularInline):
    """Files sync_schedules held back, with the two decisions: buttons that post the page's
    form (and its CSRF token) to decide_held instead of saving the conference."""

    model = HeldSchedule
    fields = readonly_fields = ["fetched_at", "source", "reason", "changes", "decide"]
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("held schedule")
    verbose_name_plural = gettext_lazy("held schedules: not applied until you decide")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=HeldSchedule.Status.HELD).defer("data")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("what it would change"))
    def changes(self, held):
        return lines(held.summary)

    @admin.display(description=gettext_lazy("decide"))
    def decide(self, held):
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button> '
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            held_url(held, "apply"),
            _("Apply"),
            held_url(held, "reject"),
            _("Reject"),
        )


def held_url(held, decision) -> str:
    return reverse(f"admin:program_conference_held_{decision}", args=[held.conference_id, held.pk])


def lines(texts) -> str:
    return format_html_join(mark_safe("<br>"), "{}", ((text,) for text in texts))


def decide_held(model_admin, request, object_id, held_id, decision):
    """Apply or reject a held file (POST only), then back to the conference's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    conference = get_object_or_404(Conference, pk=object_id)
    if not model_admin.has_change_permission(request, conference):
        raise PermissionDenied
    held = get_object_or_404(HeldSchedule.objects.defer("data"), pk=held_id, conference=conference)
    _decide(request, held, decision)
    return redirect(reverse("admin:program_conference_change", args=[conference.pk]))


def _decide(request, held, decision):
    names = {"source": held.source}
    try:
        if decision == "apply":
            version = apply_held(held, user=request.user)
            if version is None:
                messages.success(request, _("Applied %(source)s: nothing changed.") % names)
            else:
                messages.success(
                    request,
                    _("Applied %(source)s as version %(number)d: %(changes)s.")
                    % {
                        **names,
                        "number": version.number,
                        "changes": changes_phrase(version.counts) or _("published"),
                    },
                )
        else:
            reject_held(held, user=request.user)
            messages.success(
                request, _("Rejected %(source)s: the programme stays as it is.") % names
            )
    except AlreadyDecided as exc:
        messages.warning(
            request, _("That schedule was already decided (%(status)s).") % {"status": exc}
        )
    except ScheduleError as exc:
        messages.error(request, str(exc))


# --- versions, and every held file ------------------------------------------------------------


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScheduleChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = ScheduleChange
    fields = readonly_fields = ["session_link", "starts_at", "kind", "old", "new"]
    extra = 0

    @admin.display(description=gettext_lazy("session"))
    def session_link(self, change):
        if change.session_id is None:
            return change.session_title  # deleted since
        url = reverse("admin:program_session_change", args=[change.session_id])
        return format_html('<a href="{}">{}</a>', url, change.session_title)


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "conference", "created_at", "origin", "source", "what_changed"]
    list_filter = ["origin", "conference"]
    list_select_related = ["conference"]
    fields = readonly_fields = ["conference", "number", "created_at", "origin", "source"]
    inlines = [ScheduleChangeInline]

    @admin.display(description=gettext_lazy("changes"))
    def what_changed(self, version):
        return changes_phrase(version.counts) or _("published")


@admin.register(HeldSchedule)
class HeldScheduleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["fetched_at", "conference", "source", "reason", "status", "decided_by"]
    list_filter = ["status", "conference"]
    list_select_related = ["conference", "decided_by"]
    fields = readonly_fields = [
        "conference",
        "fetched_at",
        "source",
        "reason",
        "what_it_would_change",
        "status",
        "decided_by",
        "decided_at",
    ]
    actions = ["apply_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_decide_permission(self, request):
        return request.user.has_perm("program.change_conference")

    @admin.display(description=gettext_lazy("what it would change"))
    def what_it_would_change(self, held):
        return lines(held.summary)

    @admin.action(
        description=gettext_lazy("Apply the selected held schedules"), permissions=["decide"]
    )
    def apply_selected(self, request, queryset):
        for held in queryset.order_by("fetched_at"):
            _decide(request, held, "apply")

    @admin.action(
        description=gettext_lazy("Reject the selected held schedules"), permissions=["decide"]
    )
    def reject_selected(self, request, queryset):
        for held in queryset:
            _decide(request, held, "reject")
