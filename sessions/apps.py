from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions", so the programme app is "program".
    name = "sessions"
    label = "program"
    verbose_name = _("Programme")
