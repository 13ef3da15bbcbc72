"""Fixtures of the directory tests: the loopback Entra-shaped provider
(tests/entra_idp.py) wired into Kontakt, a requests session that plays the
browser, and a SCIM client (scim2-client) on Kontakt's WSGI application."""

from __future__ import annotations

import copy
import re
from html import unescape
from typing import Annotated

import pytest
import requests
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_models import CaseExact, Mutability, Required, ScimProvider

from directory.scim.auth import digest
from directory.scim.resources import KontaktGroup, KontaktUser
from tests.entra_idp import TENANT_ID, EntraIdP
from tests.integration.cases.helpers import build_org

SCIM_TOKEN = "scim-test-token-0123456789"


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def entra(live_server, settings):
    """Kontakt's staff provider pointed at a loopback Entra-shaped provider."""
    with EntraIdP() as idp:
        providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
        providers["entra"] = idp.provider_settings()
        settings.SOCIALACCOUNT_PROVIDERS = providers
        settings.KONTAKT_ENTRA_TENANT_ID = TENANT_ID
        idp.kontakt = live_server.url
        yield idp


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def entra_sign_in(idp: EntraIdP, session: requests.Session | None = None, next_url: str = ""):
    """From Kontakt's staff sign-in page through the provider and back;
    returns the session and the page it ended on."""
    session = session or requests.Session()
    page = session.get(f"{idp.kontakt}/konto/login/")
    assert page.status_code == 200
    assert 'action="/konto/entra/login/"' in page.text
    data = {"csrfmiddlewaretoken": _csrf(page.text)}
    if next_url:
        data["next"] = next_url
    return session, session.post(f"{idp.kontakt}/konto/entra/login/", data=data)


def main_text(response) -> str:
    main = response.text.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


class EntraUser(KontaktUser):
    """A User as Entra's provisioning sends it: always with externalId (the
    object id, when the attribute mapping says objectId → externalId)."""

    external_id: Annotated[str | None, Mutability.read_write, Required.true, CaseExact.true] = None


class EntraGroup(KontaktGroup):
    """A Group as Entra sends it: externalId is the group's object id."""

    external_id: Annotated[str | None, Mutability.read_write, Required.true, CaseExact.true] = None


@pytest.fixture
def scim(settings, db):
    """A SCIM client (scim2-client) calling Kontakt's WSGI application."""
    settings.KONTAKT_ENTRA_TENANT_ID = TENANT_ID
    settings.KONTAKT_SCIM_TOKEN_SHA256 = [digest(SCIM_TOKEN)]
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # As Django's test client does: the requests run inside the test's
        # transaction, so the end of a request must not close the connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = django_app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return WSGISCIMClient(
        app,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {SCIM_TOKEN}"},
        provider=ScimProvider(models=[EntraUser, EntraGroup]),
    )
