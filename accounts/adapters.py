from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import throttle
from accounts.citizen import logout_hint
from accounts.models import StaffIdentity, User
from core.mfa import has_totp
from core.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by an administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the first authenticator comes straight after the
        # password sign-in, which the back office demands; asking for the
        # password again there only gets in the way. Removing or replacing
        # an existing authenticator still asks.
        if app == "allauth.mfa":
            user = getattr(getattr(self, "request", None), "user", None)
            if user is not None and user.is_authenticated and not has_totp(user):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's per-address rate limits count the same address as the rest of Kontakt.
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = credentials.get("email", "")
        if throttle.account_locked(email):
            raise self.validation_error("too_many_login_attempts")
        if not password_sign_in_allowed(email):
            raise forms.ValidationError(
                _(
                    "Sign-in with a password is not used for this account. Sign in with your municipality account (Microsoft) instead."
                ),
                code="password_sign_in_off",
            )
        super().pre_authenticate(request, **credentials)

    def get_login_stages(self) -> list[str]:
        # The second factor, unless the staff identity provider performed it (accounts/stages.py).
        return [
            "accounts.stages.SecondFactorStage" if path == "allauth.mfa.stages.AuthenticateStage" else path
            for path in super().get_login_stages()
        ]

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.account_failure_record(credentials.get("email", ""))
        super().authentication_failed(request, **credentials)

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)  # a new session key; accounts.sessions starts its clock
        if isinstance(user, User) and not user.is_citizen:
            # The whole sign-in (password and code) succeeded.
            throttle.account_failures_clear(user.email)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        citizen = getattr(sociallogin, "citizen", None)
        if citizen and citizen.get("id_token"):
            logout_hint.keep(request, citizen["id_token"])
        return super().post_login(request, user, **kwargs)


def break_glass_account(email: str) -> bool:
    """Named in KONTAKT_BREAK_GLASS_ACCOUNTS: may sign in with a password
    even when password sign-in is switched off."""
    wanted = email.strip().lower()
    return bool(wanted) and wanted in {name.strip().lower() for name in settings.KONTAKT_BREAK_GLASS_ACCOUNTS}


def password_sign_in_allowed(email: str) -> bool:
    """A password opens no account that comes from the directory (it signs
    in through Entra ID, where leaving the municipality ends it), and none at
    all when KONTAKT_STAFF_PASSWORD_SIGN_IN is off, except the break-glass
    administrators'."""
    if break_glass_account(email):
        return True
    if not settings.KONTAKT_STAFF_PASSWORD_SIGN_IN:
        return False
    return not StaffIdentity.objects.filter(user__email__iexact=email.strip(), user__kind=User.Kind.STAFF).exists()
