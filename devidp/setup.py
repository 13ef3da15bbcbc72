"""Registers Kontakt as a client of the development provider and creates the
persona rows its grants point to. Run after every migrate."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from oauth2_provider.models import get_application_model

from accounts.models import User
from devidp.personas import PERSONAS


def redirect_uris() -> list[str]:
    path = reverse("openid_connect_callback", kwargs={"provider_id": settings.KONTAKT_OIDC_PROVIDER_ID})
    site = urlsplit(settings.SITE_URL)
    # Loopback addresses match on any port (RFC 8252), so the test servers' fit too.
    uris = [f"{settings.SITE_URL}{path}", f"http://127.0.0.1{path}", f"http://localhost{path}"]
    if site.hostname not in ("127.0.0.1", "localhost"):
        uris.append(f"http://{site.hostname}{path}")
    return list(dict.fromkeys(uris))


def post_logout_redirect_uris() -> list[str]:
    path = reverse("portal:start")
    return list(dict.fromkeys([f"{settings.SITE_URL}{path}", f"http://127.0.0.1{path}", f"http://localhost{path}"]))


def ensure_client_and_personas() -> None:
    for persona in PERSONAS:
        # Rows the provider's grants and tokens point to. Inactive and without
        # a password: they can never sign in to Kontakt itself.
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={
                "kind": User.Kind.CITIZEN,
                "is_active": False,
                "first_name": persona.given_name,
                "last_name": persona.family_name,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])

    Application = get_application_model()
    app = Application.objects.filter(client_id=settings.KONTAKT_OIDC_CLIENT_ID).first() or Application(
        client_id=settings.KONTAKT_OIDC_CLIENT_ID
    )
    app.name = "Kontakt"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.algorithm = Application.RS256_ALGORITHM
    app.redirect_uris = " ".join(redirect_uris())
    app.post_logout_redirect_uris = " ".join(post_logout_redirect_uris())
    app.skip_authorization = False
    app.client_secret = settings.KONTAKT_OIDC_CLIENT_SECRET
    app.save()
