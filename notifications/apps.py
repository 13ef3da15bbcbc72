from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.defaults import ensure_templates

        post_migrate.connect(lambda sender, **kw: ensure_templates(), sender=self, weak=False)
