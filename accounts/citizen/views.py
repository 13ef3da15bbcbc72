"""The sign-in and callback views, and the checks allauth leaves out."""

from __future__ import annotations

import logging

import jwt
import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.citizen import numbers
from accounts.citizen.errors import SignInRefused

log = logging.getLogger(__name__)

# Asymmetric algorithms only: never "none", never a shared-secret HMAC.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
CLOCK_SKEW_SECONDS = 30
WELL_KNOWN = "/.well-known/openid-configuration"


# Set when a sign-in is refused: the next attempt ("Try again") asks the
# broker to show its sign-in page again instead of reusing its session, so
# the citizen can choose another e-identification.
REPROMPT_SESSION_KEY = "kontakt_oidc_reprompt"
REPROMPT_PARAMS = {"prompt": "login", "max_age": "0"}


def reprompt_next_sign_in(request: HttpRequest) -> None:
    request.session[REPROMPT_SESSION_KEY] = True


def reprompt_params(request: HttpRequest) -> dict[str, str]:
    """The extra authorization parameters for this attempt, used once."""
    return dict(REPROMPT_PARAMS) if request.session.pop(REPROMPT_SESSION_KEY, False) else {}


def nonce_for_state(state_id: str) -> str:
    """The nonce sent with a sign-in. It is derived from the state, which
    allauth keeps in the session and accepts once, so an ID token is bound to
    one sign-in in one browser."""
    return salted_hmac("kontakt.citizen.nonce", state_id or "", algorithm="sha256").hexdigest()


def expected_issuer(server_url: str) -> str:
    url = server_url.split(WELL_KNOWN)[0]
    return url.rstrip("/")


class NonceClient(OAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        return super().get_redirect_url(
            authorization_url, scope, {**extra_params, "nonce": nonce_for_state(self.state)}
        )


class CitizenOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    client_class = NonceClient

    @property
    def openid_config(self):
        config = super().openid_config
        # OpenID Connect Discovery: the issuer is the URL the configuration came from.
        server_url = self.get_provider().app.settings["server_url"]
        if config.get("issuer", "").rstrip("/") != expected_issuer(server_url):
            raise SignInRefused(SignInRefused.TOKEN, "discovery issuer does not match the configured server URL")
        return config

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise SignInRefused(SignInRefused.TOKEN, "no id_token in the token response")
        claims = self._verify_id_token(app, id_token)
        if not constant_time_compare(str(claims.get("nonce", "")), nonce_for_state(request.GET.get("state", ""))):
            raise SignInRefused(SignInRefused.TOKEN, "nonce does not belong to this sign-in")
        if app.settings.get("fetch_userinfo", False):
            userinfo = self._fetch_user_info(token.token)
            if userinfo.get("sub") != claims["sub"]:
                raise SignInRefused(SignInRefused.TOKEN, "userinfo subject differs from the ID token's")
            claims = {**userinfo, **claims}
        acr = claims.get("acr", "")
        if acr not in settings.KONTAKT_OIDC_ACCEPTED_ACR:
            raise SignInRefused(SignInRefused.ASSURANCE, f"acr {acr!r} not accepted")
        citizen = citizen_from_claims(claims)
        # Only for the sign-out's id_token_hint (accounts.citizen.logout_hint).
        citizen["id_token"] = id_token
        data = {"id_token": claims, "citizen": citizen}
        return self.get_provider().sociallogin_from_response(request, data)

    def _fetch_user_info(self, access_token: str) -> dict:
        """The UserInfo response: plain JSON, or a JWT signed by the broker
        (Content-Type application/jwt, as the Swedish profile recommends),
        verified like the ID token."""
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/jwt":
            app = self.get_provider().app
            return self._verify_jwt(app, response.text.strip(), what="UserInfo", required=["iss", "sub", "aud"])
        return response.json()

    def _verify_id_token(self, app, id_token: str) -> dict:
        claims = self._verify_jwt(app, id_token, what="ID token", required=["iss", "sub", "aud", "exp", "iat"])
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != app.client_id:
            raise SignInRefused(SignInRefused.TOKEN, "several audiences and azp is not this client")
        try:
            jwtkit.verify_jti(claims)
        except OAuth2Error as exc:
            raise SignInRefused(SignInRefused.TOKEN, "ID token already used") from exc
        return claims

    def _verify_jwt(self, app, token: str, *, what: str, required: list[str]) -> dict:
        config = self.openid_config
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SignInRefused(SignInRefused.TOKEN, f"unreadable {what}") from exc
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise SignInRefused(SignInRefused.TOKEN, f"{what}: algorithm {alg!r} not allowed")
        key = self._signing_key(config["jwks_uri"], header.get("kid"), alg)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=app.client_id,
                issuer=config["issuer"],
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": required},
            )
        except jwt.PyJWTError as exc:
            raise SignInRefused(SignInRefused.TOKEN, f"{what} rejected: {exc}") from exc
        return claims

    def _signing_key(self, jwks_uri: str, kid, alg: str):
        with get_adapter().get_requests_session() as session:
            response = session.get(jwks_uri)
            response.raise_for_status()
            keys = response.json().get("keys", [])
        candidates = [k for k in keys if k.get("use", "sig") == "sig" and (kid is None or k.get("kid") == kid)]
        if len(candidates) != 1:
            raise SignInRefused(SignInRefused.TOKEN, f"no single signing key for kid {kid!r}")
        try:
            return jwt.PyJWK(candidates[0], algorithm=alg).key
        except (jwt.PyJWTError, ValueError) as exc:
            raise SignInRefused(SignInRefused.TOKEN, "unusable signing key") from exc


