"""The tracking link of a sender who was not signed in, and the officer's
question to the sender (komplettering) answered through it: the link on the
receipt page and in the receipt, the page behind it (a token unknown, of
another case or revoked answers one clear page and changes nothing; a
secret case shows only its status; noindex, no-referrer, a rate limit),
revoking and renewing by staff, disposal, and the question's way from the
case page to the sender's e-mail (through the real outbox to a real SMTP
server) and back to the timeline and the assignee."""

import hashlib
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, ExcludedMatter, SecrecyProvision
from cases.secrecy import secrecy_mark
from notifications.models import OutboundMessage
from notifications.services import messages_deliver
from portal import selectors
from retention.services import disposal_run
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.cases.helpers import signed_in
from tests.integration.portal.test_mina_sidor import citizen

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/folj/(?P<number>[^/\s]+)/(?P<token>[^/\s\"<]+)/")
QUESTION = "Vilken gatlampa gäller det? Skriv gärna närmaste husnummer."


@pytest.fixture
def unit():
    return UnitFactory(name="Gata och trafik", email="")


@pytest.fixture
def category(unit):
    return CategoryFactory(default_unit=unit)


@pytest.fixture
def officer(unit):
    return member(UserFactory(first_name="Olle", last_name="Officer", email="olle@burlov.example"), unit)


def _send(client: Client, category, **fields) -> tuple[Case, str]:
    """A case sent on the public form; returns it and its receipt page."""
    data = {
        "category": category.pk,
        "description": "Gatlampan på Storgatan är släckt sedan en vecka.",
        "reply": "email",
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "phone": "",
        "website": "",
        **fields,
    }
    response = client.post("/lamna/felanmalan/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    return Case.objects.latest("received_at"), receipt.content.decode()


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _receipt_link(case: Case) -> str:
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="receipt")
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return _path(match.group(0))


def _fingerprint(case: Case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.version,
        case.tracking_token_hash,
        case.awaiting_sender_since,
        CaseEvent.objects.filter(case=case).count(),
        OutboundMessage.objects.filter(subject_key=f"case:{case.pk}").count(),
    )


def _case_with_link(category, **kw) -> tuple[Case, str]:
    case = register_case(
        category=category,
        kind=Case.Kind.FAULT_REPORT,
        contact=kw.pop("contact", services.ContactData(name="Anna", email="anna@example.se", preferred="email")),
        **kw,
    )
    return case, _receipt_link(case)


# ------------------------------------------------------------ the link


def test_the_receipt_page_and_the_receipt_carry_the_link_and_only_its_hash_is_stored(category):
    client = Client()
    case, receipt = _send(client, category)
    on_page = LINK.search(receipt)
    assert on_page and on_page.group("number") == case.number
    token = on_page.group("token")
    assert len(token) >= 32
    assert _receipt_link(case) == _path(on_page.group(0))
    assert case.tracking_token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert not Case.objects.filter(tracking_token_hash=token).exists()

    page = Client().get(_path(on_page.group(0)))  # another browser: the link alone opens it
    body = page.content.decode()
    assert page.status_code == 200
    assert case.number in body and "Felanmälan" in body
    assert "Mottaget" in body and "Svar senast" in body
    assert "Anna Andersson" not in body and "anna@example.se" not in body
    assert "Gatlampan på Storgatan" not in body  # not even the sender's own text
    assert page["X-Robots-Tag"].startswith("noindex")
    assert page["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in body
    assert '<meta name="referrer" content="no-referrer">' in body
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_an_anonymous_case_gets_the_link_on_its_receipt_page(category):
    case, receipt = _send(Client(), category, reply="anonymous", name="", email="")
    assert not OutboundMessage.objects.filter(subject_key=f"case:{case.pk}", kind="citizen").exists()
    match = LINK.search(receipt)
    assert match, receipt
    assert Client().get(_path(match.group(0))).status_code == 200


def test_a_signed_in_sender_follows_on_mina_sidor_and_gets_no_link(category):
    case = register_case(category=category, citizen=citizen())
    assert case.tracking_token_hash is None


def test_a_case_registered_for_someone_who_cannot_be_reached_gets_no_link_and_cannot_be_asked(category, officer):
    landline = services.ContactData(name="Bo", phone="+4640123456")
    case = register_case(category=category, channel=Case.Channel.PHONE, contact=landline, registered_by=officer)
    assert case.tracking_token_hash is None
    before = _fingerprint(case)
    response = _ask(signed_in(officer), case)
    assert response.status_code == 400
    assert "Ring eller skriv i stället" in response.content.decode()
    assert _fingerprint(case) == before


def test_a_case_registered_by_staff_for_a_reachable_sender_sends_the_link_in_the_receipt(category, officer):
    contact = services.ContactData(name="Bo", email="bo@example.se", preferred="email")
    case = register_case(category=category, channel=Case.Channel.PHONE, contact=contact, registered_by=officer)
    assert Client().get(_receipt_link(case)).status_code == 200


@pytest.mark.parametrize("which", ["unknown", "other case", "revoked"])
def test_a_link_that_does_not_open_the_case_answers_one_clear_page_and_changes_nothing(which, category, officer):
    case, link = _case_with_link(category)
    other, other_link = _case_with_link(category)
    if which == "unknown":
        path = reverse("portal:tracking", kwargs={"number": case.number, "token": "x" * 32})
    elif which == "other case":
        path = reverse("portal:tracking", kwargs={"number": case.number, "token": other_link.strip("/").split("/")[-1]})
    else:
        services.case_tracking_revoke(case=case, by=officer)
        path = link
    before, before_other = _fingerprint(case), _fingerprint(other)
    for response in (Client().get(path), Client().post(path, {"text": "Hej"})):
        assert response.status_code == 404
        body = response.content.decode()
        assert "Länken fungerar inte" in body and case.number not in body
        assert response["Referrer-Policy"] == "no-referrer" and response["X-Robots-Tag"].startswith("noindex")
    assert _fingerprint(case) == before and _fingerprint(other) == before_other


def test_the_page_tells_how_the_case_ended_in_plain_words(category, officer):
    matter = ExcludedMatter.objects.create(
        name="Bygglov",
        texts={"sv": "Bygglov söker du hos byggnadsnämnden: bygglov@burlov.example.", "en": "Apply to the board."},
    )
    not_handled, link = _case_with_link(category)
    services.case_close(case=not_handled, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=matter, by=officer)
    page = Client().get(link).content.decode()
    assert "Vi hanterar inte ditt ärende här." in page
    assert "Bygglov söker du hos byggnadsnämnden: bygglov@burlov.example." in page

    transferred, link = _case_with_link(category)
    services.case_close(
        case=transferred,
        resolution=Case.Resolution.TRANSFERRED,
        transferred_to="Trafikverket",
        transfer_reference="TRV 2026/4711",
        by=officer,
    )
    page = Client().get(link).content.decode()
    assert "Vi har lämnat över ditt ärende till Trafikverket." in page
    assert "TRV 2026/4711" in page

    original = register_case(category=category)
    duplicate, link = _case_with_link(category)
    services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=officer)
    page = Client().get(link).content.decode()
    assert f"samma sak som ärende {original.number}" in page


def test_a_secret_cases_page_shows_only_its_status(category, officer):
    case, link = _case_with_link(category)
    services.case_answer(case=case, text="Vi byter lampan på tisdag.", channel="email", by=officer)
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    body = Client().get(link).content.decode()
    assert selectors.status_in_words(Case.objects.get(pk=case.pk)) in body and "Mina sidor" in body
    assert "Vi byter lampan" not in body and "Felanmälan" not in body
    assert "Mottaget" not in body


def test_a_protected_senders_page_shows_only_its_status(category, officer):
    contact = services.ContactData(name="Anna", email="anna@example.se", preferred="email", protected_identity=True)
    case = register_case(category=category, contact=contact)
    link = reverse("portal:tracking", kwargs={"number": case.number, "token": case.tracking_token})
    # The neutral receipt carries no link: only the browser that sent the case is shown it.
    receipt = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="receipt")
    assert "/folj/" not in receipt.body_text
    services.case_answer(case=case, text="Vi byter lampan på tisdag.", channel="email", by=officer)
    response = Client().get(link)
    body = response.content.decode()
    assert response.status_code == 200
    assert selectors.status_in_words(Case.objects.get(pk=case.pk)) in body and "Mina sidor" in body
    assert "Vi byter lampan" not in body and "Mottaget" not in body and "Det här har hänt" not in body


