from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self):
        # Connects the receivers that act when rows go by a cascade: photo files deleted with
        # their row, and public pages marked changed when a public note, photo or post goes;
        # and registers the system checks of the sign-in limits.
        from . import checks, photo_services, receivers  # noqa: F401
