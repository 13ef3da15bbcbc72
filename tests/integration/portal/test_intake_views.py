"""The portal through HTTP: pages, the intake journey, its error pattern,
the honeypot, the rate limit and who may see a receipt."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from accounts.models import User
from cases import deadlines, services
from cases.models import Case
from portal import receipts
from tests.factories import CategoryFactory, UserFactory, register_case
from tests.integration.portal import uploads

pytestmark = pytest.mark.django_db

INTAKE_QUESTION = "/lamna/fraga/"


@pytest.fixture
def category():
    return CategoryFactory(name="Gatubelysning", name_en="Street lighting")


def good_data(category, **extra):
    data = {
        "category": category.pk,
        "description": "Gatlampan utanför Storgatan 12 har varit släckt i en vecka.",
        "reply": "email",
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "phone": "",
        "website": "",
    }
    data.update(extra)
    return data


def html_of(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------ pages


def test_start_page_says_what_is_handled_and_what_not(client, settings):
    settings.KONTAKT_RESPONSE_WORKING_DAYS = 10
    html = html_of(client.get("/"))
    assert "<h1>Kontakta kommunen</h1>" in html
    assert "Vi svarar inom 10 arbetsdagar." in html
    for words in ("politiska", "(HSL)", "(SoL)", "kränkningar", "medarbetare", "allmän handling", "inte svara dig"):
        assert words in html
    assert 'href="/om/personuppgifter/"' in html
    assert 'href="/lamna/"' in html
    assert html.count("<h1") == 1


def test_start_page_reads_the_working_days_setting(client, settings):
    settings.KONTAKT_RESPONSE_WORKING_DAYS = 15
    assert "Vi svarar inom 15 arbetsdagar." in html_of(client.get("/"))


def test_kind_choice_is_a_radio_group_with_the_legend_as_heading(client):
    html = html_of(client.get("/lamna/"))
    assert re.search(r"<fieldset[^>]*>\s*<legend><h1 class=\"legend-heading\">Vad vill du göra\?</h1></legend>", html)
    for label in ("Beröm", "Klagomål", "Förslag", "Fråga", "Felanmälan"):
        assert f">{label}</label>" in html


def test_kind_choice_without_choice_shows_the_error_pattern(client):
    response = client.post("/lamna/", {})
    html = html_of(response)
    assert response.status_code == 200
    assert "<title>Fel: Vad vill du göra?" in html
    assert 'role="alert"' in html and "Det finns ett problem" in html
    assert '<a href="#id_kind_0">Välj vad du vill göra.</a>' in html
    assert 'aria-describedby="id_kind_error"' in html


def test_kind_choice_leads_to_the_form(client):
    response = client.post("/lamna/", {"kind": "felanmalan"})
    assert response.status_code == 302 and response["Location"] == "/lamna/felanmalan/"


def test_unknown_kind_is_not_found(client):
    assert client.get("/lamna/okand/").status_code == 404


@pytest.mark.parametrize(
    "slug, heading",
    [
        ("berom", "Ge beröm"),
        ("klagomal", "Lämna ett klagomål"),
        ("forslag", "Lämna ett förslag"),
        ("fraga", "Ställ en fråga"),
        ("felanmalan", "Gör en felanmälan"),
    ],
)
def test_each_kind_has_its_form(client, category, slug, heading):
    html = html_of(client.get(f"/lamna/{slug}/"))
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – " in html
    assert ('name="place"' in html) == (slug == "felanmalan")


def test_form_fields_have_labels_hints_and_input_types(client, category):
    html = html_of(client.get("/lamna/felanmalan/"))
    assert '<label for="id_name" class="form-label">Namn (valfritt)</label>' in html
    assert '<label for="id_place" class="form-label">Plats (valfritt)</label>' in html
    assert '<label for="id_email" class="form-label">E-postadress</label>' in html
    assert "<legend>Koordinater (valfritt)</legend>" in html
    assert re.search(r'<input type="email" name="email" autocomplete="email"', html)
    assert re.search(r'<input type="tel" name="phone" inputmode="tel" autocomplete="tel"', html)
    assert 'autocomplete="name"' in html
    assert "Tillåtna filtyper: JPG, PNG, HEIC, WEBP, PDF. Varje fil får vara högst 10 MB" in html
    assert re.search(
        r'<input type="file" name="attachments" multiple accept="[^"]+"[^>]*aria-describedby="id_attachments_helptext"',
        html,
    )
    assert "Du kan skriva upp till 5\xa0000 tecken." in html or "Du kan skriva upp till 5 000 tecken." in html
    assert not re.search(r"<textarea[^>]* maxlength=", html)
    # The honeypot is hidden from people and assistive technology.
    assert re.search(r'<div class="hp-field" aria-hidden="true">\s*<label for="id_website">', html)
    assert '<input type="text" name="website" tabindex="-1" autocomplete="off" id="id_website">' in html


def test_category_list_follows_the_language(client, category):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = html_of(client.get(INTAKE_QUESTION))
    assert "<h1>Ask a question</h1>" in html
    assert ">Street lighting</option>" in html
    assert 'lang="en"' in html


# ----------------------------------------------------------- error pattern


def test_errors_follow_the_pattern_and_keep_what_was_typed(client, category):
    response = client.post(
        INTAKE_QUESTION,
        good_data(
            category,
            description="Kort",
            email="anna@",
            name="Anna <Andersson>",
            attachments=[uploads.jpeg()],
        ),
    )
    html = html_of(response)
    assert response.status_code == 200
    assert re.search(r"<title>Fel: Ställ en fråga – ", html)
    summary = re.search(
        r'<div class="error-summary" role="alert"[^>]*tabindex="-1" autofocus[^>]*>(.*?)</div>', html, re.S
    )
    assert summary, "error summary with role=alert and focus on load"
    assert '<h2 id="error-summary-title">Det finns ett problem</h2>' in summary.group(1)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1))
    assert links == [
        ("id_description", "Skriv minst 10 tecken, så att vi förstår vad ditt ärende gäller."),
        ("id_email", "Skriv en e-postadress i rätt format, till exempel namn@exempel.se."),
    ]
    assert "Filerna du valde sparades inte. Välj dem igen innan du skickar." in summary.group(1)
    # The summary comes before the heading.
    assert html.index("error-summary") < html.index("<h1>")
    # Each error between its label and its input, starting with a hidden "Fel:".
    email_block = re.search(r'<label for="id_email".*?<input[^>]*id="id_email">', html, re.S).group(0)
    assert (
        '<p id="id_email_error" class="field-error"><span class="d-block"><span class="visually-hidden">Fel:</span> '
        "Skriv en e-postadress i rätt format, till exempel namn@exempel.se.</span></p>"
    ) in email_block
    email_input = re.search(r'<input type="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert 'aria-describedby="id_email_helptext id_email_error"' in email_input
    assert 'value="anna@"' in email_input
    textarea = re.search(r"<textarea[^>]*>([^<]*)</textarea>", html)
    assert 'aria-invalid="true"' in textarea.group(0) and textarea.group(1).strip() == "Kort"
    assert 'value="Anna &lt;Andersson&gt;"' in html
    assert re.search(r'<option value="%d" selected>Gatubelysning</option>' % category.pk, html)
    assert re.search(r'value="email" checked', html)
    # Files must be chosen again, and the file field says so.
    assert "Filerna du valde sparades inte. Välj dem igen." in re.search(
        r'<div id="id_attachments_helptext".*?</div>', html, re.S
    ).group(0)
    assert Case.objects.count() == 0


def test_radio_group_error_links_to_the_first_option(client, category):
    html = html_of(client.post(INTAKE_QUESTION, good_data(category, reply="")))
    assert '<a href="#id_reply_0">Välj hur du vill få svar, eller att du vill vara anonym.</a>' in html
    assert re.search(r'<fieldset aria-describedby="id_reply_error">', html)


def test_hostile_upload_is_refused_and_nothing_registered(client, category):
    html = html_of(client.post(INTAKE_QUESTION, good_data(category, attachments=[uploads.executable_named_jpg()])))
    assert "semester.jpg är inte ett foto eller en PDF." in html
    assert Case.objects.count() == 0


# --------------------------------------------------------------- success


def test_submission_registers_the_case_and_shows_the_receipt(client, category, settings):
    settings.KONTAKT_CASE_PREFIX = "KB"
    response = client.post(
        "/lamna/felanmalan/",
        good_data(
            category,
            phone="070-123 45 67",
            place="Storgatan 12",
            latitude="55,552",
            longitude="13,021",
            attachments=[uploads.jpeg(name="lampan.jpg"), uploads.pdf(name="karta.pdf")],
        ),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kvitto/{case.public_id}/"
    year = deadlines.local_date(case.received_at).year
    assert case.number == f"KB-{year}-00001"
    assert case.kind == Case.Kind.FAULT_REPORT and case.feedback_type == ""
    assert case.channel == Case.Channel.WEB
    assert case.unit == category.default_unit
    assert case.due_date == deadlines.add_working_days(case.received_date, settings.KONTAKT_RESPONSE_WORKING_DAYS)
    assert case.language == "sv"
    assert case.citizen is None
    assert (case.place, str(case.latitude), str(case.longitude)) == ("Storgatan 12", "55.552000", "13.021000")
    assert (case.contact.name, case.contact.email, case.contact.phone, case.contact.preferred) == (
        "Anna Andersson",
        "anna@example.se",
        "+46701234567",
        "email",
    )
    attachments = list(case.attachments.order_by("original_name"))
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("karta.pdf", "application/pdf"),
        ("lampan.jpg", "image/jpeg"),
    ]
    assert all(a.size > 0 and len(a.sha256) == 64 for a in attachments)

    html = html_of(client.get(response["Location"]))
    assert "<h1>Vi har tagit emot ditt ärende</h1>" in html
    assert f'<strong class="case-number">{case.number}</strong>' in html
    assert "Vi har skickat en kvittens med ärendenumret till anna@example.se." in html
    assert "Du får svar från oss senast" in html
    assert html.count("<h1") == 1


def test_receipt_formats_the_due_date_in_swedish_and_english(client, category):
    # Received Friday 27 November 2026: ten working days later is Friday 11 December.
    case = register_case(
        category=category,
        received_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        contact=services.ContactData(email="anna@example.se", preferred="email"),
    )
    client.cookies[receipts.cookie_name()] = receipts.cookie_value(receipts.Receipts(public_ids=(str(case.public_id),)))
    html = html_of(client.get(f"/kvitto/{case.public_id}/"))
    assert "Du får svar från oss senast <strong>fredag 11 december 2026</strong>." in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = html_of(client.get(f"/kvitto/{case.public_id}/"))
    assert "<h1>We have received your case</h1>" in html
    assert "You will hear from us no later than <strong>Friday 11 December 2026</strong>." in html


def test_anonymous_submission_has_no_contact_and_says_we_cannot_answer(client, category):
    response = client.post(INTAKE_QUESTION, good_data(category, reply="anonymous"))
    case = Case.objects.get()
    assert not hasattr(case, "contact") or case.contact is None
    html = html_of(client.get(response["Location"]))
    assert "Du valde att vara anonym, och därför kan vi inte svara dig." in html
    assert "kvittens" not in html


def test_sms_reply_says_the_receipt_went_to_the_mobile(client, category):
    response = client.post(INTAKE_QUESTION, good_data(category, reply="sms", email="", phone="0701234567"))
    html = html_of(client.get(response["Location"]))
    assert "Vi har skickat en kvittens med ärendenumret till +46701234567." in html
    assert "Vi skickar ett sms till dig när ditt ärende är klart." in html


def test_english_submission_stores_the_language(client, category):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(INTAKE_QUESTION, good_data(category))
    assert Case.objects.get().language == "en"
    assert "Your case number is" in html_of(client.get(response["Location"]))


def test_feedback_subtype_is_stored(client, category):
    client.post("/lamna/klagomal/", good_data(category))
    case = Case.objects.get()
    assert (case.kind, case.feedback_type) == (Case.Kind.FEEDBACK, Case.FeedbackType.COMPLAINT)


# ------------------------------------------------------- receipt privacy


def test_receipt_is_not_shown_to_another_session(client, category):
    response = client.post(INTAKE_QUESTION, good_data(category))
    number = Case.objects.get().number
    other = Client()
    shown = other.get(response["Location"])
    assert shown.status_code == 404
    assert "Kvittot kan inte visas" in html_of(shown)
    assert number not in html_of(shown) and "anna@example.se" not in html_of(shown)


def test_a_forged_or_altered_receipts_cookie_shows_nothing(client, category):
    case = register_case(category=category)
    forged = signing.dumps({"b": "x", "r": [str(case.public_id)]}, salt="another.salt", compress=True)
    genuine = receipts.cookie_value(receipts.Receipts(public_ids=(str(register_case(category=category).public_id),)))
    altered = genuine.replace(genuine.split(":")[0], forged.split(":")[0])
    for value in (forged, altered, "nonsense", ""):
        client.cookies[receipts.cookie_name()] = value
        response = client.get(f"/kvitto/{case.public_id}/")
        assert response.status_code == 404 and case.number not in html_of(response)


def test_the_receipt_needs_no_database_session(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 100
    # What this browser may see travels in a signed cookie that ends when the
    # browser closes; an anonymous sender leaves no session row behind.
    response = client.post(INTAKE_QUESTION, good_data(category))
    cookie = response.cookies[receipts.cookie_name()]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.get(response["Location"]).status_code == 200
    assert Session.objects.count() == 0
    # The last 20 receipts stay viewable.
    locations = [client.post(INTAKE_QUESTION, good_data(category))["Location"] for _ in range(20)]
    assert client.get(response["Location"]).status_code == 404
    assert all(client.get(location).status_code == 200 for location in locations)


def test_guessed_receipt_address_shows_nothing(client, category):
    case = register_case(category=category)
    response = client.get(f"/kvitto/{case.public_id}/")
    assert response.status_code == 404 and case.number not in html_of(response)
    assert client.get("/kvitto/not-a-uuid/").status_code == 404


# ------------------------------------------------------- citizen signed in


def test_signed_in_citizen_gets_the_name_prefilled_and_the_case_linked(client, category):
    citizen = UserFactory(kind=User.Kind.CITIZEN, first_name="Karin", last_name="Nilsson", email="karin@example.se")
    client.force_login(citizen)
    html = html_of(client.get(INTAKE_QUESTION))
    assert 'value="Karin Nilsson"' in html and 'value="karin@example.se"' in html
    assert "Du är inloggad som Karin Nilsson." in html
    response = client.post(INTAKE_QUESTION, good_data(category, reply="anonymous"))
    case = Case.objects.get()
    assert case.citizen == citizen
    assert "Du får svar från oss på Mina sidor senast" in html_of(client.get(response["Location"]))


def test_staff_member_using_the_portal_is_not_linked_as_citizen(client, category):
    client.force_login(UserFactory(kind=User.Kind.STAFF))
    client.post(INTAKE_QUESTION, good_data(category))
    assert Case.objects.get().citizen is None


# ------------------------------------------------------ honeypot, limits


def test_filled_honeypot_shows_a_neutral_page_and_registers_nothing(client, category):
    response = client.post(INTAKE_QUESTION, good_data(category, website="http://spam.example"))
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Tack</h1>" in html
    assert "case-number" not in html
    assert Case.objects.count() == 0


def test_rate_limit_keeps_what_was_typed(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 2
    settings.KONTAKT_PHONE = "040-625 60 00"
    client.session.save()  # a browser that has been here before
    for _ in range(2):
        assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    response = client.post(INTAKE_QUESTION, good_data(category, description="Tredje ärendet om samma lampa."))
    html = html_of(response)
    assert response.status_code == 200
    assert "Du har skickat många ärenden på kort tid." in html
    assert "ring kommunen på 040-625 60 00" in html
    assert 'role="alert"' in html and "<title>Fel: " in html
    assert "Tredje ärendet om samma lampa." in html
    assert Case.objects.count() == 2
    # Another browser is not held back.
    assert Client(REMOTE_ADDR="192.0.2.55").post(INTAKE_QUESTION, good_data(category)).status_code == 302


def test_honeypot_submissions_count_towards_the_limit(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    client.post(INTAKE_QUESTION, good_data(category, website="spam"))
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    assert Case.objects.count() == 0


def test_forwarded_address_is_ignored_unless_behind_a_proxy(category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    settings.KONTAKT_BEHIND_PROXY = False
    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert second.post(INTAKE_QUESTION, good_data(category)).status_code == 200


def test_the_address_our_proxy_added_is_the_client_behind_a_proxy(category, settings):
    # One proxy of ours (PROXY_HOPS=1) appends the address it saw; whatever
    # the client put before it is not trusted (core.network).
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    settings.KONTAKT_BEHIND_PROXY = True
    settings.KONTAKT_PROXY_HOPS = 1
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    again = Client(HTTP_X_FORWARDED_FOR="203.0.113.10, 198.51.100.1")
    second = Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")
    assert first.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert again.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    assert second.post(INTAKE_QUESTION, good_data(category)).status_code == 302


# ---------------------------------------------------------- text pages


@pytest.mark.parametrize(
    "slug, sv_title, en_title",
    [
        ("tillganglighet", "Tillgänglighetsredogörelse", "Accessibility statement"),
        ("personuppgifter", "Så hanterar vi dina personuppgifter", "How we handle your personal data"),
    ],
)
def test_text_pages_in_both_languages(client, slug, sv_title, en_title):
    assert f"<h1>{sv_title}</h1>" in html_of(client.get(f"/om/{slug}/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert f"<h1>{en_title}</h1>" in html_of(client.get(f"/om/{slug}/"))


# ------------------------------------------------------------- queries


def test_form_and_receipt_run_a_fixed_number_of_queries(client, category, django_assert_num_queries):
    CategoryFactory.create_batch(20)
    # The process owner's texts and service messages come from the cache; an
    # empty cache costs one query, once (tests/integration/cases/test_public_texts.py).
    client.get("/")
    with django_assert_num_queries(1):  # the categories
        client.get(INTAKE_QUESTION)
    response = client.post(INTAKE_QUESTION, good_data(category))
    with django_assert_num_queries(1):  # the case with its category, unit and contact
        client.get(response["Location"])
