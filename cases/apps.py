from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.models import Category, Department, Unit
        from cases.organisation import organisation_changed
        from cases.permissions import ensure_groups
        from cases.provisions import ensure_provisions

        post_migrate.connect(lambda sender, **kw: ensure_groups(), sender=self, weak=False)
        post_migrate.connect(lambda sender, **kw: ensure_provisions(), sender=self, weak=False)
        # The case list's drop-downs are cached (cases/organisation.py).
        for model in (Category, Department, Unit):
            post_save.connect(organisation_changed, sender=model, dispatch_uid=f"organisation-{model.__name__}-save")
            post_delete.connect(organisation_changed, sender=model, dispatch_uid=f"organisation-{model.__name__}-del")
