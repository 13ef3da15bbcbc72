"""The right-of-access tool finds one person's cases by personal number,
e-mail address or mobile number, and nobody else's; only administrators
reach it; identifiers travel by POST only."""

from __future__ import annotations

import json

import pytest

from accounts.citizen.numbers import number_hash
from accounts.models import CitizenIdentity, User
from cases.models import Case
from cases.services import ContactData
from tests.factories import register_case
from tests.integration.cases.helpers import build_org, signed_in

pytestmark = pytest.mark.django_db

URL = "/admin-verktyg/registerutdrag/"
EXPORT = "/admin-verktyg/registerutdrag/export/"
PIN = "198112189876"


@pytest.fixture
def people(db):
    org = build_org()
    citizen = User.objects.create(username="citizen-x", kind=User.Kind.CITIZEN, first_name="Karin", last_name="Söker")
    CitizenIdentity.objects.create(
        user=citizen,
        number_hash=number_hash(PIN),
        number_masked="19811218-****",
        number_kind="personnummer",
        email="karin.konto@exempel.se",
    )
    signed = register_case(category=org.cat_a, citizen=citizen, description="Inloggad-karin-text")
    by_email = register_case(
        category=org.cat_b,
        description="Epost-karin-text",
        contact=ContactData(name="Karin S", email="Karin.Soker@Exempel.se"),
    )
    by_phone = register_case(
        category=org.cat_c, description="Telefon-karin-text", contact=ContactData(name="K", phone="+46701234599")
    )
    other = register_case(
        category=org.cat_a,
        description="Annan-persons-text",
        contact=ContactData(name="Annan Person", email="annan@exempel.se", phone="+46701234500"),
    )
    return org, citizen, signed, by_email, by_phone, other


def numbers_in(response) -> set[str]:
    text = response.content.decode()
    return {n for n in Case.objects.values_list("number", flat=True) if n in text}


def test_each_identifier_finds_the_persons_cases_and_no_one_elses(people):
    org, citizen, signed, by_email, by_phone, other = people
    client = signed_in(org.admin)
    assert numbers_in(client.post(URL, {"number": "19811218-9876"})) == {signed.number}
    assert numbers_in(client.post(URL, {"email": "karin.soker@exempel.se"})) == {by_email.number}
    assert numbers_in(client.post(URL, {"email": "karin.konto@exempel.se"})) == {signed.number}
    assert numbers_in(client.post(URL, {"phone": "070-123 45 99"})) == {by_phone.number}
    response = client.post(URL, {"number": PIN, "email": "karin.soker@exempel.se", "phone": "0701234599"})
    assert numbers_in(response) == {signed.number, by_email.number, by_phone.number}
    assert other.number not in response.content.decode()
    assert "Annan Person" not in response.content.decode()


def test_the_export_holds_everything_found_and_nothing_else(people):
    org, citizen, signed, by_email, by_phone, other = people
    client = signed_in(org.admin)
    form = {"number": PIN, "email": "karin.soker@exempel.se", "phone": "+46701234599"}
    response = client.post(EXPORT, {**form, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="registerutdrag-')
    data = json.loads(response.content)
    cases = {c["number"]: c for c in data["cases"]}
    assert set(cases) == {signed.number, by_email.number, by_phone.number}
    assert cases[signed.number]["found_by"] == ["number"]
    assert cases[signed.number]["description"] == "Inloggad-karin-text"
    assert cases[by_email.number]["contact"]["email"] == "Karin.Soker@Exempel.se"
    assert data["citizen_accounts"][0]["identity_number"] == "19811218-****"
    assert PIN not in response.content.decode() and number_hash(PIN) not in response.content.decode()
    assert "Annan" not in response.content.decode()

    text = client.post(EXPORT, {**form, "format": "text"})
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    body = text.content.decode()
    assert "Epost-karin-text" in body and "Telefon-karin-text" in body and "Inloggad-karin-text" in body
    assert "Annan" not in body


def test_nothing_found_says_so(people):
    org = people[0]
    response = signed_in(org.admin).post(URL, {"email": "ingen@exempel.se"})
    assert response.status_code == 200
    assert "Kontakt har inga uppgifter om den här personen." in response.content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, None, "Skriv minst ett av personnummer, e-postadress och telefonnummer."),
        ({"number": "19811218-9875"}, "number", "Skriv ett personnummer eller samordningsnummer med 12 siffror"),
        ({"email": "inte-en-adress"}, "email", "Skriv en e-postadress i rätt format"),
        ({"phone": "12"}, "phone", "Skriv ett telefonnummer"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(people, data, field, message):
    org = people[0]
    response = signed_in(org.admin).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Det finns ett problem" in html
    if field:
        assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
        assert f'value="{data[field]}"' in html


def test_only_administrators_reach_the_tool(people, client):
    org = people[0]
    assert client.get(URL).status_code == 302  # sign in first
    for user in (org.officer, org.head, org.dept_head, org.desk):
        assert signed_in(user).get(URL).status_code == 403, user
        assert signed_in(user).post(EXPORT, {"email": "karin.soker@exempel.se", "format": "json"}).status_code == 403
    assert signed_in(org.stats).get(URL).status_code == 403
    assert signed_in(org.citizen).get(URL).status_code == 404
    assert signed_in(org.admin).get(URL).status_code == 200


def test_the_export_is_post_only(people):
    org = people[0]
    assert signed_in(org.admin).get(EXPORT, {"email": "karin.soker@exempel.se"}).status_code == 405