def test_requests_over_the_limit_answer_429_with_a_clear_page(category, settings):
    settings.KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR = 3
    case, link = _case_with_link(category)
    client = Client()
    assert [client.get(link).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(link)
    assert response.status_code == 429
    body = response.content.decode()
    assert "För många förfrågningar" in body and "Du kan försöka igen klockan" in body
    assert case.number not in body
    # A guessed token counts too, and another address is not affected.
    assert client.get(reverse("portal:tracking", kwargs={"number": case.number, "token": "y" * 32})).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.9").get(link).status_code == 200


# ------------------------------------------------ revoking, renewing, disposal


def test_staff_revoke_the_link_and_send_a_new_one_from_the_case_page(category, officer, smtp):
    case, link = _case_with_link(category)
    staff = signed_in(officer)
    page = staff.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Återkalla följlänken" in page and "Skicka en ny följlänk" in page

    response = staff.post(
        reverse("cases:tracking_revoke", args=[case.number]), {"tracking_revoke-version": case.version}
    )
    assert response.status_code == 302
    assert Client().get(link).status_code == 404
    revoked = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.TRACKING_REVOKED)
    assert revoked.actor == officer
    page = staff.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Följlänken återkallad" in page and "Återkalla följlänken" not in page

    version = Case.objects.get(pk=case.pk).version
    response = staff.post(reverse("cases:tracking_renew", args=[case.number]), {"tracking_renew-version": version})
    assert response.status_code == 302
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="tracking_link")
    messages_deliver(message_ids=[message.pk], fill=False)
    (mail,) = smtp.to("anna@example.se")
    body = (
        mail.get_payload(decode=True).decode()
        if not mail.is_multipart()
        else mail.get_payload(0).get_payload(decode=True).decode()
    )
    new_link = _path(LINK.search(body).group(0))
    assert new_link != link
    assert Client().get(new_link).status_code == 200
    assert Client().get(link).status_code == 404
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRACKING_RENEWED).count() == 1


