"""The Entra ID sign-in and callback. The ID token is checked like the
citizens' (accounts/citizen/views.py: signature against the tenant's keys,
issuer, audience, expiry, nonce, algorithm), and then:

- `tid` must be the configured tenant, `oid` a GUID;
- the `groups` claim is read; a token whose groups did not fit (group
  overage: `_claim_names` names "groups") is refused, since fetching them
  from Microsoft Graph is not done (README, "Entra ID and provisioning");
- `amr` says whether Entra performed multi-factor authentication."""

from __future__ import annotations

import logging

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2LoginView
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from accounts.citizen.errors import SignInRefused
from accounts.citizen.views import CitizenCallbackView, CitizenOAuth2Adapter, nonce_for_state
from directory.errors import StaffSignInRefused
from directory.services import StaffClaims, is_guid

log = logging.getLogger(__name__)

PROVIDER_ID = "entra"


def groups_from_claims(claims: dict) -> tuple[str, ...]:
    """The group object ids of the token. Entra leaves them out and points
    to Microsoft Graph instead when there are too many for a token (over 200
    in a JWT): `_claim_names` names "groups", or `hasgroups` is true."""
    claim_names = claims.get("_claim_names")
    if (isinstance(claim_names, dict) and "groups" in claim_names) or claims.get("hasgroups"):
        raise StaffSignInRefused(StaffSignInRefused.GROUP_OVERAGE, "groups claim overage")
    groups = claims.get("groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise StaffSignInRefused(StaffSignInRefused.TOKEN, "groups claim is not a list of strings")
    return tuple(groups)


def mfa_performed(claims: dict) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    accepted = set(settings.KONTAKT_ENTRA_MFA_AMR)
    return isinstance(amr, list) and any(value in accepted for value in amr)


def _text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def staff_claims(claims: dict, tenant_id: str) -> StaffClaims:
    tid, oid = _text(claims, "tid"), _text(claims, "oid")
    if not tid or not constant_time_compare(tid.lower(), tenant_id.strip().lower()):
        raise StaffSignInRefused(StaffSignInRefused.TENANT, "tid is not the configured tenant")
    if not is_guid(oid):
        raise StaffSignInRefused(StaffSignInRefused.TOKEN, "no object id (oid)")
    user_name = _text(claims, "preferred_username") or _text(claims, "upn")
    email = _text(claims, "email") or (user_name if "@" in user_name else "")
    given, family = _text(claims, "given_name"), _text(claims, "family_name")
    if not (given or family) and _text(claims, "name"):
        given, _, family = _text(claims, "name").partition(" ")
    return StaffClaims(
        tenant_id=tid,
        object_id=oid,
        user_name=user_name,
        email=email.lower(),
        given_name=given,
        family_name=family,
        groups=groups_from_claims(claims),
        mfa=mfa_performed(claims),
    )


class EntraOAuth2Adapter(CitizenOAuth2Adapter):
    def get_callback_url(self, request: HttpRequest, app):
        return build_absolute_uri(request, reverse("entra_callback"), self.redirect_uri_protocol)

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise StaffSignInRefused(SignInRefused.TOKEN, "no id_token in the token response")
        claims = self._verify_id_token(app, id_token)
        if not constant_time_compare(str(claims.get("nonce", "")), nonce_for_state(request.GET.get("state", ""))):
            raise StaffSignInRefused(SignInRefused.TOKEN, "nonce does not belong to this sign-in")
        staff = staff_claims(claims, app.settings.get("tenant_id", ""))
        return self.get_provider().sociallogin_from_response(request, {"id_token": claims, "staff": staff})


class EntraCallbackView(CitizenCallbackView):
    """The citizens' callback checks (RFC 9207 when offered, unusable
    answers refused); refusals are shown on the staff page
    (directory.adapter)."""


@login_not_required
def login(request: HttpRequest):
    try:
        return OAuth2LoginView.adapter_view(EntraOAuth2Adapter(request, PROVIDER_ID))(request)
    except SocialApp.DoesNotExist:
        raise Http404


@login_not_required
def callback(request: HttpRequest):
    try:
        return EntraCallbackView.adapter_view(EntraOAuth2Adapter(request, PROVIDER_ID))(request)
    except SocialApp.DoesNotExist:
        raise Http404
