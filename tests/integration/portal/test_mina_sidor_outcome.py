"""Mina sidor tells the signed-in sender how their case was closed, in
plain words and in the page's language: answered, passed on (to whom, and
the reference there), not handled here (why, and where to turn), or joined
with another case (its number)."""

import pytest
from django.urls import reverse

from accounts.models import CitizenIdentity, User
from cases import services
from cases.models import Answer, Case, ExcludedMatter, SecrecyProvision
from cases.secrecy import secrecy_mark
from tests.factories import UserFactory, register_case

pytestmark = pytest.mark.django_db


def citizen() -> User:
    user = UserFactory(kind=User.Kind.CITIZEN, username="citizen-outcome", email="", first_name="Tolvan")
    CitizenIdentity.objects.create(user=user, number_masked="19121212-****", number_kind="personnummer")
    return user


def page(client, user: User, case: Case, language: str = "sv") -> str:
    client.force_login(user)
    url = reverse("portal:mina_sidor_case", args=[case.public_id])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="outcome"' in html
    section = html[html.index('id="outcome"') :]
    return " ".join(section[: section.index("</section>")].split())


def test_a_transferred_case_names_where_it_went_and_the_reference(client):
    user, officer = citizen(), UserFactory()
    case = register_case(citizen=user)
    services.case_close(
        case=case,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Lantmäteriet",
        transfer_reference="LM 2026/99",
        by=officer,
    )
    shown = page(client, user, case)
    assert "Så avslutade vi ditt ärende" in shown
    assert "Vi har lämnat över ditt ärende till Lantmäteriet." in shown
    assert "Där har det nummer LM 2026/99. Ange det numret om du kontaktar dem." in shown


@pytest.mark.parametrize(
    "language,expected",
    [
        ("sv", "Vi hanterar inte ditt ärende här. Vänd dig till partiet."),
        ("en", "We do not handle your case here. Turn to the party."),
    ],
)
def test_a_case_not_handled_here_says_why_and_where_to_turn(client, language, expected):
    user, officer = citizen(), UserFactory()
    matter = ExcludedMatter.objects.create(
        name="Partipolitik", texts={"sv": "Vänd dig till partiet.", "en": "Turn to the party."}
    )
    case = register_case(citizen=user)
    services.case_close(
        case=case, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=matter, note="Internt", by=officer
    )
    shown = page(client, user, case, language)
    assert expected in shown.replace('</p> <p class="text-pre-line">', " ")
    assert "Internt" not in shown


def test_a_duplicate_gives_the_number_of_the_case_it_joined_and_whether_it_is_answered(client):
    user, officer = citizen(), UserFactory()
    original = register_case(contact=services.ContactData(email="bo@example.se"))
    case = register_case(citizen=user)
    services.case_close(case=case, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=officer)
    shown = page(client, user, case)
    assert f"Ditt ärende handlar om samma sak som ärende {original.number}." in shown
    assert "Vi meddelar dig när det ärendet har fått svar." in shown
    services.case_answer(case=original, text="Svar", channel=Answer.Channel.EMAIL, by=officer)
    shown = page(client, user, case)
    assert "Det ärendet har fått svar." in shown and "Vi meddelar dig" not in shown


def test_an_answered_case_and_a_secret_one_show_the_outcome_to_the_signed_in_sender(client):
    user, officer = citizen(), UserFactory()
    case = register_case(citizen=user)
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    services.case_answer(case=case, text="Vi har lagat lampan.", channel=Answer.Channel.PORTAL, by=officer)
    services.case_close(case=Case.objects.get(pk=case.pk), resolution=Case.Resolution.ANSWERED, by=officer)
    assert "Vi har svarat på ditt ärende. Svaret finns längre ner." in page(client, user, case)


def test_an_open_case_shows_no_outcome(client):
    user = citizen()
    case = register_case(citizen=user)
    client.force_login(user)
    html = client.get(reverse("portal:mina_sidor_case", args=[case.public_id])).content.decode()
    assert 'id="outcome"' not in html


def test_the_data_export_says_how_each_closed_case_ended(client):
    user, officer = citizen(), UserFactory()
    matter = ExcludedMatter.objects.create(name="Partipolitik", texts={"sv": "Vänd dig till partiet."})
    transferred, not_here, still_open = (register_case(citizen=user) for _ in range(3))
    services.case_close(
        case=transferred,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Lantmäteriet",
        transfer_reference="LM 2026/99",
        by=officer,
    )
    services.case_close(case=not_here, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=matter, by=officer)
    client.force_login(user)
    exported = {c["number"]: c for c in client.get(reverse("portal:mina_sidor_export")).json()["cases"]}
    assert exported[transferred.number]["outcome"] == {
        "resolution": "transferred",
        "passed_on_to": "Lantmäteriet",
        "reference_there": "LM 2026/99",
        "why_and_where_to_turn": "",
        "handled_together_with": "",
    }
    assert exported[not_here.number]["outcome"]["why_and_where_to_turn"] == "Vänd dig till partiet."
    assert exported[still_open.number]["outcome"] is None
