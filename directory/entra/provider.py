"""The staff provider: allauth's OpenID Connect provider for Entra ID. The
account is keyed on tenant and object id, never on e-mail; the token's
names, groups and MFA are handed to directory.adapter, never stored on the
social account."""

from __future__ import annotations

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.stages import idp_mfa_mark
from directory.entra.views import PROVIDER_ID, EntraOAuth2Adapter


def account_uid(tenant_id: str, object_id: str) -> str:
    return f"{tenant_id.lower()}/{object_id.lower()}"


class EntraProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "Microsoft Entra ID"
    package = "directory.entra"
    oauth2_adapter_class = EntraOAuth2Adapter
    pkce_enabled_default = True
    supports_token_authentication = False

    def get_login_url(self, request: HttpRequest, **kwargs):
        url = reverse("entra_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("entra_callback")

    def get_default_scope(self):
        return list(settings.KONTAKT_ENTRA_SCOPES)

    def get_scope_from_request(self, request: HttpRequest):
        return self.get_scope()

    def get_auth_params_from_request(self, request: HttpRequest, action):
        return self.get_auth_params()

    def get_redirect_from_request_kwargs(self, request: HttpRequest):
        kwargs = super().get_redirect_from_request_kwargs(request)
        kwargs["process"] = "login"
        kwargs.setdefault("next_url", settings.LOGIN_REDIRECT_URL)
        return kwargs

    def get_oauth2_adapter(self, request: HttpRequest):
        return EntraOAuth2Adapter(request, self.app.provider_id)

    def extract_uid(self, data):
        staff = data["staff"]
        return account_uid(staff.tenant_id, staff.object_id)

    def extract_extra_data(self, data):
        staff = data["staff"]
        return {"tid": staff.tenant_id.lower(), "oid": staff.object_id.lower()}

    def extract_common_fields(self, data):
        return {}

    def extract_email_addresses(self, data):
        return []

    def sociallogin_from_response(self, request: HttpRequest, response):
        login = super().sociallogin_from_response(request, response)
        # Read by directory.adapter; never serialized.
        login.staff = response["staff"]
        if response["staff"].mfa:
            idp_mfa_mark(login, PROVIDER_ID)
        return login

    def verify_token(self, request: HttpRequest, token):
        raise NotImplementedError
