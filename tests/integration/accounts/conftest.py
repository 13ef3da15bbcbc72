"""Sign-in fixtures. Citizens: the real flow over HTTP, with Kontakt and the
development identity provider in Django's live server and a requests session
playing the browser. Staff: the organisation of tests/integration/cases."""

import copy
import re
from html import unescape

import pytest
import requests

from tests.integration.cases.helpers import build_org


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def dev_idp(live_server, settings):
    """Points Kontakt's OpenID Connect client at the live server's provider."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"][0]["settings"]["server_url"] = f"{live_server.url}/dev-idp"
    settings.SOCIALACCOUNT_PROVIDERS = providers
    return live_server.url


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def start_sign_in(base: str, session: requests.Session | None = None):
    """From Kontakt's sign-in page to the provider's persona page."""
    session = session or requests.Session()
    page = session.get(f"{base}/mina-sidor/logga-in/")
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    authorize = session.post(f"{base}{action}", data={"csrfmiddlewaretoken": _csrf(page.text), "next": "/mina-sidor/"})
    assert authorize.status_code == 200, authorize.text
    return session, authorize


def choose_persona(session, authorize, persona: str) -> str:
    """Submits the persona choice; returns the callback URL (code and state)."""
    form = {
        k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', authorize.text)
    }
    form.update(persona=persona, allow="on")
    answer = session.post(authorize.url, data=form, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def sign_in(base: str, persona: str, session=None):
    session, authorize = start_sign_in(base, session)
    callback = choose_persona(session, authorize, persona)
    return session, session.get(callback)


def main_text(response) -> str:
    main = response.text.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()
