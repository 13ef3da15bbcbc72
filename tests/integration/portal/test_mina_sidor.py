"""Mina sidor through HTTP: access, messages, contact details, the data export."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import CitizenIdentity, User
from cases import services
from cases.models import Answer, Case, CaseEvent, Contact
from tests.factories import CategoryFactory, UserFactory, register_case
from tests.integration.portal.uploads import png

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real picture: Mina sidor's attachments go through every upload rule (core.validators).
PNG = png().read()


def citizen(name="Tolvan"):
    user = UserFactory(kind=User.Kind.CITIZEN, username=f"citizen-{name}", email="", first_name=name)
    CitizenIdentity.objects.create(user=user, number_masked="19121212-****", number_kind="personnummer")
    return user


def case_of(user, **kwargs):
    upload = SimpleUploadedFile("foto.pdf", PDF, content_type="application/pdf")
    return register_case(
        citizen=user,
        description=f"Gatlampan lyser inte ({user.first_name})",
        attachments=[services.AttachmentData(file=upload, content_type="application/pdf")],
        contact=services.ContactData(name=user.first_name, email="a@example.se", preferred="email"),
        **kwargs,
    )


def urls_of(case):
    attachment = case.attachments.get()
    return {
        "detail": ("get", reverse("portal:mina_sidor_case", args=[case.public_id])),
        "message": ("post", reverse("portal:mina_sidor_message", args=[case.public_id])),
        "attachment": ("get", reverse("portal:mina_sidor_attachment", args=[case.public_id, attachment.public_id])),
    }


def test_citizen_cannot_reach_anything_of_another_citizens_case(client):
    a, b = citizen("Anna"), citizen("Bertil")
    case_b = case_of(b)
    client.force_login(a)
    for name, (method, url) in urls_of(case_b).items():
        response = getattr(client, method)(url, {"text": "Hej"} if method == "post" else None)
        assert response.status_code == 404, name
    # Their own case id with B's attachment id is also not found.
    case_a = case_of(a)
    mixed = reverse("portal:mina_sidor_attachment", args=[case_a.public_id, case_b.attachments.get().public_id])
    assert client.get(mixed).status_code == 404
    assert not case_b.events.filter(kind=CaseEvent.Kind.CITIZEN_MESSAGE).exists()
    overview = client.get(reverse("portal:mina_sidor")).content.decode()
    assert case_a.number in overview and case_b.number not in overview
    export = json.loads(client.get(reverse("portal:mina_sidor_export")).content)
    assert [c["number"] for c in export["cases"]] == [case_a.number]
    assert "Bertil" not in json.dumps(export)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    case = case_of(citizen())
    for name, (method, url) in {
        **urls_of(case),
        "overview": ("get", reverse("portal:mina_sidor")),
        "settings": ("get", reverse("portal:mina_sidor_settings")),
        "export": ("get", reverse("portal:mina_sidor_export")),
    }.items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("portal:mina_sidor_sign_in") + "?next="), name


def test_staff_session_does_not_grant_mina_sidor(client):
    staff = UserFactory(kind=User.Kind.STAFF, is_superuser=True, is_staff=True)
    case = case_of(citizen())
    client.force_login(staff)
    for name, (method, url) in {
        **urls_of(case),
        "overview": ("get", reverse("portal:mina_sidor")),
        "export": ("get", reverse("portal:mina_sidor_export")),
    }.items():
        response = getattr(client, method)(url)
        assert response.status_code == 403, name
    assert "Mina sidor är för invånare" in client.get(reverse("portal:mina_sidor")).content.decode()


def test_citizen_session_never_reaches_the_back_office(client):
    from cases.permissions import cases_visible_to, is_staff_user

    user = citizen()
    case_of(user)
    client.force_login(user)
    assert not is_staff_user(user)
    assert not cases_visible_to(user).exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_case_ids_in_urls_are_uuids_not_numbers(client):
    user = citizen()
    case = case_of(user)
    client.force_login(user)
    assert client.get(f"/mina-sidor/arenden/{case.pk}/").status_code == 404
    assert client.get(f"/mina-sidor/arenden/{case.number}/").status_code == 404


def test_overview_lists_cases_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    user = citizen()
    category = CategoryFactory()
    for _ in range(3):
        case_of(user, category=category)
    client.force_login(user)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("portal:mina_sidor"))
    for _ in range(10):
        case_of(user, category=category)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:mina_sidor"))
    html = response.content.decode()
    assert html.count("/mina-sidor/arenden/") == 13
    assert "Mottaget" in html


def test_detail_shows_answer_and_citizen_entries_but_no_notes_or_staff_names(client, settings):
    settings.KONTAKT_SHOW_STAFF_NAMES = False
    user = citizen()
    case = case_of(user)
    officer = UserFactory(first_name="Handläggar", last_name="Hemlig")
    services.case_assign(case=case, assignee=officer, by=officer)
    services.case_add_note(case=case, text="Intern anteckning om grannen", by=officer)
    services.case_answer(case=case, text="Vi byter lampan på tisdag.", channel=Answer.Channel.PORTAL, by=officer)
    client.force_login(user)
    html = client.get(reverse("portal:mina_sidor_case", args=[case.public_id])).content.decode()
    assert "Vi byter lampan på tisdag." in html
    assert "Vi tog emot ditt ärende" in html and "Du fick svar" in html
    assert "Intern anteckning" not in html
    assert "Hemlig" not in html
    settings.KONTAKT_SHOW_STAFF_NAMES = True
    html = client.get(reverse("portal:mina_sidor_case", args=[case.public_id])).content.decode()
    assert "Handläggar Hemlig" in html
    assert "Intern anteckning" not in html


def test_owner_downloads_their_attachment(client):
    user = citizen()
    case = case_of(user)
    client.force_login(user)
    response = client.get(urls_of(case)["attachment"][1])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="foto.pdf"' in response["Content-Disposition"]


def test_message_with_photo_lands_on_the_timeline(client):
    user = citizen()
    case = case_of(user)
    client.force_login(user)
    upload = SimpleUploadedFile("lampan.png", PNG, content_type="image/png")
    response = client.post(urls_of(case)["message"][1], {"text": "Den blinkar nu också.", "attachment": upload})
    assert response.status_code == 302
    event = case.events.get(kind=CaseEvent.Kind.CITIZEN_MESSAGE)
    assert event.text == "Den blinkar nu också."
    assert event.actor == user
    assert event.data["attachments"] == ["lampan.png"]
    assert case.attachments.filter(original_name="lampan.png", content_type="image/png").exists()


def test_bad_message_is_refused_next_to_the_field_and_text_is_kept(client):
    user = citizen()
    case = case_of(user)
    client.force_login(user)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf" * 10, content_type="application/pdf")
    response = client.post(urls_of(case)["message"][1], {"text": "Min text finns kvar", "attachment": fake})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ett problem" in html
    assert "inte ett foto eller en PDF" in html or "is not a photo" in html
    assert "Min text finns kvar" in html
    assert 'aria-invalid="true"' in html
    empty = client.post(urls_of(case)["message"][1], {"text": ""})
    assert empty.status_code == 400
    assert "Skriv ditt meddelande." in empty.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.CITIZEN_MESSAGE).exists()


def test_closed_case_takes_no_messages(client):
    user = citizen()
    case = case_of(user)
    officer = UserFactory()
    services.case_answer(case=case, text="Klart.", channel=Answer.Channel.PORTAL, by=officer)
    services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer)
    client.force_login(user)
    html = client.get(reverse("portal:mina_sidor_case", args=[case.public_id])).content.decode()
    assert "Skicka meddelande" not in html
    response = client.post(urls_of(case)["message"][1], {"text": "Hallå?"}, follow=True)
    assert "Ditt ärende är avslutat" in response.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.CITIZEN_MESSAGE).exists()


def test_contact_update_applies_to_open_cases_only(client):
    user = citizen()
    open_case, closed_case = case_of(user), case_of(user)
    officer = UserFactory()
    services.case_close(case=closed_case, resolution=Case.Resolution.NOT_HANDLED, note="Fel kanal", by=officer)
    client.force_login(user)
    response = client.post(
        reverse("portal:mina_sidor_settings"),
        {"notify_by": "sms", "name": "Tolvan T", "email": "", "phone": "070-123 45 67"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(case=open_case)
    assert (contact.phone, contact.preferred, contact.email, contact.name) == ("+46701234567", "sms", "", "Tolvan T")
    assert Contact.objects.get(case=closed_case).email == "a@example.se"
    assert user.citizen_identity.__class__.objects.get(user=user).notify_by == "sms"
    event = open_case.events.get(kind=CaseEvent.Kind.CONTACT_CHANGED)
    assert set(event.data["fields"]) == {"name", "email", "phone", "preferred"}
    assert "+46701234567" not in json.dumps(event.data)


def test_contact_form_errors_are_clear_and_keep_input(client):
    user = citizen()
    client.force_login(user)
    response = client.post(reverse("portal:mina_sidor_settings"), {"notify_by": "sms", "name": "Kvar", "phone": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv ditt mobilnummer, eller välj ett annat sätt att höra från oss." in html
    assert 'value="Kvar"' in html
    response = client.post(reverse("portal:mina_sidor_settings"), {"notify_by": "email", "email": "inte-en-adress"})
    assert "Skriv en e-postadress i rätt format" in response.content.decode()
    response = client.post(reverse("portal:mina_sidor_settings"), {"notify_by": "none"})
    assert response.status_code == 302
    assert CitizenIdentity.objects.get(user=user).notify_by == "none"


def test_export_holds_the_citizens_data_and_never_the_raw_number(client):
    user = citizen()
    case = case_of(user)
    officer = UserFactory()
    services.case_add_note(case=case, text="Intern anteckning", by=officer)
    services.case_answer(case=case, text="Svaret", channel=Answer.Channel.PORTAL, by=officer)
    services.case_add_citizen_message(case=case, text="Tack!", citizen=user)
    client.force_login(user)
    response = client.get(reverse("portal:mina_sidor_export"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mina-uppgifter-')
    data = json.loads(response.content)
    assert data["account"]["identity_number"] == "19121212-****"
    exported = data["cases"][0]
    assert exported["number"] == case.number
    assert exported["description"] == case.description
    assert exported["contact"]["email"] == "a@example.se"
    assert exported["attachments"][0]["name"] == "foto.pdf"
    assert exported["answers"][0]["text"] == "Svaret"
    assert [e["text"] for e in exported["timeline"] if e["text"]] == ["Tack!"]
    assert "Intern anteckning" not in response.content.decode()


def test_sign_out_ends_the_session(client):
    user = citizen()
    client.force_login(user)
    response = client.post(reverse("portal:mina_sidor_sign_out"))
    assert response.status_code == 302
    assert client.get(reverse("portal:mina_sidor")).status_code == 302
