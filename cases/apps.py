from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.permissions import ensure_groups
        from cases.provisions import ensure_provisions

        post_migrate.connect(lambda sender, **kw: ensure_groups(), sender=self, weak=False)
        post_migrate.connect(lambda sender, **kw: ensure_provisions(), sender=self, weak=False)
