from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records and secrecy")

    def ready(self):
        from records.provisions import ensure_provisions

        post_migrate.connect(lambda sender, **kw: ensure_provisions(), sender=self, weak=False)
