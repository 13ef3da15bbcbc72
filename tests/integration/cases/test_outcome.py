"""The outcome of a closed case in plain words: what the closing notice
tells the sender for each way of closing (as written to the outbox), the
close form's questions, the duplicates' senders told when the case they
joined is answered or closed, and the case page's list of duplicates."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from cases import services
from cases.models import Answer, Case, CaseEvent, ExcludedMatter, SecrecyProvision
from cases.notices import subject_key
from cases.permissions import Role
from cases.secrecy import secrecy_mark
from notifications.models import MessageTemplate, OutboundMessage
from tests.factories import UserFactory
from tests.integration.cases.helpers import case_in, contact, signed_in

pytestmark = pytest.mark.django_db

POLITICAL_SV = "Politiska frågor tar du upp direkt med de förtroendevalda eller med partiet."
POLITICAL_EN = "Take political matters directly to the elected officials or to the party."


@pytest.fixture
def political():
    return ExcludedMatter.objects.create(name="Partipolitik", texts={"sv": POLITICAL_SV, "en": POLITICAL_EN})


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def closing_notice(case: Case) -> OutboundMessage:
    (message,) = OutboundMessage.objects.filter(subject_key=subject_key(case), template_key="closed")
    return message


def news_of(case: Case) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(subject_key=subject_key(case), template_key="duplicate_news"))


def one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------ the closing notice


def test_closed_as_answered_says_it_was_answered(org):
    case = case_in(org.cat_a)
    services.case_answer(case=case, text="Vi lagar lampan.", channel=Answer.Channel.EMAIL, by=org.officer)
    services.case_close(case=fresh(case), resolution=Case.Resolution.ANSWERED, by=org.officer)
    body = closing_notice(case).body_text
    assert f"Ditt ärende {case.number}" in body and "Vi har svarat på ditt ärende." in body


def test_closed_as_transferred_names_the_other_authority_and_the_reference(org):
    case = case_in(org.cat_a)
    services.case_close(
        case=case,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="TRV 2026/4711",
        by=org.officer,
    )
    body = one_line(closing_notice(case).body_text)
    assert "Vi har lämnat över ditt ärende till Trafikverket." in body
    assert "Där har det nummer TRV 2026/4711. Ange det numret om du kontaktar dem." in body


def test_closed_as_transferred_by_sms_names_them_too(org):
    case = case_in(org.cat_a, contact=contact(preferred="sms"))
    services.case_close(
        case=case,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="TRV 2026/4711",
        by=org.officer,
    )
    message = closing_notice(case)
    assert message.channel == "sms"
    assert "Vi har lämnat över det till Trafikverket, nummer TRV 2026/4711." in message.body_text


@pytest.mark.parametrize(
    "language,expected,not_expected",
    [("sv", POLITICAL_SV, POLITICAL_EN), ("en", POLITICAL_EN, POLITICAL_SV)],
)
def test_not_handled_here_tells_why_and_where_to_turn_in_the_senders_language(
    org, political, language, expected, not_expected
):
    case = case_in(org.cat_a, language=language)
    services.case_close(
        case=case,
        resolution=Case.Resolution.NOT_HANDLED,
        excluded_matter=political,
        note="Internt: gäller kommunfullmäktiges beslut.",
        by=org.officer,
    )
    message = closing_notice(case)
    body = one_line(message.body_text)
    assert expected in body and not_expected not in body
    first = "Vi hanterar inte ditt ärende här." if language == "sv" else "We do not handle your case here."
    assert first in body
    # The officer's comment is internal.
    assert "kommunfullmäktige" not in body and "kommunfullmäktige" not in message.body_html


def test_not_handled_here_in_a_language_without_words_shows_the_swedish(org):
    matter = ExcludedMatter.objects.create(name="Mobbning i skolan", texts={"sv": "Kontakta rektorn."})
    case = case_in(org.cat_a, language="en")
    services.case_close(case=case, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=matter, by=org.officer)
    assert "Kontakta rektorn." in closing_notice(case).body_text


def test_closed_as_duplicate_gives_the_number_and_promises_news(org):
    original, case = case_in(org.cat_a), case_in(org.cat_a, contact=contact(email="bo@example.se"))
    services.case_close(case=case, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=org.officer)
    body = one_line(closing_notice(case).body_text)
    assert f"Ditt ärende handlar om samma sak som ärende {original.number}." in body
    assert "Vi meddelar dig när det ärendet har fått svar." in body


def test_a_secret_case_keeps_its_neutral_closing_notice(org):
    case = case_in(org.cat_a)
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=org.officer)
    services.case_close(
        case=fresh(case),
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="TRV 2026/4711",
        by=org.officer,
    )
    message = closing_notice(case)
    for said in ("Trafikverket", "TRV 2026/4711", case.number):
        assert said not in message.body_text and said not in message.subject and said not in message.body_html
    assert "/mina-sidor/" in message.body_text


def test_a_protected_sender_gets_a_neutral_notice_about_a_duplicate(org, political):
    original = case_in(org.cat_a)
    case = case_in(org.cat_a, contact=contact(email="skyddad@example.se", protected_identity=True))
    services.case_close(case=case, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=org.officer)
    assert original.number not in closing_notice(case).body_text


# --------------------------------------------------------- the close form


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.number])


def test_the_close_form_asks_for_the_other_system_and_the_kind_of_matter(org, political):
    case = case_in(org.cat_a)
    page = signed_in(org.officer).get(url("detail", case)).content.decode()
    assert 'name="close-transferred_to"' in page and "Annat system eller annan myndighet" in page
    assert 'name="close-excluded_matter"' in page and f'<option value="{political.pk}">Partipolitik</option>' in page


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"close-resolution": "transferred", "close-transfer_reference": "TRV 1"},
            "transferred_to",
            "Skriv namnet på systemet eller myndigheten som ärendet har lämnats över till.",
        ),
        (
            {"close-resolution": "not_handled", "close-note": "Politisk fråga"},
            "excluded_matter",
            "Välj vilken sorts ärende det är, så att avsändaren får veta vart hen kan vända sig.",
        ),
        (
            {"close-resolution": "not_handled", "close-excluded_matter": "999999"},
            "excluded_matter",
            "Välj en av sorterna i listan.",
        ),
    ],
)
def test_bad_input_in_the_close_form_is_explained_and_changes_nothing(org, data, field, message):
    case = case_in(org.cat_a)
    before = OutboundMessage.objects.count()
    response = signed_in(org.officer).post(url("close", case), {"close-version": case.version, **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # The error is linked from the summary to the field, as docs/accessibility.md says.
    assert f'href="#id_close-{field}"' in page
    case = fresh(case)
    assert case.status == Case.Status.NEW and case.resolution == "" and case.transferred_to == ""
    assert not case.events.filter(kind=CaseEvent.Kind.CLOSED).exists()
    assert OutboundMessage.objects.count() == before


def test_a_retired_kind_of_matter_cannot_be_chosen(org, political):
    political.is_active = False
    political.save()
    case = case_in(org.cat_a)
    page = signed_in(org.officer).get(url("detail", case)).content.decode()
    assert "Partipolitik" not in page
    with pytest.raises(services.CaseError):
        services.case_close(
            case=case, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=political, by=org.officer
        )
    assert fresh(case).status == Case.Status.NEW


# ------------------------------------------------------------- duplicates


def _duplicates(org):
    original = case_in(org.cat_a, contact=contact(email="original@example.se"))
    by_mail = case_in(org.cat_a, contact=contact(email="dubblett@example.se", phone=""))
    by_sms = case_in(org.cat_a, contact=contact(email="", phone="+46701111111", preferred="sms"))
    anonymous = case_in(org.cat_a, contact=None)
    for duplicate in (by_mail, by_sms, anonymous):
        services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=org.officer)
    return original, by_mail, by_sms, anonymous


def test_duplicates_senders_hear_once_when_the_original_is_answered_and_once_when_closed(org):
    original, by_mail, by_sms, anonymous = _duplicates(org)
    services.case_answer(case=original, text="Vi lagar lampan.", channel=Answer.Channel.EMAIL, by=org.officer)

    (mail,) = news_of(by_mail)
    assert (mail.channel, mail.recipient) == ("email", "dubblett@example.se")
    assert mail.subject == f"Nytt i ärende {original.number}, som ditt ärende {by_mail.number} hör ihop med"
    body = one_line(mail.body_text)
    assert f"Nu har vi svarat i ärende {original.number}." in body
    # Never the other sender's words or the answer itself.
    assert "Vi lagar lampan." not in body and "original@example.se" not in body
    (sms,) = news_of(by_sms)
    assert sms.channel == "sms" and sms.recipient == "+46701111111"
    assert f"Ärende {original.number}, som ditt ärende {by_sms.number} hör ihop med, har fått svar." in sms.body_text
    assert news_of(anonymous) == []

    # A second answer tells nobody again.
    services.case_answer(case=fresh(original), text="Lampan är lagad.", channel=Answer.Channel.EMAIL, by=org.officer)
    assert len(news_of(by_mail)) == 1 and len(news_of(by_sms)) == 1

    services.case_close(case=fresh(original), resolution=Case.Resolution.ANSWERED, by=org.officer)
    said = f"Nu är ärende {original.number} avslutat."
    closed = [m for m in news_of(by_mail) if said in one_line(m.body_text)]
    assert len(news_of(by_mail)) == 2 and len(closed) == 1

    # Reopened and closed again: still one notice per duplicate and news.
    services.case_reopen(case=fresh(original), reason="Lampan slocknade igen.", by=org.officer)
    services.case_close(case=fresh(original), resolution=Case.Resolution.ANSWERED, by=org.officer)
    assert len(news_of(by_mail)) == 2 and len(news_of(by_sms)) == 2
    assert OutboundMessage.objects.filter(template_key="duplicate_news").count() == 4


def test_a_reopened_duplicate_is_no_longer_told(org):
    original, by_mail, _by_sms, _anonymous = _duplicates(org)
    services.case_reopen(case=fresh(by_mail), reason="Gällde något annat.", by=org.officer)
    services.case_answer(case=original, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    assert news_of(by_mail) == []


def test_news_to_a_secret_duplicate_or_about_a_secret_original_is_neutral(org):
    provision = SecrecyProvision.objects.order_by("pk").first()
    original, by_mail, by_sms, _anonymous = _duplicates(org)
    secrecy_mark(case=fresh(by_mail), provision=provision, by=org.officer)
    services.case_answer(case=original, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    (neutral,) = news_of(by_mail)
    assert original.number not in neutral.body_text and by_mail.number not in neutral.subject
    assert "/mina-sidor/" in neutral.body_text
    assert original.number in news_of(by_sms)[0].body_text

    other = case_in(org.cat_a)
    duplicate = case_in(org.cat_a, contact=contact(email="cilla@example.se"))
    services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=other, by=org.officer)
    secrecy_mark(case=fresh(other), provision=provision, by=org.officer)
    services.case_answer(case=fresh(other), text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    (news,) = news_of(duplicate)
    assert other.number not in news.body_text and other.number not in news.subject


def test_the_case_page_lists_the_duplicates_the_viewer_may_see(org):
    original = case_in(org.cat_a)
    mine = case_in(org.cat_a)
    elsewhere = case_in(org.cat_c)
    for duplicate in (mine, elsewhere):
        services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=org.officer)
    page = signed_in(org.officer).get(url("detail", original)).content.decode()
    assert "Dubbletter av det här ärendet" in page
    listed = page[page.index('id="duplicates"') :]
    listed = listed[: listed.index("</ul>")]
    assert f'<a href="{url("detail", mine)}">{mine.number}</a>' in listed
    assert elsewhere.number not in listed  # unit C's case: the officer of unit A may not see it
    # A case without duplicates shows no such list.
    assert "Dubbletter av det här ärendet" not in signed_in(org.officer).get(url("detail", mine)).content.decode()


def test_the_timeline_keeps_how_each_closing_ended(org, political):
    case = case_in(org.cat_a)
    services.case_close(
        case=case,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="TRV 2026/4711",
        by=org.officer,
    )
    services.case_reopen(case=case, reason="Trafikverket skickade tillbaka det.", by=org.officer)
    services.case_close(case=case, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=political, by=org.officer)
    page = signed_in(org.officer).get(url("detail", case)).content.decode()
    timeline = page[page.index('id="timeline-title"') :]
    assert "Flyttat till ett annat system: Trafikverket (TRV 2026/4711)" in timeline
    assert "Hanteras inte här: Partipolitik" in timeline


# ------------------------------------------ the kinds, edited in the admin


def test_the_process_owner_adds_a_kind_of_matter_with_a_text_per_language_in_the_admin(org):
    owner = UserFactory(first_name="Petra", last_name="Processägare")
    owner.groups.add(Group.objects.get(name=Role.PROCESS_OWNER))
    client = signed_in(owner)
    index = client.get(reverse("cases:content")).content.decode()
    assert "/admin/cases/excludedmatter/" in index
    add = "/admin/cases/excludedmatter/add/"
    form = client.get(add).content.decode()
    assert 'name="text_sv"' in form and 'name="text_en"' in form

    # Too long for an SMS, and no Swedish: refused with the reason, nothing saved.
    response = client.post(add, {"name": "Bygglov", "text_sv": "", "text_en": "x" * 300, "position": 5})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv varför ärendet inte hanteras här och vart avsändaren kan vända sig." in page
    assert "Korta texten till högst 220 tecken." in page
    assert not ExcludedMatter.objects.filter(name="Bygglov").exists()

    response = client.post(
        add,
        {
            "name": "Bygglov",
            "text_sv": "Bygglov söker du hos byggnadsnämnden.",
            "text_en": "Apply to the building committee.",
            "position": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    matter = ExcludedMatter.objects.get(name="Bygglov")
    assert matter.texts == {"sv": "Bygglov söker du hos byggnadsnämnden.", "en": "Apply to the building committee."}
    assert matter.text("en") == "Apply to the building committee."
    # Closed cases keep their kind: a kind is retired, never deleted.
    assert client.get(f"/admin/cases/excludedmatter/{matter.pk}/delete/").status_code == 403
    # A case officer does not reach it: the admin sends them to its sign-in.
    assert signed_in(org.officer).get(add).status_code == 302


def test_a_case_transferred_without_a_name_says_another_system(org):
    # Cases closed through the service without the name (the close form
    # always asks for it) still read as plain words.
    case = case_in(org.cat_a)
    services.case_close(case=case, resolution=Case.Resolution.TRANSFERRED, transfer_reference="X-1", by=org.officer)
    assert "Vi har lämnat över ditt ärende till ett annat system. Där har det nummer X-1." in one_line(
        closing_notice(case).body_text
    )


def test_the_migration_adds_the_outcome_to_a_closing_template_written_before_it(org):
    migration = importlib.import_module("notifications.migrations.0009_duplicate_news")
    MessageTemplate.objects.filter(key="closed").delete()
    old = {
        "email": "Hej!\n\nDitt ärende {{ case_number }} är nu avslutat.\n\nVälkommen åter!",
        "sms": "{{ municipality_name }}: Ditt ärende {{ case_number }} är avslutat. Ring oss.",
    }
    for channel, body in old.items():
        MessageTemplate.objects.create(key="closed", channel=channel, language="sv", subject="Avslutat", body_text=body)
    migration.add_outcome(apps, None)
    migration.add_outcome(apps, None)  # a second run changes nothing
    case = case_in(org.cat_a, contact=contact(preferred="sms"))
    services.case_close(
        case=case,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="T-1",
        by=org.officer,
    )
    sms = closing_notice(case).body_text
    assert sms.startswith(
        f"Burlövs kommun: Ditt ärende {case.number} är avslutat. Vi har lämnat över det till Trafikverket"
    )
    assert sms.count("Trafikverket") == 1 and sms.endswith("Ring oss.")
    email = MessageTemplate.objects.get(key="closed", channel="email", language="sv").body_text
    assert email.startswith("Hej!\n\nDitt ärende {{ case_number }} är nu avslutat.\n\n{% if outcome")
    assert email.endswith("Välkommen åter!") and email.count("{% if outcome") == 1
