"""A real OpenID Connect provider on loopback that issues Entra-shaped
tokens, for the staff sign-in tests: the issuer is
http://127.0.0.1:<port>/<tenant id>/v2.0 like
https://login.microsoftonline.com/<tenant id>/v2.0, the endpoints have
Entra's paths, and the ID token carries `oid`, `tid`, `groups`, `amr`,
`preferred_username`. It checks the client, the redirect URI, the client
secret and PKCE like Entra does, and signs with RS256 under a published key.

There is no sign-in page: the authorize endpoint answers at once for the
person the test chose (`EntraIdP.person`), as Entra does for someone who is
already signed in to the municipality's account."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.servers import free_port

TENANT_ID = "5f1c2a9e-3b4d-4e6f-8a7b-9c0d1e2f3a4b"
CLIENT_ID = "8d7c6b5a-4e3f-4a1b-9c8d-7e6f5a4b3c2d"
CLIENT_SECRET = "entra-test-secret"


@dataclass
class Person:
    """Who the next sign-in is, and what the token says about them."""

    object_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    user_name: str = "anna.andersson@burlov.example"
    given_name: str = "Anna"
    family_name: str = "Andersson"
    email: str | None = "anna.andersson@burlov.example"
    groups: list[str] = field(default_factory=list)
    amr: list[str] = field(default_factory=lambda: ["pwd", "mfa"])
    tenant_id: str = TENANT_ID
    # Extra claims, e.g. Entra's group overage (_claim_names).
    extra: dict[str, Any] = field(default_factory=dict)


class EntraIdP:
    def __init__(self, tenant_id: str = TENANT_ID) -> None:
        self.tenant_id = tenant_id
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.origin}/{tenant_id}/v2.0"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.person = Person()
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens_issued = 0
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                idp._get(self)

            def do_POST(self) -> None:
                idp._post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> EntraIdP:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -------------------------------------------------------------- endpoints

    def _json(self, handler: BaseHTTPRequestHandler, payload: dict, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        base = f"/{self.tenant_id}"
        if url.path == f"{base}/v2.0/.well-known/openid-configuration":
            return self._json(
                handler,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.origin}{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{self.origin}{base}/oauth2/v2.0/token",
                    "jwks_uri": f"{self.origin}{base}/discovery/v2.0/keys",
                    "userinfo_endpoint": f"{self.origin}/oidc/userinfo",
                    "response_types_supported": ["code", "id_token", "code id_token"],
                    "subject_types_supported": ["pairwise"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                    "scopes_supported": ["openid", "profile", "email", "offline_access"],
                    "claims_supported": ["sub", "iss", "aud", "exp", "iat", "oid", "tid", "groups", "amr"],
                },
            )
        if url.path == f"{base}/discovery/v2.0/keys":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return self._json(handler, {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]})
        if url.path == f"{base}/oauth2/v2.0/authorize":
            return self._authorize(handler, {k: v[0] for k, v in parse_qs(url.query).items()})
        self._json(handler, {"error": "not_found"}, 404)

    def _authorize(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return self._json(handler, {"error": "unauthorized_client"}, 400)
        redirect_uri = query.get("redirect_uri", "")
        loopback = redirect_uri.startswith(("http://127.0.0.1:", "http://localhost:"))
        if not loopback or not redirect_uri.endswith("/konto/entra/login/callback/"):
            return self._json(handler, {"error": "invalid_request", "error_description": "redirect_uri"}, 400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self._json(handler, {"error": "invalid_request", "error_description": "PKCE"}, 400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": redirect_uri,
            "nonce": query.get("nonce"),
            "challenge": query["code_challenge"],
            "person": self.person,
            "scope": query.get("scope", ""),
        }
        handler.send_response(302)
        handler.send_header("Location", f"{redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        if url.path != f"/{self.tenant_id}/oauth2/v2.0/token":
            return self._json(handler, {"error": "not_found"}, 404)
        length = int(handler.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = handler.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            return self._json(handler, {"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None:
            return self._json(handler, {"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(handler, {"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return self._json(handler, {"error": "invalid_grant", "error_description": "PKCE"}, 400)
        self.tokens_issued += 1
        self._json(
            handler,
            {
                "token_type": "Bearer",
                "scope": grant["scope"],
                "expires_in": 3600,
                "access_token": secrets.token_urlsafe(32),
                "id_token": self.id_token(grant["person"], grant["nonce"]),
            },
        )

    def id_token(self, person: Person, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "ver": "2.0",
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "sub": hashlib.sha256(f"{CLIENT_ID}:{person.object_id}".encode()).hexdigest()[:43],
            "oid": person.object_id,
            "tid": person.tenant_id,
            "name": f"{person.given_name} {person.family_name}",
            "given_name": person.given_name,
            "family_name": person.family_name,
            "preferred_username": person.user_name,
            "groups": list(person.groups),
            "amr": list(person.amr),
            "uti": secrets.token_urlsafe(16),
            **person.extra,
        }
        if person.email:
            claims["email"] = person.email
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    # ------------------------------------------------------------ for Kontakt

    def provider_settings(self) -> dict[str, Any]:
        """SOCIALACCOUNT_PROVIDERS["entra"] pointing at this provider."""
        return {
            "APPS": [
                {
                    "provider_id": "entra",
                    "name": "Microsoft Entra ID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": self.issuer, "tenant_id": self.tenant_id},
                }
            ]
        }
