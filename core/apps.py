from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel: access gates, the accessible form base, the
    read-only admin base and validators. It imports only Django and
    third-party packages, never another Kontakt app."""

    name = "core"
    verbose_name = _("Kernel")
