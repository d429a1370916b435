from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self):
        # Connects the receivers that delete a photo's files with its row (cascades included).
        from . import photo_services  # noqa: F401
