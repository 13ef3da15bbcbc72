"""Every employee registers: a case received orally or by letter, with when
it came in, who passed it on, a landline to call back, a postal address, the
way the person wants an answer and a scanned letter; "Ärenden jag
registrerat" shows its status and never its content. Staff attach files to
notes and answers with the portal's rules."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cases import deadlines
from cases.models import Attachment, Case, CaseEvent
from cases.permissions import Role
from cases.services import ContactData
from notifications.models import OutboundMessage
from tests.factories import UserFactory, register_case
from tests.integration.cases.helpers import case_in, contact, signed_in
from tests.integration.portal import uploads

pytestmark = pytest.mark.django_db

LETTER_TEXT = "Brevet gäller gungan på lekplatsen vid Dalbyvägen, som har gått sönder."


@pytest.fixture
def employee(org):
    """A caretaker: an employee with no unit and no other role."""
    user = UserFactory(first_name="Vaktmästare", last_name="Vik")
    user.groups.add(Group.objects.get(name=Role.EMPLOYEE))
    return user


def _local(day: date, clock: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _form(org, **extra):
    data = {
        "channel": "phone",
        "subtype": "fault_report",
        "category": org.cat_a.pk,
        "description": LETTER_TEXT,
        "place": "Dalbyvägen 12",
        "passed_on_by": "",
        "passed_on_by_name": "",
        "name": "Bertil Berg",
        "email": "",
        "phone": "040-625 60 00",
        "address": "Storgatan 1\n232 31 Arlöv",
        "preferred": "phone",
    }
    data.update(extra)
    return data


def _a_working_day_before_today() -> date:
    day = deadlines.local_date(timezone.now()) - timedelta(days=1)
    while not deadlines.is_working_day(day):
        day -= timedelta(days=1)
    return day


def test_an_employee_with_no_unit_registers_a_phoned_in_case_with_a_landline_and_a_scanned_letter(org, employee):
    client = signed_in(employee)
    received = _a_working_day_before_today()
    data = _form(
        org,
        received_date=received.isoformat(),
        received_time="14:20",
        passed_on_by="elected_official",
        passed_on_by_name="Anna Berg, kommunalråd",
        attachments=uploads.pdf("inskannat brev.pdf"),
    )
    response = client.post(reverse("cases:register"), data)

    # The employee may not open the case, so they land on their registrations.
    assert response.status_code == 302 and response["Location"] == reverse("cases:registered")
    case = Case.objects.get()
    assert case.registered_by == employee and case.channel == Case.Channel.PHONE
    assert case.received_at == _local(received, "14:20")
    # The due date counts from the day the case came in, not from today.
    assert case.received_date == received
    assert case.due_date == deadlines.due_date(case.received_at)
    assert case.passed_on_by == Case.PassedOnBy.ELECTED_OFFICIAL
    assert case.passed_on_by_name == "Anna Berg, kommunalråd"
    assert case.contact.phone == "+46406256000"
    assert case.contact.address == "Storgatan 1\n232 31 Arlöv"
    assert case.contact.preferred == "phone"
    letter = Attachment.objects.get(case=case)
    assert letter.original_name == "inskannat brev.pdf" and letter.content_type == "application/pdf"
    assert letter.from_citizen is True
    registered = case.events.get(kind=CaseEvent.Kind.REGISTERED)
    assert registered.created_at == case.received_at and registered.data["registered_at"]
    # A landline gets no text message: nothing is queued for the sender.
    assert not OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CITIZEN).exists()

    page = client.get(response["Location"]).content.decode()
    assert "Ärenden jag registrerat" in page
    assert case.number in page and "Ny" in page and case.unit.name in page
    assert f'href="/handlaggning/arenden/{case.number}/"' not in page
    assert LETTER_TEXT not in page and "Bertil Berg" not in page
    # The content stays with those who handle the case: an employee has no case pages.
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 403
    assert client.get(reverse("cases:list")).status_code == 403


def test_the_registration_page_has_every_field_and_the_employee_menu(org, employee):
    client = signed_in(employee)
    assert client.get(reverse("cases:home"))["Location"] == reverse("cases:registered")
    html = client.get(reverse("cases:register")).content.decode()
    assert 'enctype="multipart/form-data"' in html
    for name in (
        "received_date",
        "received_time",
        "passed_on_by",
        "passed_on_by_name",
        "attachments",
        "phone",
        "address",
        "preferred",
        "protected_identity",
    ):
        assert f'name="{name}"' in html, name
    assert "Tillåtna filtyper: JPG, PNG, HEIC, WEBP, PDF" in html
    assert 'type="tel"' in html and "fast nummer" in html
    for way in ("E-post", "sms", "Telefonsamtal", "Brev"):
        assert f">{way}</label>" in html, way
    menu = html.split('aria-label="Huvudmeny"')[1].split("</nav>")[0]
    assert "Registrera ett ärende" in menu and "Ärenden jag registrerat" in menu and "Guide för medarbetare" in menu
    assert ">Ärenden<" not in menu and "Administration" not in menu


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"received_date": "2999-01-01", "received_time": "10:00"}, "received_date", "senare än nu"),
        ({"received_date": "2001-01-01", "received_time": "10:00"}, "received_date", "högst ett år bakåt"),
        ({"received_date": "2026-01-01", "received_time": ""}, "received_time", "vilken tid"),
        ({"received_date": "1 januari", "received_time": "10:00"}, "received_date", "2026-03-01"),
        ({"preferred": "sms"}, "phone", "Sms kan bara skickas till ett mobilnummer"),
        ({"preferred": "letter", "address": ""}, "address", "Fyll i postadressen"),
        ({"phone": "12"}, "phone", "Skriv ett telefonnummer"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_lost(org, employee, extra, field, message):
    client = signed_in(employee)
    response = client.post(reverse("cases:register"), _form(org, **extra))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<a href="#id_{field}' in html and message in html
    assert LETTER_TEXT in html
    assert not Case.objects.exists()


def test_a_time_with_no_date_is_today_and_a_file_must_be_chosen_again(org, employee):
    client = signed_in(employee)
    response = client.post(
        reverse("cases:register"), _form(org, received_time="23:59", preferred="sms", attachments=uploads.pdf())
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sms kan bara skickas till ett mobilnummer" in html
    assert "Filerna du valde sparades inte" in html
    response = client.post(reverse("cases:register"), _form(org, received_time="00:00"))
    assert response.status_code == 302
    assert Case.objects.get().received_at == _local(timezone.localdate(), "00:00")


def test_a_bad_file_is_refused_as_on_the_portal(org, employee):
    client = signed_in(employee)
    response = client.post(reverse("cases:register"), _form(org, attachments=uploads.executable_named_jpg()))
    assert response.status_code == 400
    assert "semester.jpg är inte ett foto eller en PDF" in response.content.decode()
    assert not Case.objects.exists()


def test_a_mobile_number_with_sms_gets_the_receipt_by_sms(org, employee):
    client = signed_in(employee)
    response = client.post(reverse("cases:register"), _form(org, phone="070-174 06 10", preferred="sms"))
    assert response.status_code == 302
    receipt = OutboundMessage.objects.get(kind=OutboundMessage.Kind.CITIZEN)
    assert receipt.channel == "sms" and receipt.recipient == "+46701740610"


def test_a_landline_never_gets_a_text_message_whatever_the_preference(org):
    case = register_case(
        category=org.cat_a,
        contact=ContactData(name="Gun", phone="+46406256000", email="gun@example.se", preferred="sms"),
    )
    messages = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CITIZEN)
    assert [(m.channel, m.recipient) for m in messages] == [("email", "gun@example.se")]
    client = signed_in(org.officer)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "040-625 60 00" in page and "Fast nummer: ring upp, inga sms." in page
    response = client.post(
        reverse("cases:answer", args=[case.number]),
        {"answer-text": "Vi har lagat gungan.", "answer-channel": "sms", "answer-version": case.version},
    )
    assert response.status_code == 400
    assert "fast nummer, som inte kan ta emot sms" in response.content.decode()


def test_a_unit_member_who_registers_goes_on_to_the_case_page(org):
    client = signed_in(org.officer)
    response = client.post(reverse("cases:register"), _form(org, preferred="", phone=""))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.number])
    assert case.received_at <= timezone.now() and case.passed_on_by == ""
    registered = client.get(reverse("cases:registered")).content.decode()
    assert f'href="/handlaggning/arenden/{case.number}/"' in registered


def test_a_statistics_reader_and_a_department_head_may_not_register(org):
    assert signed_in(org.stats).get(reverse("cases:register")).status_code == 403
    assert signed_in(org.dept_head).get(reverse("cases:register")).status_code == 403
    assert signed_in(org.stats).get(reverse("cases:registered")).status_code == 403


def test_staff_attach_files_to_a_note_and_an_answer(org):
    case = case_in(org.cat_a, contact=contact())
    client = signed_in(org.officer)
    response = client.post(
        reverse("cases:note", args=[case.number]),
        {"note-text": "Fotot från platsen.", "note-attachments": [uploads.jpeg("plats.jpg")]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:answer", args=[case.number]),
        {
            "answer-text": "Vi har lagat gungan. Beslutet bifogas.",
            "answer-channel": "letter" if case.contact.address else "email",
            "answer-version": case.version,
            "answer-attachments": [uploads.pdf("beslut.pdf")],
        },
    )
    assert response.status_code == 302
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    answered = case.events.get(kind=CaseEvent.Kind.ANSWERED)
    files = {a.original_name: a for a in Attachment.objects.filter(case=case)}
    assert files["plats.jpg"].event == note and files["plats.jpg"].from_citizen is False
    assert files["beslut.pdf"].event == answered
    assert note.data["attachments"] == ["plats.jpg"] and answered.data["attachments"] == ["beslut.pdf"]
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    for name in ("plats.jpg", "beslut.pdf"):
        assert f">{name}</a>" in page
    # The portal's rules: a file that is not a photo or a PDF is refused.
    response = client.post(
        reverse("cases:note", args=[case.number]),
        {"note-text": "Ett program.", "note-attachments": [uploads.executable_named_jpg()]},
    )
    assert response.status_code == 400
    assert "semester.jpg är inte ett foto eller en PDF" in response.content.decode()
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 1


def test_the_staff_registration_runs_a_fixed_number_of_queries(org, employee, django_assert_max_num_queries):
    client = signed_in(employee)
    client.get(reverse("cases:register"))
    # Session, user and roles (3); the category; the registration (savepoint,
    # number, pause periods, case, contact, attachment, event, statistics,
    # the unit's notice: its template and outbox row, release); is the case
    # visible to its registrar (1).
    with django_assert_max_num_queries(17):
        response = client.post(reverse("cases:register"), _form(org, attachments=uploads.pdf()))
    assert response.status_code == 302
