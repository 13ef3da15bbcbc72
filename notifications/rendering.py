"""Rendering message templates into subject, text and HTML.

Administrators edit templates in Django's template language. They are
compiled by a sandboxed engine with no template loaders, so an edited
template can use variables and filters but cannot include files."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from notifications.choices import Channel

_engine = Engine(loaders=[], debug=False, autoescape=True)


class TemplateText(Protocol):
    """The words of one message: a MessageTemplate row, or one being edited."""

    channel: str
    language: str
    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str


# GSM 03.38 basic character set: SMS in it travel as 160-character 7-bit
# parts (153 when concatenated); one character outside it turns the whole
# message into 70-character UCS-2 parts. Swedish å, ä, ö are in the set.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_REPLACEMENTS = {
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "…": "...",
    "\u00a0": " ",
    "\t": " ",
    "´": "'",
    "`": "'",
    "•": "-",
}


def to_gsm(text: str) -> str:
    """Text that fits the GSM basic character set: common typography is
    replaced, accents outside the set are dropped (é and è are kept)."""
    out = []
    for ch in text:
        if ch in GSM_BASIC:
            out.append(ch)
            continue
        ch = _GSM_REPLACEMENTS.get(ch, ch)
        if all(c in GSM_BASIC for c in ch):
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if c in GSM_BASIC)
        out.append(base or "?")
    return "".join(out)


def sms_text(text: str) -> str:
    """One line of GSM text within NOTIFICATIONS_SMS_MAX_CHARS."""
    text = " ".join(to_gsm(text).split())
    limit = settings.NOTIFICATIONS_SMS_MAX_CHARS
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return text


@lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    """A template's source compiled once per process. Keyed by the text
    itself, so an administrator's edit is a new entry at once and needs no
    invalidation; a compiled template keeps no state between renders."""
    return _engine.from_string(source)


def _render_string(source: str, context: dict, *, autoescape: bool) -> str:
    if not source:
        return ""
    return _compiled(source).render(Context(context, autoescape=autoescape))


def render_template(template: TemplateText, context: dict) -> Rendered:
    with translation.override(template.language), timezone.override(settings.KONTAKT_LOCAL_TIME_ZONE):
        subject = " ".join(_render_string(template.subject, context, autoescape=False).split())
        text = _render_string(template.body_text, context, autoescape=False).strip()
        if template.channel == Channel.SMS:
            return Rendered(subject="", body_text=sms_text(text), body_html="")
        if template.body_html.strip():
            html = _render_string(template.body_html, context, autoescape=True)
        else:
            html = (
                f'<!doctype html><html lang="{template.language}"><head><meta charset="utf-8">'
                f"<title>{escape(subject)}</title></head><body>{linebreaks(escape(text))}</body></html>"
            )
    return Rendered(subject=subject[:300], body_text=text, body_html=html)


def neutral(channel: str, language: str, *, url: str, to_staff: bool = False) -> Rendered:
    """The message for a case from someone with protected personal data, or
    a secret case: no content at all, not even the case number or subject,
    only that there is news and where to read it after signing in (`url`,
    given by the sender of the message)."""
    with translation.override(language):
        municipality = settings.KONTAKT_MUNICIPALITY_NAME
        if to_staff:
            subject = _("News in a secret case")
            text = _("There is news in a secret case in %(service)s. Sign in to read it: %(url)s") % {
                "service": settings.KONTAKT_SERVICE_NAME,
                "url": url,
            }
        else:
            subject = _("News about your case with %(municipality)s") % {"municipality": municipality}
            text = _(
                "There is news about a case you sent to %(municipality)s. To protect you, this message says "
                "nothing more. Sign in on Mina sidor to read it: %(url)s"
            ) % {"municipality": municipality, "url": url}
    if channel == Channel.SMS:
        return Rendered(subject="", body_text=sms_text(text), body_html="")
    html = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head><body>{linebreaks(escape(text))}</body></html>"
    )
    return Rendered(subject=subject, body_text=text, body_html=html)


def sample_context() -> dict:
    """Values for checking an edited template before it is saved."""
    now = timezone.now()
    case = {
        "number": f"{settings.KONTAKT_CASE_PREFIX}-2026-00042",
        "type": "Felanmälan",
        "category": "Gator, vägar och parker",
        "due_date": date(2026, 3, 2),
        "unit": "Gatu- och parkenheten",
        "assignee": "Anna Andersson",
        "url": f"{settings.SITE_URL}/handlaggning/",
    }
    return {
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "mina_sidor_url": f"{settings.SITE_URL}/mina-sidor/",
        "case_url": case["url"],
        "case_number": case["number"],
        "case_type": case["type"],
        "category": "Gator, vägar och parker – belysning, gatubelysning och trafiksignaler",
        "unit": case["unit"],
        "received": now,
        "due_date": case["due_date"],
        "signed_in": True,
        "answer_text": "Tack för ditt meddelande. Vi lagar lampan i veckan.",
        "has_greeting": False,
        "has_signoff": False,
        "recipient_name": "Anna Andersson",
        "old_due_date": date(2026, 2, 16),
        "reason": "Handläggaren som kan svara är borta till och med 27 februari.",
        "survey_url": f"{settings.SITE_URL}/enkat/{case['number']}/{'x' * 32}/",
        "survey_expires": date(2026, 4, 1),
        "outcome": "transferred",
        "transferred_to": "Försäkringskassan, bostadsbidrag",
        "transfer_reference": "FK 2026-123456-7",
        "not_handled_text": "",
        "duplicate_of": case["number"],
        "duplicate_of_answered": False,
        "original_number": case["number"],
        "news": "answered",
        "overdue": [case],
        "near": [case],
    }


def validate_template(template: TemplateText) -> None:
    """Raise ValidationError if the template does not compile, or if an SMS
    renders longer than the SMS limit with long sample values."""
    errors = {}
    for field in ("subject", "body_text", "body_html"):
        try:
            _engine.from_string(getattr(template, field) or "")
        except TemplateSyntaxError as exc:
            errors[field] = _("The template has an error: %(error)s") % {"error": exc}
    if errors:
        raise ValidationError(errors)
    if template.channel == Channel.SMS:
        with translation.override(template.language), timezone.override(settings.KONTAKT_LOCAL_TIME_ZONE):
            text = " ".join(to_gsm(_render_string(template.body_text, sample_context(), autoescape=False)).split())
        limit = settings.NOTIFICATIONS_SMS_MAX_CHARS
        if len(text) > limit:
            raise ValidationError(
                {
                    "body_text": _(
                        "The SMS is %(length)s characters with example values. Shorten it to at most %(limit)s."
                    )
                    % {"length": len(text), "limit": limit}
                }
            )
    elif not template.subject.strip():
        raise ValidationError({"subject": _("Write a subject for the e-mail.")})
