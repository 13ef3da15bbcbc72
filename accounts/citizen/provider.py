"""Kontakt's OpenID Connect provider for e-legitimation. It is allauth's
provider with these changes:

- the ID token's signature is always checked against the broker's JWKS
  (allauth skips it for tokens fetched from the token endpoint), along with
  issuer, audience, expiry and issued-at;
- a nonce bound to the one-time state is sent and checked;
- the assurance level (acr) must be one of KONTAKT_OIDC_ACCEPTED_ACR;
- the personal identity or coordination number is validated and replaced by a
  keyed hash and a masked form before anything is stored;
- the account is keyed on issuer and subject together, and never on e-mail;
- scopes and parameters cannot be widened from the request.
"""

from __future__ import annotations

import hashlib
import json

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accounts.citizen.views import CitizenOAuth2Adapter, reprompt_params


def account_uid(issuer: str, subject: str) -> str:
    """The SocialAccount uid: the same subject at two issuers never collides."""
    return hashlib.sha256(json.dumps([issuer, subject]).encode()).hexdigest()


class CitizenProvider(OpenIDConnectProvider):
    package = "accounts.citizen"
    oauth2_adapter_class = CitizenOAuth2Adapter
    pkce_enabled_default = True
    # Sign-in only through the browser flow, never with a token handed over by a client.
    supports_token_authentication = False

    def get_default_scope(self):
        return list(settings.KONTAKT_OIDC_SCOPES)

    def get_scope_from_request(self, request: HttpRequest):
        return self.get_scope()

    def get_auth_params_from_request(self, request: HttpRequest, action):
        return {**self.get_auth_params(), **reprompt_params(request)}

    def get_redirect_from_request_kwargs(self, request: HttpRequest):
        kwargs = super().get_redirect_from_request_kwargs(request)
        kwargs["process"] = "login"
        kwargs.setdefault("next_url", reverse("portal:mina_sidor"))
        return kwargs

    def get_oauth2_adapter(self, request: HttpRequest):
        return CitizenOAuth2Adapter(request, self.app.provider_id)

    def extract_uid(self, data):
        claims = data["id_token"]
        return account_uid(claims["iss"], claims["sub"])

    def extract_extra_data(self, data):
        # Only what identifies the account; the number and names are not kept here.
        claims = data["id_token"]
        return {"id_token": {key: claims[key] for key in ("iss", "sub", "acr") if key in claims}}

    def extract_common_fields(self, data):
        citizen = data["citizen"]
        return {"first_name": citizen["given_name"], "last_name": citizen["family_name"]}

    def extract_email_addresses(self, data):
        return []

    def sociallogin_from_response(self, request: HttpRequest, response):
        login = super().sociallogin_from_response(request, response)
        # Read by the adapter to record the identity; never serialized.
        login.citizen = response["citizen"]
        return login

    def verify_token(self, request: HttpRequest, token):
        raise NotImplementedError


provider_classes = [CitizenProvider]
