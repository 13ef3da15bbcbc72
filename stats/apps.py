from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Stats")

    def ready(self) -> None:
        from cases import hooks
        from stats import receivers

        hooks.cases_changed.connect(receivers.cases_changed, dispatch_uid="stats_cases_changed")
        hooks.calendar_changed.connect(receivers.calendar_changed, dispatch_uid="stats_calendar_changed")
