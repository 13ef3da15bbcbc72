from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases import hooks
        from cases.deadlines import calendar_forget
        from cases.models import Category, Department, PausePeriod, Unit
        from cases.organisation import organisation_changed
        from cases.permissions import ensure_groups
        from cases.provisions import ensure_provisions

        post_migrate.connect(lambda sender, **kw: ensure_groups(), sender=self, weak=False)
        post_migrate.connect(lambda sender, **kw: ensure_provisions(), sender=self, weak=False)
        # The case list's drop-downs are cached (cases/organisation.py).
        for model in (Category, Department, Unit):
            post_save.connect(organisation_changed, sender=model, dispatch_uid=f"organisation-{model.__name__}-save")
            post_delete.connect(organisation_changed, sender=model, dispatch_uid=f"organisation-{model.__name__}-del")
        # So are the pause periods the pages count working days with (cases/deadlines.py).
        hooks.calendar_changed.connect(calendar_forget, dispatch_uid="pages-calendar-changed")
        post_save.connect(calendar_forget, sender=PausePeriod, dispatch_uid="pages-calendar-save")
        post_delete.connect(calendar_forget, sender=PausePeriod, dispatch_uid="pages-calendar-delete")
