"""Notes, photos, stars and write-ups are people's own: staff may look, not rewrite."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from notes.models import Note, Photo, Star, Visibility, WriteUp
from notes.photos.links import thumbnail_url


class ReadMostlyAdmin(admin.ModelAdmin):
    """Staff can read and delete (for moderation), but not edit someone else's words."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Note)
class NoteAdmin(ReadMostlyAdmin):
    list_display = ["session", "author", "visibility", "version", "updated_at"]
    list_filter = ["visibility", "session__conference"]
    list_select_related = ["session", "author"]
    search_fields = ["body", "session__title", "author__username"]
    date_hierarchy = "updated_at"


@admin.register(Photo)
class PhotoAdmin(ReadMostlyAdmin):
    list_display = ["thumbnail", "caption", "owner", "session", "visibility", "created_at"]
    list_filter = ["visibility", "session__conference"]
    list_select_related = ["session", "owner"]
    search_fields = ["caption", "credit", "owner__username"]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        # Only public photos: staff get no way around the owner check of a private one.
        if obj.visibility != Visibility.PUBLIC:
            return _("(private)")
        return format_html('<img src="{}" alt="" class="hugi-admin-thumb">', thumbnail_url(obj))


@admin.register(Star)
class StarAdmin(ReadMostlyAdmin):
    list_display = ["session", "user", "created_at"]
    list_filter = ["session__conference"]
    list_select_related = ["session", "user"]
    search_fields = ["session__title", "user__username"]


@admin.register(WriteUp)
class WriteUpAdmin(ReadMostlyAdmin):
    list_display = ["title", "author", "conference", "status", "published_at"]
    list_filter = ["status", "conference"]
    list_select_related = ["author", "conference"]
    search_fields = ["title", "author__username"]
