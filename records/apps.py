from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records and secrecy")

    def ready(self):
        from cases.hooks import case_read
        from records.services import access_log_on_read

        case_read.connect(access_log_on_read, dispatch_uid="records.access_log_on_read")