def test_a_colleague_who_may_only_read_cannot_revoke(category, unit):
    case, link = _case_with_link(category)
    reader = UserFactory()
    unit.department.heads.add(reader)  # a department head reads, never changes
    response = signed_in(reader).post(
        reverse("cases:tracking_revoke", args=[case.number]), {"tracking_revoke-version": case.version}
    )
    assert response.status_code in (403, 404)
    assert Client().get(link).status_code == 200


def test_disposal_ends_the_link(category, officer):
    case, link = _case_with_link(category)
    services.case_close(case=case, resolution=Case.Resolution.NOT_HANDLED, note="Trafikverkets väg", by=officer)
    assert Client().get(link).status_code == 200  # a closed case can still be followed
    disposal_run(now=timezone.now() + timedelta(days=365 * 11))
    assert Case.objects.get(pk=case.pk).tracking_token_hash is None
    assert Client().get(link).status_code == 404


# ------------------------------------------------ a question to the sender


def _ask(staff: Client, case: Case, question: str = QUESTION):
    version = Case.objects.get(pk=case.pk).version
    return staff.post(
        reverse("cases:request_info", args=[case.number]),
        {"request_info-question": question, "request_info-version": version},
    )


def _mail_text(mail) -> str:
    parts = [p.get_payload(decode=True).decode() for p in mail.walk() if not p.is_multipart()]
    return parts[0]


def test_an_officers_question_reaches_the_sender_and_the_reply_comes_back_through_the_link(category, officer, smtp):
    client = Client()
    case, _receipt = _send(client, category)
    old_link = _receipt_link(case)
    services.case_assign(case=case, assignee=officer, by=officer)
    case = Case.objects.get(pk=case.pk)
    due, answered = case.due_date, case.first_answered_at
    staff = signed_in(officer)

    response = _ask(staff, case)
    assert response.status_code == 302
    page = staff.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Väntar på avsändaren" in page and QUESTION in page
    listing = staff.get(reverse("cases:list") + "?queue=mine").content.decode()
    assert case.number in listing and "Väntar på avsändaren" in listing

    # The e-mail, from the outbox to a real SMTP server: the question and a new link.
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="info_request")
    messages_deliver(message_ids=[message.pk], fill=False)
    (mail,) = smtp.to("anna@example.se")
    assert str(make_header(decode_header(mail["Subject"]))) == f"Vi behöver veta mer om ditt ärende {case.number}"
    text = _mail_text(mail)
    assert QUESTION in text
    link = _path(LINK.search(text).group(0))
    assert link != old_link and Client().get(old_link).status_code == 404  # the question's link replaces it

    sender = Client()
    body = sender.get(link).content.decode()
    assert QUESTION in body and "Väntar på ditt svar" in body and "Skicka ditt svar" in body
    response = sender.post(link, {"text": "Det är lampan utanför Storgatan 14."})
    assert response.status_code == 302
    body = sender.get(response["Location"]).content.decode()
    assert "Tack! Ditt svar är skickat" in body and "Skicka ditt svar" not in body

    case = Case.objects.get(pk=case.pk)
    reply = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.INFO_PROVIDED)
    assert reply.text == "Det är lampan utanför Storgatan 14." and reply.data["via"] == "tracking"
    assert case.awaiting_sender_since is None
    assert case.due_date == due and case.first_answered_at == answered is None
    assert case.status == Case.Status.IN_PROGRESS
    notice = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="staff_citizen_message")
    assert notice.recipient == officer.email
    page = staff.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Svar från avsändaren" in page and "Storgatan 14" in page and "Väntar på avsändaren" not in page


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_a_question_that_is_empty_or_too_long_is_refused_and_nothing_is_stored(question, category, officer):
    case, _link = _case_with_link(category)
    before = _fingerprint(case)
    response = _ask(signed_in(officer), case, question)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv frågan." in body or "Skriv högst 2000 tecken" in body
    assert _fingerprint(case) == before


