"""allauth's second factor under a Swedish name in the admin. In a module of
its own: Django picks an app's AppConfig from its apps.py only when that
module holds exactly one."""

from allauth.mfa.apps import MFAConfig as AllauthMFAConfig
from django.utils.translation import gettext_lazy as _


class MFAConfig(AllauthMFAConfig):
    verbose_name = _("Two-factor authentication")
