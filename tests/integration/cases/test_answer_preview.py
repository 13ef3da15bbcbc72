"""The preview of an answer on the case page: exactly the message the
sender would get, rendered the way the real notice is, and nothing stored."""

import html

import pytest
from django.urls import reverse

from cases.models import Answer, CaseEvent
from cases.notices import subject_key
from notifications.models import OutboundMessage
from tests.integration.cases.helpers import case_in, contact, signed_in

pytestmark = pytest.mark.django_db


def _post(client, case, text, channel, *, preview=True):
    data = {"answer-version": case.version, "answer-text": text, "answer-channel": channel}
    if preview:
        data["preview"] = "1"
    return client.post(reverse("cases:answer", args=[case.number]), data)


def _counts(case):
    return (
        Answer.objects.filter(case=case).count(),
        CaseEvent.objects.filter(case=case).count(),
        OutboundMessage.objects.filter(subject_key=subject_key(case)).count(),
    )


def _preview_of(page):
    start = page.index('id="answer-preview"')
    return html.unescape(page[start : page.index("</section>", start)])


def test_preview_stores_and_queues_nothing_and_keeps_the_typed_text_and_channel(org):
    case = case_in(org.cat_a)
    client = signed_in(org.officer)
    before = _counts(case)
    response = _post(client, case, "Vi lagar lampan i veckan.", "sms")
    assert response.status_code == 200
    assert _counts(case) == before
    page = response.content.decode()
    assert "Vi lagar lampan i veckan.</textarea>" in page
    assert 'value="sms" checked>' in page and 'value="email" checked' not in page
    assert "Förhandsgranska" in page and '<details class="action mb-3" open id="answer">' in page


def test_email_preview_greets_once_when_the_officer_greets_and_is_what_is_sent(org):
    case = case_in(org.cat_a)
    client = signed_in(org.officer)
    text = "Hej Anna,\n\nVi lagar lampan i veckan.\n\nMed vänlig hälsning\nOlle"
    preview = _preview_of(_post(client, case, text, "email").content.decode())
    assert "anna@example.se" in preview and f"Svar på ditt ärende {case.number}" in preview
    assert "Hej Anna," in preview and "Hej!" not in preview
    assert preview.count("Med vänlig hälsning") == 1
    assert _post(client, case, text, "email", preview=False).status_code == 302
    sent = OutboundMessage.objects.get(subject_key=subject_key(case), template_key="answered")
    for line in sent.body_text.splitlines():
        assert html.unescape(line) in preview


def test_email_preview_adds_the_template_greeting_when_the_officer_does_not(org):
    case = case_in(org.cat_a)
    preview = _preview_of(_post(signed_in(org.officer), case, "Vi lagar lampan i veckan.", "email").content.decode())
    assert "Hej!" in preview and "Vi lagar lampan i veckan." in preview
    assert "Med vänlig hälsning" in preview


def test_sms_preview_says_where_to_read_the_answer_and_not_the_answer(org):
    case = case_in(org.cat_a)
    preview = _preview_of(_post(signed_in(org.officer), case, "Vi lagar lampan i veckan.", "sms").content.decode())
    assert "+46701234567" in preview and f"Ditt ärende {case.number} har besvarats." in preview
    assert "Vi lagar lampan" not in preview and "Ämne" not in preview


def test_letter_preview_says_no_message_is_sent(org):
    case = case_in(org.cat_a, contact=contact(address="Storgatan 1, Arlöv"))
    preview = _preview_of(_post(signed_in(org.officer), case, "Se brevet.", "letter").content.decode())
    assert "Inget meddelande skickas till avsändaren" in preview


def test_preview_for_a_channel_the_case_cannot_be_answered_by_shows_the_error(org):
    case = case_in(org.cat_a, contact=contact(phone=""))
    before = _counts(case)
    response = _post(signed_in(org.officer), case, "Vi ringer dig.", "phone")
    assert response.status_code == 400 and "Det finns inget telefonnummer" in response.content.decode()
    assert 'id="answer-preview"' not in response.content.decode()
    assert _counts(case) == before


def test_preview_for_a_protected_sender_shows_the_neutral_text(org):
    case = case_in(org.cat_a, contact=contact(protected_identity=True))
    before = _counts(case)
    preview = _preview_of(_post(signed_in(org.officer), case, "Vi lagar lampan i veckan.", "email").content.decode())
    assert "Vi lagar lampan" not in preview and case.number not in preview
    assert "/mina-sidor/" in preview
    assert _counts(case) == before
