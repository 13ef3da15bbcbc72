"""The one socialaccount adapter (SOCIALACCOUNT_ADAPTER): citizens'
e-legitimation goes to accounts.citizen.adapter as before; the staff
provider (Entra ID) is handled here. The two never meet: a staff sign-in
reaches only staff accounts, found by tenant and object id."""

from __future__ import annotations

import logging
from typing import NoReturn

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import AuthError
from django.http import HttpRequest
from django.shortcuts import render

from accounts.citizen.adapter import CitizenSocialAccountAdapter
from accounts.citizen.errors import SignInRefused
from directory.entra.provider import account_uid
from directory.entra.views import PROVIDER_ID
from directory.errors import StaffSignInRefused
from directory.services import staff_sign_in

log = logging.getLogger(__name__)

CANCELLED = "cancelled"


def _is_staff_provider(provider) -> bool:
    return getattr(provider, "id", None) == PROVIDER_ID


def refused_page(request: HttpRequest, reason: str, *, status: int = 403):
    return render(request, "directory/sign_in_refused.html", {"reason": reason}, status=status)


def _refuse(request: HttpRequest, reason: str, detail: str) -> NoReturn:
    log.warning("staff sign-in refused: reason=%s detail=%s", reason, detail)
    raise ImmediateHttpResponse(refused_page(request, reason))


class SocialAccountAdapter(CitizenSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if not _is_staff_provider(sociallogin.provider):
            # Citizens: their own rules (a staff token never carries `citizen`).
            return super().pre_social_login(request, sociallogin)
        if sociallogin.state.get("process") not in (None, "login"):
            _refuse(request, SignInRefused.CONNECT, "only sign-in is supported")
        staff = getattr(sociallogin, "staff", None)
        if staff is None:
            _refuse(request, SignInRefused.TOKEN, "not a staff sign-in")
        try:
            user = staff_sign_in(staff)
        except StaffSignInRefused as exc:
            _refuse(request, exc.reason, exc.detail)
        uid = account_uid(staff.tenant_id, staff.object_id)
        account = SocialAccount.objects.filter(provider=PROVIDER_ID, uid=uid).select_related("user").first()
        if account is not None and account.user_id != user.pk:
            _refuse(request, StaffSignInRefused.NOT_STAFF, "social account linked to another user")
        if not sociallogin.is_existing:
            # Just-in-time or provisioned account: linked by tenant and object id.
            sociallogin.connect(request, user)
        else:
            sociallogin.user = user

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        # Staff accounts are made by staff_sign_in (above) or by provisioning, never by sign-up.
        if _is_staff_provider(sociallogin.provider):
            return False
        return super().is_open_for_signup(request, sociallogin)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        if not _is_staff_provider(provider):
            return super().on_authentication_error(request, provider, error, exception, extra_context)
        if error == AuthError.CANCELLED:
            raise ImmediateHttpResponse(refused_page(request, CANCELLED, status=200))
        reason = getattr(exception, "reason", SignInRefused.TOKEN)
        log.warning("staff sign-in refused: error=%s exception=%s", error, exception)
        raise ImmediateHttpResponse(refused_page(request, reason))
