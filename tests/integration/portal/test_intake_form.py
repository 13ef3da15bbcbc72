"""The intake form's validation, field by field, good and bad input."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from cases.models import Case
from portal.forms import KINDS, IntakeForm
from tests.factories import CategoryFactory
from tests.integration.portal import uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


@pytest.fixture
def category():
    return CategoryFactory(name="Gatubelysning", name_en="Street lighting")


def make_form(chosen, kind="fraga", files=(), **data):
    values = {
        "category": str(chosen.pk),
        "description": "Gatlampan utanför Storgatan 12 har varit släckt i en vecka.",
        "reply": "email",
        "email": "anna@example.se",
    }
    values.update(data)
    values = {k: v for k, v in values.items() if v is not None}
    file_data = MultiValueDict({"attachments": list(files)}) if files else None
    return IntakeForm(values, file_data, intake_kind=KINDS[kind])


def errors(form, field):
    form.is_valid()
    return form.errors.get(field, [])


def test_a_complete_question_is_valid(category):
    form = make_form(category, name="  Anna   Andersson ")
    assert form.is_valid(), form.errors
    data = form.case_data()
    assert data["kind"] == Case.Kind.QUESTION
    assert data["feedback_type"] == ""
    assert data["category"] == category
    assert data["contact"].name == "Anna Andersson"
    assert data["contact"].email == "anna@example.se"
    assert data["contact"].preferred == "email"
    assert data["attachments"] == []


@pytest.mark.parametrize(
    "slug, kind, feedback_type",
    [
        ("berom", Case.Kind.FEEDBACK, Case.FeedbackType.PRAISE),
        ("klagomal", Case.Kind.FEEDBACK, Case.FeedbackType.COMPLAINT),
        ("forslag", Case.Kind.FEEDBACK, Case.FeedbackType.SUGGESTION),
        ("felanmalan", Case.Kind.FAULT_REPORT, ""),
    ],
)
def test_each_kind_maps_to_the_case_type(category, slug, kind, feedback_type):
    form = make_form(category, kind=slug)
    assert form.is_valid(), form.errors
    assert (form.case_data()["kind"], form.case_data()["feedback_type"]) == (kind, feedback_type)


def test_category_is_required(category):
    assert errors(make_form(category, category=""), "category") == ["Välj ett ämnesområde."]


def test_inactive_category_cannot_be_chosen(category):
    category.is_active = False
    category.save()
    assert errors(make_form(category), "category") == ["Välj ett ämnesområde i listan."]


def test_category_names_follow_the_language(category):
    with translation.override("en"):
        form = make_form(category)
        assert "Street lighting" in str(form["category"])


def test_description_is_required(category):
    assert errors(make_form(category, description=""), "description") == ["Beskriv ditt ärende."]


def test_description_too_short(category, settings):
    settings.KONTAKT_DESCRIPTION_MIN_CHARS = 10
    assert errors(make_form(category, description="  Hej  "), "description") == [
        "Skriv minst 10 tecken, så att vi förstår vad ditt ärende gäller."
    ]


def test_description_too_long_says_by_how_much(category, settings):
    settings.KONTAKT_DESCRIPTION_MAX_CHARS = 100
    assert errors(make_form(category, description="x" * 103), "description") == [
        "Beskrivningen får vara högst 100 tecken. Du skrev 103. Korta den med 3 tecken."
    ]


def test_description_line_breaks_count_as_one_character(category, settings):
    settings.KONTAKT_DESCRIPTION_MAX_CHARS = 21
    form = make_form(category, description="Rad ett\r\nRad två\r\nRad 3")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == "Rad ett\nRad två\nRad 3"


def test_reply_choice_is_required(category):
    assert errors(make_form(category, reply=None), "reply") == [
        "Välj hur du vill få svar, eller att du vill vara anonym."
    ]


@pytest.mark.parametrize("email", ["anna", "anna@", "anna@example", "anna example@example.se", "@example.se"])
def test_wrong_email_is_refused(category, email):
    assert errors(make_form(category, email=email), "email") == [
        "Skriv en e-postadress i rätt format, till exempel namn@exempel.se."
    ]


def test_email_is_needed_for_an_answer_by_email(category):
    assert errors(make_form(category, email=""), "email") == [
        "Skriv din e-postadress, så att vi kan svara dig med e-post."
    ]


def test_mobile_is_needed_for_an_answer_by_sms(category):
    assert errors(make_form(category, reply="sms", phone=""), "phone") == [
        "Skriv ditt mobilnummer, så att vi kan svara dig med sms."
    ]


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("+47 412 34 567", "+4741234567"),
        ("+358 40 1234567", "+358401234567"),
    ],
)
def test_mobile_numbers_are_normalised(category, typed, stored):
    form = make_form(category, reply="sms", phone=typed, email="")
    assert form.is_valid(), form.errors
    assert form.case_data()["contact"].phone == stored
    assert form.case_data()["contact"].preferred == "sms"


@pytest.mark.parametrize("typed", ["12345", "070 123", "abc", "+46 70 123 45 67 89 00"])
def test_invalid_mobile_number_is_refused(category, typed):
    assert errors(make_form(category, reply="sms", phone=typed), "phone") == [
        "Skriv ett mobilnummer, till exempel 070 123 45 67 eller +46 70 123 45 67."
    ]


def test_landline_number_is_refused_for_text_messages(category):
    assert errors(make_form(category, reply="sms", phone="040-123 45 67"), "phone") == [
        "Skriv ett mobilnummer, så att vi kan skicka sms till dig."
    ]


def test_both_addresses_are_kept_when_given(category):
    form = make_form(category, phone="0701234567")
    assert form.is_valid(), form.errors
    contact = form.case_data()["contact"]
    assert (contact.email, contact.phone, contact.preferred) == ("anna@example.se", "+46701234567", "email")


def test_anonymous_keeps_no_contact_details_even_when_typed(category):
    form = make_form(category, reply="anonymous", name="Anna", email="not an address", phone="123")
    assert form.is_valid(), form.errors
    assert form.case_data()["contact"] is None


def test_too_long_name_is_refused(category):
    assert errors(make_form(category, name="A" * 201), "name") == ["Namnet får vara högst 200 tecken. Du skrev 201."]


def test_place_and_coordinates_only_on_fault_reports(category):
    form = make_form(category, kind="fraga", place="Storgatan 1", latitude="55,6", longitude="13,0")
    assert form.is_valid(), form.errors
    assert "place" not in form.fields
    assert form.case_data()["place"] == "" and form.case_data()["latitude"] is None


def test_fault_report_with_place_and_coordinates(category):
    form = make_form(category, kind="felanmalan", place="Vid lekplatsen", latitude="55,552012", longitude=" 13.02101 ")
    assert form.is_valid(), form.errors
    data = form.case_data()
    assert data["place"] == "Vid lekplatsen"
    assert data["latitude"] == Decimal("55.552012")
    assert data["longitude"] == Decimal("13.021010")


def test_fault_report_place_is_optional(category):
    assert make_form(category, kind="felanmalan").is_valid()


@pytest.mark.parametrize(
    "lat, lon, field, message",
    [
        ("femtiofem", "13,0", "latitude", "Skriv latitud som ett tal, till exempel 55,5520."),
        ("55,5", "NaN", "longitude", "Skriv longitud som ett tal, till exempel 13,0210."),
        (
            "13,02",
            "55,55",
            "latitude",
            "Latituden ska vara mellan 55 och 69,5. Kontrollera att du inte har bytt plats på latitud och longitud.",
        ),
        (
            "95",
            "13",
            "latitude",
            "Latituden ska vara mellan 55 och 69,5. Kontrollera att du inte har bytt plats på latitud och longitud.",
        ),
        (
            "55,5",
            "-200",
            "longitude",
            "Longituden ska vara mellan 10,5 och 24,5. Kontrollera att du inte har bytt plats på latitud och longitud.",
        ),
        ("55,5", "", "longitude", "Skriv longituden också, eller lämna båda koordinaterna tomma."),
        ("", "13,0", "latitude", "Skriv latituden också, eller lämna båda koordinaterna tomma."),
    ],
)
def test_bad_coordinates_are_refused(category, lat, lon, field, message):
    form = make_form(category, kind="felanmalan", latitude=lat, longitude=lon)
    assert errors(form, field) == [message]


def test_too_long_place_is_refused(category):
    assert errors(make_form(category, kind="felanmalan", place="p" * 301), "place") == [
        "Platsen får vara högst 300 tecken. Du skrev 301."
    ]


def test_photos_and_pdfs_are_accepted_by_content(category):
    form = make_form(category, files=[uploads.jpeg(), uploads.png(), uploads.pdf()])
    assert form.is_valid(), form.errors
    assert [a.content_type for a in form.case_data()["attachments"]] == ["image/jpeg", "image/png", "application/pdf"]


def test_a_photo_with_a_wrong_name_is_read_from_its_content(category):
    form = make_form(category, files=[uploads.pdf(name="foto.jpg")])
    assert form.is_valid(), form.errors
    assert form.case_data()["attachments"][0].content_type == "application/pdf"


def test_too_many_files(category, settings):
    settings.KONTAKT_MAX_ATTACHMENTS = 5
    files = [uploads.jpeg(name=f"foto{i}.jpg") for i in range(6)]
    assert errors(make_form(category, files=files), "attachments") == [
        "Du kan bifoga högst 5 filer. Du valde 6. Välj färre filer."
    ]


def test_too_large_file(category, settings):
    settings.KONTAKT_MAX_ATTACHMENT_MB = 1
    big = uploads.pdf(name="stor.pdf", padding=1024 * 1024)
    assert errors(make_form(category, files=[big]), "attachments") == [
        "stor.pdf är större än 1,0\xa0MB. Välj en mindre fil."
    ]


def test_too_large_together(category, settings):
    settings.KONTAKT_MAX_ATTACHMENT_MB = 1
    settings.KONTAKT_MAX_ATTACHMENTS_TOTAL_MB = 2
    files = [uploads.pdf(name=f"del{i}.pdf", padding=800 * 1024) for i in range(3)]
    assert errors(make_form(category, files=files), "attachments") == [
        "Filerna är större än 2 MB tillsammans. Välj färre eller mindre filer."
    ]


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            uploads.executable_named_jpg,
            "semester.jpg är inte ett foto eller en PDF. Du kan bifoga filer av typen JPG, PNG, HEIC, WEBP och PDF.",
        ),
        (
            uploads.svg_with_script,
            "karta.svg är inte ett foto eller en PDF. Du kan bifoga filer av typen JPG, PNG, HEIC, WEBP och PDF.",
        ),
        (uploads.empty, "tom.jpg är tom. Välj en annan fil."),
        (uploads.truncated_jpeg, "trasig.jpg går inte att öppna som en bild. Välj en annan fil."),
    ],
)
def test_hostile_files_are_refused_with_a_clear_message(category, upload, message):
    assert errors(make_form(category, files=[upload()]), "attachments") == [message]


def test_every_bad_file_gets_its_own_message(category):
    files = [uploads.jpeg(), uploads.empty(), uploads.executable_named_jpg()]
    messages = errors(make_form(category, files=files), "attachments")
    assert len(messages) == 2
    assert messages[0].startswith("tom.jpg") and messages[1].startswith("semester.jpg")


def test_honeypot_is_detected(category):
    assert make_form(category, website="http://spam.example").honeypot_filled()
    assert not make_form(category).honeypot_filled()


def test_only_the_addresses_for_the_chosen_answer_drop_the_optional_marker(category):
    form = make_form(category, kind="felanmalan")
    assert not form.fields["name"].required and form["name"].show_optional_marker
    assert form["place"].show_optional_marker
    assert not form["email"].show_optional_marker and not form["phone"].show_optional_marker
