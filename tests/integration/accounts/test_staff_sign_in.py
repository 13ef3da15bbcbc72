"""Staff sign-in through allauth: password, then TOTP; set-up for those
without it; throttling of failed attempts; the administrator's MFA reset."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.integration.cases.helpers import signed_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_sign_in_with_password_and_totp_reaches_the_cases(org):
    secret = generate_totp_secret()
    TOTP.activate(org.officer, secret)
    client = Client()
    response = client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the back office sends the visitor to sign in.
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_staff_without_totp_sets_it_up_and_then_reaches_the_cases(org):
    client = Client()
    client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    response = client.get(reverse("cases:list"))
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert "Ställ in tvåstegsverifiering" in page.content.decode()
    secret = page.context["form"].secret
    # allauth announces the new authenticator after its commit, inside the
    # request; the session is then marked as having passed the second factor.
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=org.officer, type="totp").exists()
    assert client.get(reverse("cases:list")).status_code == 200


def test_failed_sign_ins_are_throttled(org):
    client = Client()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": org.officer.email, "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    # Even the right password is refused until the window has passed.
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    body = response.content.decode()
    assert "För många" in body or response.status_code == 429


def test_sign_in_page_shows_errors_in_swedish(org):
    response = Client().post(reverse("account_login"), {"login": "", "password": ""})
    body = response.content.decode()
    assert "Det finns ett problem" in body and 'aria-invalid="true"' in body
    assert body.count("<h1") == 1


def test_administrator_resets_mfa(org):
    TOTP.activate(org.officer, generate_totp_secret())
    officer_session = signed_in(org.officer)
    assert officer_session.get(reverse("cases:list")).status_code == 200
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = signed_in(admin).post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_mfa", "_selected_action": [org.officer.pk]}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=org.officer).exists()
    # The officer's session ended; at the next sign-in they set TOTP up again.
    assert officer_session.get(reverse("cases:list"))["Location"].startswith(reverse("account_login"))


def test_admin_has_no_password_only_entrance(org):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(admin, mfa=False)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_shows_the_recovery_codes_once_right_after_totp_setup(org):
    client = Client()
    client.post(reverse("account_login"), {"login": org.officer.email, "password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    page = client.get(response["Location"])
    html = page.content.decode()
    codes = page.context["unused_codes"]
    assert len(codes) == 10 and all(code in html for code in codes)
    assert "Jag har sparat koderna – fortsätt" in html
    # Shown once: a second look shows no code and offers new ones instead.
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "Skapa nya reservkoder" in again
    assert client.get(reverse("cases:home"))["Location"] == "/handlaggning/arenden/?queue=mine"


@pytest.mark.parametrize(("url", "field"), [("account_reauthenticate", ">Lösenord"), ("mfa_reauthenticate", ">Kod")])
def test_the_reauthentication_pages_say_what_they_are_for_and_have_a_form(org, url, field):
    TOTP.activate(org.officer, generate_totp_secret())
    html = signed_in(org.officer).get(reverse(url)).content.decode()
    assert "<h1>Bekräfta att det är du</h1>" in html
    assert "reservkoder" in html and "<form" in html and field in html
    assert "Bekräfta</button>" in html


def test_show_your_recovery_codes_asks_to_confirm_and_then_offers_new_codes(org):
    TOTP.activate(org.officer, generate_totp_secret())
    RecoveryCodes.activate(org.officer).mark_as_viewed()
    client = signed_in(org.officer)
    assert "Visa dina reservkoder" in client.get(reverse("mfa_index")).content.decode()
    response = client.get(reverse("mfa_view_recovery_codes"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "<h1>Bekräfta att det är du</h1>" in response.content.decode()
    response = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": reverse("mfa_view_recovery_codes")}
    )
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "kan inte visas igen" in html and "Skapa nya reservkoder" in html
    assert "<h1>Skapa nya reservkoder</h1>" in client.get(reverse("mfa_generate_recovery_codes")).content.decode()
    response = client.post(reverse("mfa_generate_recovery_codes"), follow=True)
    assert "Jag har sparat koderna – fortsätt" in response.content.decode()
    assert len(response.context["unused_codes"]) == 10
