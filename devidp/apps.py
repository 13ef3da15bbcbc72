from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DevIdPConfig(AppConfig):
    name = "devidp"
    verbose_name = _("Development identity provider")

    def ready(self):
        from devidp.setup import ensure_client_and_personas

        post_migrate.connect(lambda sender, **kw: ensure_client_and_personas(), sender=self, weak=False)
        checks.register(refuse_in_production, checks.Tags.security, deploy=True)


def refuse_in_production(app_configs, **kwargs):
    return [
        checks.Error(
            "The development identity provider is on (KONTAKT_DEV_IDP): anyone can sign in as a test person.",
            hint="Unset KONTAKT_DEV_IDP and configure a real e-legitimation broker (docs/mina-sidor.md).",
            id="devidp.E001",
        )
    ]
