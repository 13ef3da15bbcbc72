"""The case timeline's one writer and its typed payloads.

Each event kind has one small frozen dataclass: its fields are what the event
stores in CaseEvent.data, and the fields declared with kept() are what
disposal (cases.services.case_dispose) leaves behind. Kept fields name units,
staff, dates, channels, provisions and outcomes, never the sender. A kind
without a payload class keeps nothing on disposal.

Every service that changes a case appends its event through event_append (or
event_build for a bulk insert); nothing else creates CaseEvent rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar

from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent

_KEPT = "kept_on_disposal"

# What the texts of a disposed case become (cases.services.case_dispose).
DISPOSED_TEXT = "Gallrat"


def kept(**kwargs: Any) -> Any:
    """A payload field that disposal keeps."""
    return field(metadata={_KEPT: True}, **kwargs)


@dataclass(frozen=True)
class Payload:
    kind: ClassVar[str]

    @classmethod
    def kept_fields(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls) if f.metadata.get(_KEPT))


# ------------------------------------------------------------ the case's life


@dataclass(frozen=True)
class Registered(Payload):
    kind = CaseEvent.Kind.REGISTERED
    channel: str = kept()
    unit: str = kept()
    due_date: str = kept()
    # Staff registering a case received earlier (a letter from yesterday):
    # when it was typed in; the event itself is dated when it was received.
    registered_at: str = kept(default="")


@dataclass(frozen=True)
class Routed(Payload):
    kind = CaseEvent.Kind.ROUTED
    from_unit: str = kept()
    to_unit: str = kept()


@dataclass(frozen=True)
class Assigned(Payload):
    kind = CaseEvent.Kind.ASSIGNED
    assignee: str = kept()  # the officer's display name; empty when unassigned
    assignee_id: int | None = kept()


@dataclass(frozen=True)
class Note(Payload):
    kind = CaseEvent.Kind.NOTE
    attachments: list[str] = field(default_factory=list)  # file names, gone on disposal


@dataclass(frozen=True)
class Answered(Payload):
    kind = CaseEvent.Kind.ANSWERED
    channel: str = kept()
    answer_id: int = kept()
    attachments: list[str] = field(default_factory=list)  # file names, gone on disposal


@dataclass(frozen=True)
class StatusChanged(Payload):
    kind = CaseEvent.Kind.STATUS_CHANGED
    status: str = kept()


@dataclass(frozen=True)
class Closed(Payload):
    kind = CaseEvent.Kind.CLOSED
    resolution: str = kept()
    transfer_reference: str = kept()
    duplicate_of: str = kept()  # the other case's number, or empty
    transferred_to: str = kept()  # the other system or authority, or empty
    excluded_matter: str = kept()  # the kind of matter not handled here, or empty


@dataclass(frozen=True)
class Reopened(Payload):
    kind = CaseEvent.Kind.REOPENED


@dataclass(frozen=True)
class CitizenMessage(Payload):
    kind = CaseEvent.Kind.CITIZEN_MESSAGE
    attachments: list[str]  # the sender's file names


@dataclass(frozen=True)
class NoticeWithheld(Payload):
    """A notice the sender's choice on Mina sidor stopped (what went out is
    read from the outbox, not written here)."""

    kind = CaseEvent.Kind.NOTIFICATION
    channel: str = kept()
    template: str = kept()
    outcome: str = kept(default="not_wanted")


@dataclass(frozen=True)
class DeadlineChanged(Payload):
    kind = CaseEvent.Kind.DEADLINE_CHANGED
    old: str = kept()
    new: str = kept()


@dataclass(frozen=True)
class DeadlineExtended(Payload):
    """A unit head moved the due date by hand; the reason is the event's
    text, which the sender is told."""

    kind = CaseEvent.Kind.DEADLINE_EXTENDED
    old: str = kept()
    new: str = kept()


@dataclass(frozen=True)
class DeadlineFlag(Payload):
    kind = CaseEvent.Kind.DEADLINE_FLAG
    flag: str = kept()
    previous: str = kept()
    due_date: str = kept()


@dataclass(frozen=True)
class ContactChanged(Payload):
    kind = CaseEvent.Kind.CONTACT_CHANGED
    fields: list[str] = kept()  # which fields changed, never the values


# ------------------------------------------- the sender's view, improvements


@dataclass(frozen=True)
class SurveyAnswered(Payload):
    """The sender answered the satisfaction survey; their comment, if any,
    is the event's text (a public record, disposed of like other texts)."""

    kind = CaseEvent.Kind.SURVEY_ANSWERED
    score: int = kept()
    got_answer: str = kept()


