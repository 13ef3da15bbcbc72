"""Claims of the Swedish OpenID Connect profile for e-identification, and
the deliberate faults of the fault personas."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.db import router, transaction
from jwcrypto import jwk, jwt
from oauth2_provider.models import IDToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from devidp.personas import BY_USERNAME, COORD, PNR, STALE_NONCE

NUMBER_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
INFO_SCOPE = "https://id.oidc.se/scope/naturalPersonInfo"

_throwaway_key = None


def throwaway_key() -> jwk.JWK:
    """A key the provider never publishes: tokens signed with it must be refused."""
    global _throwaway_key
    if _throwaway_key is None:
        _throwaway_key = jwk.JWK.generate(kty="RSA", size=2048)
    return _throwaway_key


class DevIdPValidator(OAuth2Validator):
    oidc_claim_scope = {
        "sub": "openid",
        "acr": "openid",
        "given_name": INFO_SCOPE,
        "family_name": INFO_SCOPE,
        "name": INFO_SCOPE,
        PNR: NUMBER_SCOPE,
        COORD: NUMBER_SCOPE,
    }

    def get_claim_dict(self, request):
        persona = BY_USERNAME[request.user.username]
        return {"sub": persona.subject, "acr": persona.acr, **persona.claims()}

    def get_userinfo_claims(self, request):
        """Plain JSON, or, with the test setting DEVIDP_SIGNED_USERINFO, a
        signed JWT (application/jwt) as the Swedish profile recommends;
        "foreign-key" signs it with a key the provider never publishes."""
        claims = super().get_userinfo_claims(request)
        mode = getattr(settings, "DEVIDP_SIGNED_USERINFO", False)
        if not mode:
            return claims
        key = throwaway_key() if mode == "foreign-key" else request.client.jwk_key
        claims = {**claims, "iss": self.get_oidc_issuer_endpoint(request), "aud": request.client.client_id}
        header = {"typ": "JWT", "alg": "RS256", "kid": request.client.jwk_key.thumbprint()}
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims, default=str))
        signed.make_signed_token(key)
        return signed.serialize()

    def get_discovery_claims(self, request):
        return list(self.oidc_claim_scope)

    def finalize_id_token(self, id_token, token, token_handler, request):
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}

        fault = BY_USERNAME[request.user.username].fault
        now = int(time.time())
        if fault == "wrong_issuer":
            id_token["iss"] = "https://idp.fel-utfardare.example"
        elif fault == "wrong_audience":
            id_token["aud"] = "en-annan-tjanst"
        elif fault == "expired":
            id_token["iat"], id_token["exp"] = now - 7200, now - 3600
        elif fault == "replayed_nonce":
            id_token["nonce"] = STALE_NONCE
        elif fault == "bad_signature":
            key = throwaway_key()  # the published kid, the wrong key
        elif fault == "unknown_kid":
            key = throwaway_key()
            header["kid"] = key.thumbprint()

        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        with transaction.atomic(using=router.db_for_write(IDToken)):
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return signed.serialize()
