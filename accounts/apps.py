from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's own app is called that in the admin too.
    verbose_name = _("Users and identities")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import on_signed_in
        from core.mfa import record_mfa

        def on_added(sender, request, user, authenticator, **kwargs):
            if request is not None and getattr(authenticator, "type", None) == "totp":
                record_mfa(request, user, authenticator)

        authenticator_added.connect(on_added, weak=False, dispatch_uid="kontakt_record_mfa_on_activation")
        # Every sign-in, whichever way, starts the session clock (accounts/sessions.py).
        user_logged_in.connect(on_signed_in, weak=False, dispatch_uid="kontakt_session_begin")
