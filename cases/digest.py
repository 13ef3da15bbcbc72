"""The working-day morning digest of cases near their deadline or overdue,
to the staff who answer for them. The deadline flags are swept first
(services.case_flag_deadlines); each digest is one outbox row, queued once
per person and day (the outbox's dedupe key)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cases import deadlines, notices, selectors, services
from notifications import selectors as outbox
from notifications.choices import Channel, TemplateKey
from notifications.models import OutboundMessage
from notifications.services import message_enqueue


@dataclass(frozen=True)
class DigestEntry:
    number: str
    type: str
    category: str
    due_date: date
    unit: str
    assignee: str
    url: str


def deadline_digests_send(*, today: date | None = None) -> int:
    """The working-day morning digest: to each case officer their cases (and
    their units' unassigned cases), to each unit head their units' cases,
    near the deadline or overdue. Idempotent per person and day. Returns how
    many digests were queued."""
    today = today or deadlines.local_date(timezone.now())
    if not deadlines.is_working_day(today):
        return 0
    services.case_flag_deadlines(today=today)
    language = settings.LANGUAGE_CODE
    queued = 0
    for user, cases in selectors.digest_recipients():
        key = f"digest:{today.isoformat()}:{user.pk}"
        if outbox.message_queued(dedupe_key=key):
            continue
        entries = defaultdict(list)
        with translation.override(language):
            for case in cases:
                entries[case.deadline_flag].append(
                    DigestEntry(
                        number=case.number,
                        type=str(case.get_subtype_display()),
                        category=case.category.localized_name(language),
                        due_date=case.due_date,
                        unit=case.unit.name,
                        assignee=case.assignee.display_name if case.assignee else "",
                        url=notices.case_url(case),
                    )
                )
        context = {
            "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
            "service_name": settings.KONTAKT_SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "recipient_name": user.display_name,
            "overdue": entries["overdue"],
            "near": entries["near"],
        }
        try:
            with transaction.atomic():
                message_enqueue(
                    channel=Channel.EMAIL,
                    recipient=user.email,
                    template_key=TemplateKey.STAFF_DIGEST,
                    language=language,
                    context=context,
                    kind=OutboundMessage.Kind.STAFF,
                    dedupe_key=key,
                )
        except IntegrityError:  # another run queued it a moment ago
            continue
        queued += 1
    return queued