def citizen_from_claims(claims: dict) -> dict:
    """Validate the number claims and keep only what Kontakt stores."""
    personal = claims.get(settings.KONTAKT_OIDC_PERSONAL_NUMBER_CLAIM)
    coordination = claims.get(settings.KONTAKT_OIDC_COORDINATION_NUMBER_CLAIM)
    if personal and coordination:
        raise SignInRefused(SignInRefused.NUMBER, "both a personal and a coordination number")
    number = None
    try:
        if personal:
            number = numbers.parse(personal, coordination=False)
        elif coordination:
            number = numbers.parse(coordination, coordination=True)
    except numbers.InvalidNumber as exc:
        raise SignInRefused(SignInRefused.NUMBER, str(exc)) from exc
    return {
        "number": number,
        "acr": claims.get("acr", ""),
        "given_name": str(claims.get(settings.KONTAKT_OIDC_GIVEN_NAME_CLAIM) or "")[:150],
        "family_name": str(claims.get(settings.KONTAKT_OIDC_FAMILY_NAME_CLAIM) or "")[:150],
    }


def check_response_issuer(request: HttpRequest, config: dict) -> None:
    """RFC 9207: a broker that says it names itself in the authorization
    response (success or error) must have done so, with its own issuer; this
    stops a response from another broker being passed off as its."""
    if not config.get("authorization_response_iss_parameter_supported"):
        return
    iss = request.GET.get("iss")
    if iss is None:
        raise SignInRefused(SignInRefused.TOKEN, "no iss in the authorization response")
    if not constant_time_compare(iss.rstrip("/"), str(config["issuer"]).rstrip("/")):
        raise SignInRefused(
            SignInRefused.TOKEN, f"iss {iss!r} of the authorization response is not {config['issuer']!r}"
        )


class CitizenCallbackView(OAuth2CallbackView):
    def dispatch(self, request, *args, **kwargs):
        try:
            check_response_issuer(request, self.adapter.openid_config)
            return super().dispatch(request, *args, **kwargs)
        except SignInRefused as exc:
            return render_authentication_error(request, self.adapter.get_provider(), exception=exc)
        except (OAuth2Error, requests.RequestException, ValueError, KeyError) as exc:
            # The broker answered with something unusable (the discovery
            # document, the key set): refuse like any bad token.
            return render_authentication_error(
                request, self.adapter.get_provider(), exception=SignInRefused(SignInRefused.TOKEN, repr(exc))
            )


@login_not_required
def login(request: HttpRequest, provider_id):
    try:
        return OAuth2LoginView.adapter_view(CitizenOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404


@login_not_required
def callback(request: HttpRequest, provider_id):
    try:
        return CitizenCallbackView.adapter_view(CitizenOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404
