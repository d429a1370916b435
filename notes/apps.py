from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self):
        # Connects the receivers that act when rows go by a cascade (notes/receivers.py).
        from notes import receivers  # noqa: F401
