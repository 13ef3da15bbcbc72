"""Session lengths by kind of user (accounts/sessions.py): idle timeouts,
the citizen's browser-session cookie, and the new key at every sign-in."""

import time

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.sessions import ACTIVE_AT, SIGNED_IN_AT
from tests.factories import UserFactory
from tests.integration.accounts.conftest import choose_persona, start_sign_in
from tests.integration.cases.helpers import signed_in

PASSWORD = "correct-horse-battery"


def _age(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@pytest.mark.django_db
def test_idle_citizen_session_ends_and_the_next_page_says_so(client):
    citizen = UserFactory(kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    assert client.get(reverse("portal:mina_sidor")).status_code == 200
    _age(client, ACTIVE_AT, settings.KONTAKT_CITIZEN_IDLE_MINUTES * 60 - 60)
    assert client.get(reverse("portal:mina_sidor")).status_code == 200  # activity: the clock restarts
    _age(client, ACTIVE_AT, settings.KONTAKT_CITIZEN_IDLE_MINUTES * 60 + 1)
    response = client.get(reverse("portal:mina_sidor"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("session_ended"))
    assert "Din session har avslutats" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_text_posted_after_the_session_ended_is_shown_back(client):
    citizen = UserFactory(kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    client.get(reverse("portal:mina_sidor"))
    _age(client, ACTIVE_AT, settings.KONTAKT_CITIZEN_IDLE_MINUTES * 60 + 1)
    response = client.post(reverse("portal:mina_sidor"), {"text": "Gatlampan lyser fortfarande inte"})
    assert response.status_code == 401
    assert "Gatlampan lyser fortfarande inte" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_session_ends_after_the_idle_time_and_after_the_working_day(org):
    client = signed_in(org.officer)
    assert client.get(reverse("cases:list")).status_code == 200
    _age(client, ACTIVE_AT, settings.KONTAKT_STAFF_IDLE_MINUTES * 60 - 60)
    assert client.get(reverse("cases:list")).status_code == 200
    _age(client, ACTIVE_AT, settings.KONTAKT_STAFF_IDLE_MINUTES * 60 + 1)
    response = client.get(reverse("cases:list"))
    assert response["Location"].startswith(reverse("session_ended") + "?kind=staff")

    client = signed_in(org.officer)
    client.get(reverse("cases:list"))
    _age(client, SIGNED_IN_AT, settings.KONTAKT_STAFF_SESSION_HOURS * 3600)
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("session_ended"))


@pytest.mark.django_db
def test_keep_alive_counts_as_activity(client):
    citizen = UserFactory(kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    _age(client, ACTIVE_AT, settings.KONTAKT_CITIZEN_IDLE_MINUTES * 60 - 10)
    response = client.post(reverse("session_keep_alive"))
    assert response.status_code == 200 and response.json()["signed_in"]
    assert time.time() - client.session[ACTIVE_AT] < 5


@pytest.mark.django_db
def test_page_warns_before_the_session_ends(client):
    client.force_login(UserFactory(kind=User.Kind.CITIZEN))
    body = client.get(reverse("portal:mina_sidor")).content.decode()
    assert 'data-idle-seconds="1800"' in body
    assert "js/session.js" in body
    assert "Du loggas ut om 2 minuter" in body


@pytest.mark.django_db
def test_staff_sign_in_gives_a_new_session_key_and_a_working_day_cookie(org):
    secret = generate_totp_secret()
    TOTP.activate(org.officer, secret)
    client = Client()
    client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != before
    assert 0 < int(cookie["max-age"]) <= settings.KONTAKT_STAFF_SESSION_HOURS * 3600


@pytest.mark.django_db(transaction=True)
def test_citizen_sign_in_gives_a_new_session_key_and_a_browser_session_cookie(dev_idp):
    session, authorize = start_sign_in(dev_idp)
    before = session.cookies.get(settings.SESSION_COOKIE_NAME)
    assert before
    callback = choose_persona(session, authorize, "tolvan")
    response = session.get(callback, allow_redirects=False)
    assert response.status_code == 302
    cookies = [
        c for c in response.headers["Set-Cookie"].split(", ") if c.startswith(f"{settings.SESSION_COOKIE_NAME}=")
    ]
    assert len(cookies) == 1
    # A browser-session cookie: no Max-Age, no Expires.
    assert "max-age" not in cookies[0].lower() and "expires" not in cookies[0].lower()
    assert session.cookies.get(settings.SESSION_COOKIE_NAME) != before
    assert session.get(f"{dev_idp}/mina-sidor/", allow_redirects=False).status_code == 200
