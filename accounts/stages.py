"""The second factor at sign-in, with one exception: a staff identity
provider (Entra ID) that says in its token that it performed multi-factor
authentication (`amr` contains "mfa"). The provider's sign-in marks the
social login with `idp_mfa_mark`; this stage then records the second factor
as done, so core.access lets the session in without a local TOTP code.
Without the mark, allauth's own stage asks for the TOTP code, and an account
without TOTP is sent to set it up (core.access)."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage

from core.mfa import MFA_METHOD

IDP_MFA_ATTRIBUTE = "kontakt_idp_mfa"
# How the record of the second factor names it in the session.
IDP_MFA_TYPE = "idp"


def idp_mfa_mark(sociallogin: Any, provider: str) -> None:
    """The identity provider performed MFA for this sign-in (never serialized)."""
    setattr(sociallogin, IDP_MFA_ATTRIBUTE, provider)


def idp_mfa_provider(sociallogin: Any) -> str:
    return str(getattr(sociallogin, IDP_MFA_ATTRIBUTE, "") or "")


class SecondFactorStage(AuthenticateStage):
    """allauth's MFA stage (same key and page), skipped after the provider's MFA."""

    def handle(self) -> tuple:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        provider = idp_mfa_provider(sociallogin)
        if provider and self.login.user is not None:
            record_authentication(self.request, self.login.user, MFA_METHOD, type=IDP_MFA_TYPE, provider=provider)
            return None, True
        return super().handle()
