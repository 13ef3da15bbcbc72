"""Failed staff sign-ins: per account with a doubling lock, per address with
a high ceiling (accounts/throttle.py, ACCOUNT_RATE_LIMITS), and the client
address behind a proxy (core/network.py)."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import throttle
from core.network import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _fail(client: Client, email: str) -> None:
    client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})


def test_five_wrong_passwords_lock_that_account_only(org):
    office = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        _fail(office, org.officer.email)
    refused = office.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in office.session and "account_authentication_methods" not in str(office.session.items())
    assert "För många" in refused.content.decode()
    # A colleague behind the same address signs in as usual.
    colleague = Client(REMOTE_ADDR="10.0.0.7")
    response = colleague.post(reverse("account_login"), {"login": org.head.email, "password": PASSWORD})
    assert response.status_code == 302


def test_lock_doubles_and_is_capped(settings):
    settings.KONTAKT_SIGNIN_FREE_FAILURES = 5
    settings.KONTAKT_SIGNIN_LOCK_SECONDS = 60
    settings.KONTAKT_SIGNIN_LOCK_MAX_SECONDS = 3600
    assert [throttle.lock_seconds(n) for n in (4, 5, 6, 7, 8, 12, 40)] == [0, 60, 120, 240, 480, 3600, 3600]


def test_wrong_totp_codes_count_against_the_account(org):
    TOTP.activate(org.officer, generate_totp_secret())
    client = Client()
    client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert throttle.account_locked(org.officer.email)


def test_a_complete_sign_in_clears_the_count(org):
    secret = generate_totp_secret()
    TOTP.activate(org.officer, secret)
    client = Client()
    for _ in range(4):
        _fail(client, org.officer.email)
    client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    _fail(Client(), org.officer.email)
    assert not throttle.account_locked(org.officer.email)


def test_many_accounts_from_one_address_meet_the_address_ceiling(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/15m/ip"}
    client = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(3):
        _fail(client, f"nobody{n}@example.se")
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "För många" in response.content.decode()


@pytest.mark.parametrize(
    "behind, hops, forwarded, expected",
    [
        (False, 1, "1.1.1.1", "192.0.2.1"),
        (True, 1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),
        (True, 2, "6.6.6.6, 1.1.1.1, 10.0.0.2", "1.1.1.1"),
        (True, 2, "1.1.1.1", "1.1.1.1"),
        (True, 1, "", "192.0.2.1"),
        (True, 1, "not-an-address", "192.0.2.1"),
    ],
)
def test_client_address_takes_the_configured_hop_from_the_right(settings, behind, hops, forwarded, expected):
    settings.KONTAKT_BEHIND_PROXY = behind
    settings.KONTAKT_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