@pytest.mark.parametrize("text", ["", "  ", "x" * 5001])
def test_a_reply_that_is_empty_or_too_long_is_refused_and_nothing_is_stored(text, category, officer):
    case, _link = _case_with_link(category)
    _ask(signed_in(officer), case)
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="info_request")
    link = _path(LINK.search(message.body_text).group(0))
    before = _fingerprint(case)
    response = Client().post(link, {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv ditt svar." in body or "Ditt svar är för långt" in body
    assert _fingerprint(case) == before
    assert Case.objects.get(pk=case.pk).is_awaiting_sender


def test_without_an_open_question_the_page_takes_no_reply(category):
    case, link = _case_with_link(category)
    before = _fingerprint(case)
    body = Client().get(link).content.decode()
    assert "Skicka ditt svar" not in body
    response = Client().post(link, {"text": "Hej"})
    assert response.status_code == 302
    assert _fingerprint(case)[2:4] == before[2:4]


def test_a_signed_in_sender_answers_the_question_on_mina_sidor(category, officer):
    user = citizen()
    case = register_case(
        category=category,
        citizen=user,
        contact=services.ContactData(name="Tolvan", email="tolvan@example.se", preferred="email"),
    )
    assert services.case_request_info(case=case, question=QUESTION, by=officer) == "email"
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="info_request")
    assert "/folj/" not in message.body_text and "/mina-sidor/" in message.body_text
    client = Client()
    client.force_login(user)
    detail = reverse("portal:mina_sidor_case", args=[case.public_id])
    body = client.get(detail).content.decode()
    assert QUESTION in body and "Väntar på ditt svar" in body
    client.post(reverse("portal:mina_sidor_message", args=[case.public_id]), {"text": "Storgatan 14."})
    case = Case.objects.get(pk=case.pk)
    assert case.awaiting_sender_since is None
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.INFO_PROVIDED).data["via"] == "mina_sidor"


def test_a_secret_case_of_a_sender_who_was_not_signed_in_cannot_be_asked_here(category, officer):
    case, link = _case_with_link(category)
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    before = _fingerprint(case)
    response = _ask(signed_in(officer), case)
    assert response.status_code == 400
    assert "Ring eller skriv till avsändaren i stället" in response.content.decode()
    assert _fingerprint(case) == before


def test_a_secret_case_of_a_signed_in_sender_gets_a_neutral_question(category, officer):
    user = citizen()
    contact = services.ContactData(name="Tolvan", email="tolvan@example.se", preferred="email")
    case = register_case(category=category, citizen=user, contact=contact)
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    services.case_request_info(case=case, question=QUESTION, by=officer)
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="info_request")
    assert QUESTION not in message.body_text and "/folj/" not in message.body_text
    assert Case.objects.get(pk=case.pk).is_awaiting_sender


def test_an_sms_question_says_only_that_there_is_one(category, officer):
    contact = services.ContactData(name="Anna", phone="+46701234567", preferred="sms")
    case = register_case(category=category, contact=contact)
    assert services.case_request_info(case=case, question=QUESTION, by=officer) == "sms"
    message = OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="info_request")
    assert QUESTION not in message.body_text and "/folj/" in message.body_text
