from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal.defaults import ensure_pages

        post_migrate.connect(lambda sender, **kw: ensure_pages(), sender=self, weak=False)
