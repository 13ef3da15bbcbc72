from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.defaults import ensure_templates
        from notifications.models import MessageTemplate
        from notifications.services import templates_forget

        post_migrate.connect(lambda sender, **kw: ensure_templates(), sender=self, weak=False)

        # An edited or deleted template is read from the database again.
        def forget(sender: type, **kwargs: object) -> None:
            templates_forget()

        post_save.connect(forget, sender=MessageTemplate, weak=False, dispatch_uid="notifications_template_saved")
        post_delete.connect(forget, sender=MessageTemplate, weak=False, dispatch_uid="notifications_template_deleted")
