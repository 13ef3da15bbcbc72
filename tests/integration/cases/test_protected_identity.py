"""Protected personal data: the intake checkbox, on the public form or in
staff registration, marks the case under 21 kap. 3 § OSL (inside
case_register), and notifications carry no content at all."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, Contact, SecrecyMark
from cases.notices import subject_key
from cases.provisions import ensure_provisions
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory
from tests.integration.cases.helpers import build_org, signed_in

pytestmark = pytest.mark.django_db

DESCRIPTION = "Min före detta hittar mig om adressen syns, Ekgatan 3."


@pytest.fixture
def category():
    ensure_provisions()
    return CategoryFactory(name="Bostad och bygglov")


def _post(client, category, **extra):
    data = {
        "category": category.pk,
        "description": DESCRIPTION,
        "reply": "email",
        "name": "Sara Skyddad",
        "email": "sara@example.se",
        "phone": "",
        "website": "",
    }
    data.update(extra)
    return client.post("/lamna/fraga/", data)


def test_intake_form_explains_the_checkbox_and_asks_for_no_personal_number(client, category):
    html = client.get("/lamna/fraga/").content.decode()
    assert "Jag har skyddade personuppgifter" in html and "sekretessmarkerar vi ditt ärende direkt" in html
    assert "personnummer" not in html.lower()


def test_protected_case_is_marked_and_its_messages_say_nothing(client, category):
    response = _post(client, category, protected_identity="on")
    assert response.status_code == 302
    case = Case.objects.get()
    mark = SecrecyMark.objects.get(case=case)
    assert mark.provision.code == "OSL 21:3" and mark.automatic and mark.marked_by is None
    assert case.contact.protected_identity
    from accounts.models import User

    officer = User.objects.create(username="o@burlov.example", email="o@burlov.example", kind=User.Kind.STAFF)
    services.case_answer(case=case, text="Svaret om Ekgatan och flyttkartongerna.", channel="email", by=officer)
    messages = list(OutboundMessage.objects.filter(subject_key=subject_key(case)))
    assert {m.kind for m in messages} == {OutboundMessage.Kind.CITIZEN, OutboundMessage.Kind.STAFF}
    assert len([m for m in messages if m.kind == OutboundMessage.Kind.CITIZEN]) == 2  # receipt and answer
    for m in messages:
        everything = f"{m.subject} {m.body_text} {m.body_html}"
        for content in (case.number, category.name, "Ekgatan", "flyttkartongerna", "Sara", case.unit.name, "Fråga"):
            assert content not in everything, (m.template_key, content)
        assert "/mina-sidor/" in everything or "/handlaggning/" in everything


def test_ordinary_case_is_not_marked_and_its_receipt_names_the_case(client, category):
    _post(client, category)
    case = Case.objects.get()
    assert not SecrecyMark.objects.filter(case=case).exists()
    receipt = OutboundMessage.objects.get(subject_key=subject_key(case), kind=OutboundMessage.Kind.CITIZEN)
    assert case.number in f"{receipt.subject} {receipt.body_text}"


def test_an_anonymous_sender_with_protected_data_gets_the_case_marked_too(client, category):
    _post(client, category, reply="anonymous", name="", email="", protected_identity="on")
    case = Case.objects.get()
    mark = SecrecyMark.objects.get(case=case)
    assert mark.automatic and mark.provision.code == "OSL 21:3"
    assert not Contact.objects.filter(case=case).exists()


def test_staff_registration_marks_a_protected_sender_the_same_way(category):
    org = build_org()
    response = signed_in(org.desk).post(
        reverse("cases:register"),
        {
            "channel": "phone",
            "subtype": "question",
            "category": category.pk,
            "description": DESCRIPTION,
            "name": "Sara Skyddad",
            "phone": "070-123 45 67",
            "preferred": "sms",
            "protected_identity": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    mark = SecrecyMark.objects.get(case=case)
    assert mark.automatic and mark.marked_by is None and mark.provision.code == "OSL 21:3"
    assert case.contact.protected_identity
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [CaseEvent.Kind.REGISTERED, CaseEvent.Kind.PROTECTED_IDENTITY]
    receipt = OutboundMessage.objects.get(subject_key=subject_key(case), kind=OutboundMessage.Kind.CITIZEN)
    assert case.number not in f"{receipt.subject} {receipt.body_text}"
