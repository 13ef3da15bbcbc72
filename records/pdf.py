"""The PDF copy of a case for release (utlämnande), made with reportlab.

A redacted part is never written into the PDF: its place says only that it
was redacted (and under which provision when it is secrecy-marked), so the
text cannot be recovered by selecting, copying or removing a box. Contact
details are never part of a copy."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cases.models import Case

DESCRIPTION = "description"
TIMELINE = "timeline"


def attachment_part(attachment) -> str:
    return f"attachment:{attachment.public_id}"


def answer_part(answer) -> str:
    return f"answer:{answer.pk}"


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    secret: str  # the provision when the part is secrecy-marked, otherwise ""


def parts_of(case: Case, *, case_provision: str, attachment_provisions: dict[int, str]) -> list[Part]:
    """Every part of the copy that can be redacted, in the order of the PDF."""
    parts = [Part(DESCRIPTION, _("What the sender wrote (text and place)"), case_provision)]
    for attachment in case.attachments.all():
        parts.append(
            Part(
                attachment_part(attachment),
                _("Attachment: %(name)s") % {"name": attachment.original_name},
                attachment_provisions.get(attachment.pk, "") or case_provision,
            )
        )
    for number, answer in enumerate(case.answers.all(), start=1):
        parts.append(
            Part(
                answer_part(answer),
                _("Answer %(n)d of %(date)s") % {"n": number, "date": _local(answer.created_at)},
                case_provision,
            )
        )
    parts.append(Part(TIMELINE, _("Texts in the timeline (notes, messages, reasons)"), case_provision))
    return parts


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def build(case: Case, *, redact: set[str], parts: list[Part]) -> bytes:
    """The copy as PDF bytes. `case` comes with its attachments, answers and
    events prefetched; `redact` holds the keys of the parts left out."""
    provision_of = {p.key: p.secret for p in parts}
    styles = getSampleStyleSheet()
    body, h1, h2, small = styles["BodyText"], styles["Title"], styles["Heading2"], styles["Italic"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Copy of case %(number)s") % {"number": case.number},
        author=settings.KONTAKT_MUNICIPALITY_NAME,
        lang="sv",
    )

    def redacted(key: str) -> Paragraph:
        provision = provision_of.get(key, "")
        words = (_("[Redacted under %(provision)s]") % {"provision": provision}) if provision else _("[Redacted]")
        return Paragraph(escape(words), small)

    story = [
        Paragraph(_text(_("Copy of case %(number)s") % {"number": case.number}), h1),
        Paragraph(_text(settings.KONTAKT_MUNICIPALITY_NAME), body),
        Paragraph(_text(_("Copy produced %(when)s.") % {"when": _local(timezone.now())}), body),
        Spacer(1, 4 * mm),
        Paragraph(
            _text(
                _("Type: %(type)s. Subject area: %(category)s. Unit: %(unit)s.")
                % {"type": case.get_subtype_display(), "category": case.category.name, "unit": case.unit.name}
            ),
            body,
        ),
        Paragraph(
            _text(
                _("Received %(received)s. Status: %(status)s.")
                % {"received": _local(case.received_at), "status": case.get_status_display()}
            ),
            body,
        ),
        Paragraph(_text(_("Contact details of the sender are not part of this copy.")), small),
        Paragraph(_text(_("What the sender wrote")), h2),
    ]
    if DESCRIPTION in redact:
        story.append(redacted(DESCRIPTION))
    else:
        story.append(Paragraph(_text(case.description), body))
        if case.place:
            story.append(Paragraph(_text(_("Place: %(place)s") % {"place": case.place}), body))

    story.append(Paragraph(_text(_("Attachments")), h2))
    attachments = list(case.attachments.all())
    if not attachments:
        story.append(Paragraph(_text(_("No attachments.")), body))
    for attachment in attachments:
        key = attachment_part(attachment)
        if key in redact:
            story.append(redacted(key))
        else:
            story.append(
                Paragraph(_text(f"{attachment.original_name} ({attachment.content_type}, {attachment.size} B)"), body)
            )

    story.append(Paragraph(_text(_("Answers to the sender")), h2))
    answers = list(case.answers.all())
    if not answers:
        story.append(Paragraph(_text(_("No answer yet.")), body))
    for answer in answers:
        key = answer_part(answer)
        story.append(Paragraph(_text(f"{_local(answer.created_at)} · {answer.get_channel_display()}"), small))
        if key in redact:
            story.append(redacted(key))
            continue
        story.append(Paragraph(_text(answer.text), body))
        if answer.actions_taken:
            story.append(Paragraph(_text(_("What was done: %(text)s") % {"text": answer.actions_taken}), body))
        if answer.improvement:
            story.append(Paragraph(_text(_("Suggested improvement: %(text)s") % {"text": answer.improvement}), body))

    story.append(Paragraph(_text(_("Timeline")), h2))
    for event in case.events.all():
        who = event.actor.display_name if event.actor else _("The sender or the system")
        story.append(Paragraph(_text(f"{_local(event.created_at)} · {event.get_kind_display()} · {who}"), body))
        if event.text:
            story.append(redacted(TIMELINE) if TIMELINE in redact else Paragraph(_text(event.text), small))
    doc.build(story)
    return out.getvalue()
