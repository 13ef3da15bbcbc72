"""The answer e-mail greets and signs off once: the template adds its own
greeting and sign-off only when the officer's text has none."""

import pytest

from cases.notices import has_greeting, has_signoff
from notifications.defaults import DEFAULT_TEMPLATES
from notifications.models import MessageTemplate
from notifications.rendering import render_template


@pytest.mark.parametrize(
    "text", ["Hej", "Hej!\n\nVi lagar lampan.", "Hej Anna,\nVi lagar lampan.", "hejsan!", "Hello Anna,"]
)
def test_a_text_that_greets_is_recognised(text):
    assert has_greeting(text)


@pytest.mark.parametrize("text", ["Vi lagar lampan.", "Hejdå sa han.", "Tack för att du hörde av dig."])
def test_a_text_without_a_greeting_is_not(text):
    assert not has_greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vi lagar lampan.\n\nMed vänliga hälsningar\nHugo Handläggare\nGata och trafik",
        "Vi lagar lampan.\nMed vänlig hälsning",
        "Vi lagar lampan.\nMvh Hugo",
        "We will fix it.\n\nKind regards\nHugo",
    ],
)
def test_a_text_that_signs_off_is_recognised(text):
    assert has_signoff(text)


def test_a_text_without_a_sign_off_is_not():
    assert not has_signoff(
        "Med vänliga hälsningar från parken skickar vi nu en ny gunga.\nDen kommer i maj.\nTack!\nVi hörs."
    )


def _answer_mail(text: str) -> str:
    subject, body = DEFAULT_TEMPLATES[("answered", "email", "sv")]
    template = MessageTemplate(key="answered", channel="email", language="sv", subject=subject, body_text=body)
    context = {
        "municipality_name": "Burlövs kommun",
        "case_number": "KB-2026-00001",
        "case_type": "Fråga",
        "category": "Annat",
        "signed_in": False,
        "answer_text": text,
        "has_greeting": has_greeting(text),
        "has_signoff": has_signoff(text),
    }
    return render_template(template, context).body_text


def test_the_answer_mail_greets_once_when_the_officer_greets():
    body = _answer_mail("Hej Anna,\n\nVi lagar lampan i veckan.\n\nMed vänliga hälsningar\nHugo")
    assert body.count("Hej") == 1
    assert "hälsning" not in body.replace("Med vänliga hälsningar\nHugo", "")


def test_the_answer_mail_adds_greeting_and_sign_off_to_a_bare_body():
    body = _answer_mail("Vi lagar lampan i veckan.")
    assert body.startswith("Hej!")
    assert "Med vänlig hälsning\nBurlövs kommun" in body
