"""Reads for retention: which cases are due for disposal, and everything
Kontakt holds about one person (GDPR article 15)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import CitizenIdentity, User
from cases import notices
from cases.models import Answer, Attachment, Case, CaseEvent, Category, Contact
from notifications import selectors as outbox
from notifications.models import OutboundMessage
from retention.models import CaseHold, DisposedCase


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` years earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Rule:
    """One category's rule: cases closed before closed_before are due."""

    category: Category
    years: int
    closed_before: datetime


def rules(*, now: datetime) -> list[Rule]:
    """Every category's rule: its own number of years, or the default of
    the records management plan (KONTAKT_RETENTION_YEARS_DEFAULT)."""
    default = settings.KONTAKT_RETENTION_YEARS_DEFAULT
    result = []
    for category in Category.objects.order_by("name"):
        years = category.retention_years if category.retention_years is not None else default
        result.append(Rule(category=category, years=years, closed_before=years_before(now, years)))
    return result


def cases_due(rule: Rule) -> QuerySet[Case]:
    """Closed cases of the rule's category closed before its limit, not yet
    disposed of and without an active hold."""
    return (
        Case.objects.filter(
            category=rule.category,
            status=Case.Status.CLOSED,
            closed_at__lt=rule.closed_before,
        )
        .exclude(Exists(DisposedCase.objects.filter(case=OuterRef("pk"))))
        .exclude(Exists(CaseHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True)))
        .order_by("closed_at", "pk")
    )


# ------------------------------------------------------- right of access


@dataclass
class PersonRecord:
    """What was found for the identifiers given. `matched_by` maps a case id
    to the identifiers that found it (number, email, phone)."""

    identities: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    # The messages to the sender about each case found, by case id.
    case_messages: dict[int | None, list] = field(default_factory=dict)
    matched_by: dict[int, set[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.identities or self.cases or self.messages)


def person_record(*, number_hash: str = "", email: str = "", phone: str = "") -> PersonRecord:
    """Everything Kontakt holds about one person, found by the keyed hash of
    their personal number (accounts.citizen.numbers), an e-mail address or
    a phone number in E.164. A fixed number of queries."""
    record = PersonRecord()
    identity_q, user_q, message_q = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    found: dict[int, set[str]] = {}

    def add(ids, how):
        for case_id in ids:
            if case_id is not None:
                found.setdefault(case_id, set()).add(how)

    if number_hash:
        identity_q |= Q(number_hash=number_hash)
    if email:
        identity_q |= Q(email__iexact=email)
        user_q |= Q(email__iexact=email)
        message_q |= Q(recipient__iexact=email)
        add(Contact.objects.filter(email__iexact=email).values_list("case_id", flat=True), "email")
    if phone:
        identity_q |= Q(phone=phone)
        message_q |= Q(recipient=phone)
        add(Contact.objects.filter(phone=phone).values_list("case_id", flat=True), "phone")

    identities = list(CitizenIdentity.objects.filter(identity_q).select_related("user"))
    citizen_users: dict[int, CitizenIdentity | None] = {i.user_id: i for i in identities}
    for user_id in User.objects.filter(user_q, kind=User.Kind.CITIZEN).values_list("pk", flat=True):
        citizen_users.setdefault(user_id, None)
    if citizen_users:
        for case_id, citizen_id in Case.objects.filter(citizen_id__in=citizen_users).values_list("pk", "citizen_id"):
            identity = citizen_users[citizen_id]
            if identity is None:
                add([case_id], "email")
                continue
            if number_hash and identity.number_hash == number_hash:
                add([case_id], "number")
            if email and identity.email.lower() == email.lower():
                add([case_id], "email")
            if phone and identity.phone == phone:
                add([case_id], "phone")
            if identity.user.email and email and identity.user.email.lower() == email.lower():
                add([case_id], "email")
    messages = list(
        OutboundMessage.objects.filter(message_q, kind=OutboundMessage.Kind.CITIZEN).order_by("created_at", "pk")
    )
    for message in messages:
        add(
            [notices.case_id_of(message.subject_key)],
            "email" if message.recipient.lower() == email.lower() else "phone",
        )

    record.identities = identities
    record.messages = messages
    record.matched_by = found
    record.cases = list(
        Case.objects.filter(pk__in=found)
        .select_related("category", "unit", "contact", "disposal", "excluded_matter", "duplicate_of")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("answers", queryset=Answer.objects.order_by("created_at", "id")),
            Prefetch("events", queryset=CaseEvent.objects.order_by("created_at", "id")),
            Prefetch("holds", queryset=CaseHold.objects.order_by("placed_at", "id")),
        )
        .order_by("received_at", "pk")
    )
    about = outbox.messages_about([notices.subject_key(case) for case in record.cases]).filter(
        kind=OutboundMessage.Kind.CITIZEN
    )
    for message in about:
        record.case_messages.setdefault(notices.case_id_of(message.subject_key), []).append(message)
    return record
