from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions", so the programme app is "program".
    name = "sessions"
    label = "program"
    verbose_name = _("Programme")

    def ready(self):
        from core.sqlite import use_write_ahead_log

        post_migrate.connect(use_write_ahead_log, sender=self)