@dataclass(frozen=True)
class ImprovementLinked(Payload):
    kind = CaseEvent.Kind.IMPROVEMENT_LINKED
    improvement: int = kept()  # cases.Improvement id


@dataclass(frozen=True)
class InfoRequested(Payload):
    """An officer asked the sender for more information (komplettering);
    the question is the event's text, shown to the sender."""

    kind = CaseEvent.Kind.INFO_REQUESTED
    channel: str = kept()  # "email", "sms", or "" (Mina sidor or the tracking page only)


@dataclass(frozen=True)
class InfoProvided(Payload):
    """The sender replied to the question; the reply is the event's text."""

    kind = CaseEvent.Kind.INFO_PROVIDED
    via: str = kept()  # "tracking" (the tracking link's page) or "mina_sidor"
    attachments: list[str] = field(default_factory=list)  # the sender's file names


@dataclass(frozen=True)
class TrackingRevoked(Payload):
    kind = CaseEvent.Kind.TRACKING_REVOKED


@dataclass(frozen=True)
class TrackingRenewed(Payload):
    kind = CaseEvent.Kind.TRACKING_RENEWED
    channel: str = kept()  # how the new link was sent


# ------------------------------------------------ secrecy and public records


@dataclass(frozen=True)
class SecrecyMarked(Payload):
    kind = CaseEvent.Kind.SECRECY_MARKED
    provision: str = kept()  # SecrecyProvision.code
    attachment: int | None = kept()  # None: the whole case


@dataclass(frozen=True)
class ProtectedIdentity(Payload):
    """The automatic mark of a case from someone with protected personal data."""

    kind = CaseEvent.Kind.PROTECTED_IDENTITY
    provision: str = kept()


@dataclass(frozen=True)
class SecrecyRemoved(Payload):
    kind = CaseEvent.Kind.SECRECY_REMOVED
    provision: str = kept()
    attachment: int | None = kept()


@dataclass(frozen=True)
class AccessGranted(Payload):
    kind = CaseEvent.Kind.ACCESS_GRANTED
    user: int = kept()


@dataclass(frozen=True)
class AccessRevoked(Payload):
    kind = CaseEvent.Kind.ACCESS_REVOKED
    user: int = kept()


@dataclass(frozen=True)
class Released(Payload):
    kind = CaseEvent.Kind.RELEASED
    release: int = kept()  # records.Release id


@dataclass(frozen=True)
class Refused(Payload):
    kind = CaseEvent.Kind.REFUSED
    refusal: int = kept()  # records.Refusal id


@dataclass(frozen=True)
class Disposed(Payload):
    kind = CaseEvent.Kind.DISPOSED


PAYLOADS: dict[str, type[Payload]] = {cls.kind: cls for cls in Payload.__subclasses__()}


def kept_on_disposal(kind: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """What of an event's data disposal leaves: exactly the kept fields of
    its kind's payload; nothing for a kind without one."""
    payload = PAYLOADS.get(kind)
    keep = payload.kept_fields() if payload else frozenset()
    return {key: value for key, value in (data or {}).items() if key in keep}


# ------------------------------------------------------------------ writing


def event_build(
    *, case_id: int, payload: Payload, actor: User | None = None, text: str = "", at: datetime | None = None
) -> CaseEvent:
    """An unsaved event, for bulk_create."""
    return CaseEvent(
        case_id=case_id,
        kind=payload.kind,
        actor=actor,
        text=text,
        data=asdict(payload),
        created_at=at or timezone.now(),
    )


def event_append(
    *, case: Case, payload: Payload, actor: User | None = None, text: str = "", at: datetime | None = None
) -> CaseEvent:
    event = event_build(case_id=case.pk, payload=payload, actor=actor, text=text, at=at)
    event.case = case
    event.save(force_insert=True)
    return event
