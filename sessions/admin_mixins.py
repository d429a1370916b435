"""What every programme admin shares: the Markdown editor, and touching the conference's public
pages on every change."""

from django.contrib import admin
from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.html import format_html
from markdownx.widgets import AdminMarkdownxWidget

from sessions.models import Conference

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
