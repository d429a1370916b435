from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Whole-site commands: the demo, backup and restore."""

    name = "ops"
    verbose_name = _("Operations")
