"""Each role lands where its work is, and the staff menu offers only the
pages the role may open (cases/navigation.py)."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from tests.integration.cases.helpers import signed_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"

LANDING = {
    "stats": "/statistik/",
    "desk": "/handlaggning/arenden/?queue=new",
    "officer": "/handlaggning/arenden/?queue=mine",
    "head": "/handlaggning/arenden/?queue=units",
    "dept_head": "/handlaggning/arenden/?queue=units",
    "admin": "/handlaggning/arenden/?queue=new",
}


@pytest.mark.parametrize("role", sorted(LANDING))
def test_the_start_of_the_back_office_sends_each_role_to_its_own_page(org, role):
    client = signed_in(getattr(org, role))
    response = client.get("/handlaggning/")
    assert response.status_code == 302
    assert response["Location"] == LANDING[role]
    assert client.get(response["Location"]).status_code == 200


def test_a_statistics_reader_at_the_back_office_is_sent_to_the_statistics_not_refused(org):
    client = signed_in(org.stats)
    response = client.get("/handlaggning/", follow=True)
    assert response.redirect_chain == [("/statistik/", 302)]
    assert response.status_code == 200
    html = response.content.decode()
    # The menu offers the statistics and signing out, never the cases.
    assert "Logga ut" in html
    assert 'href="/handlaggning/' not in html and "Registrera ett ärende" not in html


def test_the_password_sign_in_lands_on_the_role_s_own_page(org):
    secret = generate_totp_secret()
    TOTP.activate(org.stats, secret)
    client = Client()
    client.post(reverse("account_login"), {"login": org.stats.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()}, follow=True)
    assert response.redirect_chain[-1][0] == "/statistik/"
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("stats", ["Statistik"], ["Ärenden", "Registrera ett ärende", "Administration", "Registerutdrag"]),
        ("dept_head", ["Ärenden", "Statistik"], ["Registrera ett ärende", "Administration", "Registerutdrag"]),
        ("officer", ["Ärenden", "Registrera ett ärende", "Statistik"], ["Administration", "Registerutdrag"]),
        ("admin", ["Ärenden", "Registrera ett ärende", "Statistik", "Administration", "Registerutdrag"], []),
    ],
)
def test_the_staff_menu_shows_only_what_the_role_may_open(org, role, shown, hidden):
    html = signed_in(getattr(org, role)).get("/statistik/").content.decode()
    menu = html.split('aria-label="Huvudmeny"', 1)[1].split("</nav>", 1)[0]
    for label in shown + ["Logga ut", "Tvåstegsverifiering"]:
        assert f">{label}<" in menu, label
    for label in hidden:
        assert f">{label}<" not in menu, label
