"""The right-of-access export: everything found about one person, as JSON
and as a plain text file a person can read."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases import notices
from cases.models import Contact
from retention.selectors import PersonRecord


def _when(value):
    return value.isoformat() if value else None


def _contact(case):
    try:
        contact = case.contact
    except Contact.DoesNotExist:
        return None
    return {
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "address": contact.address,
        "preferred": contact.preferred,
        "protected_identity": contact.protected_identity,
    }


def _message(m):
    return {
        "channel": m.channel,
        "recipient": m.recipient,
        "message": m.template_key,
        "subject": m.subject,
        "text": m.body_text,
        "status": m.status,
        "created": _when(m.created_at),
        "sent": _when(m.sent_at),
    }


def as_data(record: PersonRecord) -> dict:
    def disposal(case):
        mark = getattr(case, "disposal", None)
        return _when(mark.disposed_at) if mark else None

    return {
        "service": settings.KONTAKT_SERVICE_NAME,
        "municipality": settings.KONTAKT_MUNICIPALITY_NAME,
        "exported_at": timezone.now().isoformat(),
        "citizen_accounts": [
            {
                "first_name": i.user.first_name,
                "last_name": i.user.last_name,
                "identity_number": i.number_masked,
                "identity_number_kind": i.number_kind,
                "identity_number_note": "Kontakt stores only a keyed hash of the number and this masked form.",
                "email": i.email,
                "phone": i.phone,
                "notify_by": i.notify_by,
                "first_signed_in": _when(i.created_at),
                "last_signed_in": _when(i.last_signed_in_at),
            }
            for i in record.identities
        ],
        "cases": [
            {
                "number": case.number,
                "found_by": sorted(record.matched_by.get(case.pk, ())),
                "type": case.subtype,
                "subject_area": case.category.name,
                "unit": case.unit.name,
                "channel": case.channel,
                "status": case.status,
                "resolution": case.resolution,
                "transferred_to": case.transferred_to,
                "transfer_reference": case.transfer_reference,
                "excluded_matter": case.excluded_matter.name if case.excluded_matter else "",
                "duplicate_of": case.duplicate_of.number if case.duplicate_of else "",
                "received": _when(case.received_at),
                "due_date": _when(case.due_date),
                "closed": _when(case.closed_at),
                "disposed_of": disposal(case),
                "description": case.description,
                "place": case.place,
                "latitude": str(case.latitude) if case.latitude is not None else None,
                "longitude": str(case.longitude) if case.longitude is not None else None,
                "language": case.language,
                "signed_in": case.citizen_id is not None,
                "contact": _contact(case),
                "attachments": [
                    {"name": a.original_name, "type": a.content_type, "size": a.size, "uploaded": _when(a.uploaded_at)}
                    for a in case.attachments.all()
                ],
                "answers": [
                    {
                        "text": a.text,
                        "channel": a.channel,
                        "actions_taken": a.actions_taken,
                        "improvement": a.improvement,
                        "answered": _when(a.created_at),
                    }
                    for a in case.answers.all()
                ],
                "timeline": [{"kind": e.kind, "when": _when(e.created_at), "text": e.text} for e in case.events.all()],
                "messages": [_message(m) for m in record.case_messages.get(case.pk, [])],
                "holds": [
                    {"reason": h.reason, "placed": _when(h.placed_at), "released": _when(h.released_at)}
                    for h in case.holds.all()
                ],
            }
            for case in record.cases
        ],
        "messages_without_case": [_message(m) for m in record.messages if notices.case_id_of(m.subject_key) is None],
    }


def as_text(record: PersonRecord) -> str:
    return render_to_string("retention/person_export.txt", {"data": as_data(record)})
