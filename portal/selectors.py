"""Reads the portal's views share. Every Mina sidor query starts from
cases.permissions.cases_of_citizen(user), so a case that is not the
citizen's is never found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import CitizenIdentity
from cases.models import Answer, Attachment, Case, CaseEvent, Category, Contact, SatisfactionSurvey
from cases.permissions import cases_of_citizen

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def latest_contact_of_citizen(user) -> Contact | None:
    """The contact details of the citizen's most recent case."""
    return Contact.objects.filter(case__in=cases_of_citizen(user)).order_by("-case__received_at").first()


def categories_for_intake() -> QuerySet[Category]:
    """The subject areas a citizen can choose: active ones whose default unit
    is active, in the administrator's order."""
    return (
        Category.objects.filter(is_active=True, default_unit__is_active=True)
        .select_related("default_unit")
        .order_by("position", "name")
    )


def case_for_receipt(public_id) -> Case | None:
    """The case a receipt page shows, with what the page reads in one query,
    and only that (templates/portal/receipt.html): fewer columns to build the
    query from and the objects from."""
    return (
        Case.objects.select_related("unit", "contact")
        .only(
            "number",
            "kind",
            "feedback_type",
            "due_date",
            "citizen_id",
            "tracking_token_hash",
            "unit__name",
            "contact__email",
            "contact__phone",
            "contact__address",
            "contact__preferred",
        )
        .filter(public_id=public_id)
        .first()
    )


# The status in the citizen's words.
STATUS_WORDS: dict[str, StrOrPromise] = {
    Case.Status.NEW: _("Received"),
    Case.Status.IN_PROGRESS: _("Being handled"),
    Case.Status.ANSWERED: _("Answered"),
    Case.Status.CLOSED: _("Closed"),
}

TIMELINE_WORDS: dict[str, StrOrPromise] = {
    CaseEvent.Kind.REGISTERED: _("We received your case"),
    CaseEvent.Kind.STATUS_CHANGED: _("Your case is being handled"),
    CaseEvent.Kind.ANSWERED: _("You got an answer"),
    CaseEvent.Kind.CLOSED: _("Your case was closed"),
    CaseEvent.Kind.REOPENED: _("Your case was opened again"),
    CaseEvent.Kind.CITIZEN_MESSAGE: _("You sent a message"),
    CaseEvent.Kind.SURVEY_ANSWERED: _("You told us how satisfied you are"),
    CaseEvent.Kind.INFO_REQUESTED: _("We asked you a question"),
    CaseEvent.Kind.INFO_PROVIDED: _("You answered our question"),
}

# The kinds whose text is shown to the citizen: what they wrote themselves,
# and the questions staff wrote for them.
OWN_KINDS = (
    CaseEvent.Kind.CITIZEN_MESSAGE,
    CaseEvent.Kind.SURVEY_ANSWERED,
    CaseEvent.Kind.INFO_REQUESTED,
    CaseEvent.Kind.INFO_PROVIDED,
)


def status_in_words(case: Case) -> str:
    if case.is_awaiting_sender:
        return str(_("Waiting for your reply"))
    return str(STATUS_WORDS.get(case.status, case.get_status_display()))


def open_question(case: Case) -> str:
    """The question the case waits for the sender to answer, or ""."""
    if not case.is_awaiting_sender:
        return ""
    event = case.events.filter(kind=CaseEvent.Kind.INFO_REQUESTED).order_by("-created_at", "-id").first()
    return event.text if event is not None else ""


def not_handled_text(case: Case) -> str:
    """Why a case not handled here is not, and where to turn: the text of
    its kind of matter in the page's language ("" for other cases)."""
    return case.excluded_matter.text(get_language()) if case.excluded_matter else ""


def citizen_case_list(user) -> QuerySet[Case]:
    """The citizen's cases with what the overview shows, the satisfaction
    survey's state included, in one query."""
    return (
        cases_of_citizen(user)
        .select_related("category", "survey")
        .only(
            "survey__id",
            "survey__case_id",
            "survey__expires_at",
            "survey__answered_at",
            "public_id",
            "number",
            "kind",
            "feedback_type",
            "category__name",
            "category__name_en",
            "received_at",
            "received_date",
            "status",
            "due_date",
            "first_answered_at",
            "awaiting_sender_since",
        )
        .order_by("-received_at")
    )


def citizen_case(user, public_id) -> Case:
    """The citizen's case, or 404."""
    return get_object_or_404(
        cases_of_citizen(user).select_related("category", "duplicate_of", "excluded_matter"), public_id=public_id
    )


def citizen_attachments(case: Case) -> QuerySet[Attachment]:
    # What the citizen sent; files staff add are working material.
    return case.attachments.filter(from_citizen=True).order_by("uploaded_at", "id")


def citizen_attachment(user, public_id, attachment_id) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("case"),
        case__in=cases_of_citizen(user),
        case__public_id=public_id,
        public_id=attachment_id,
        from_citizen=True,
    )


@dataclass(frozen=True)
class AnswerEntry:
    text: str
    created_at: datetime
    author_name: str = ""


def citizen_answers(case: Case) -> list[AnswerEntry]:
    show_names = settings.KONTAKT_SHOW_STAFF_NAMES
    answers = case.answers.select_related("author") if show_names else case.answers.all()
    return [
        AnswerEntry(
            text=a.text, created_at=a.created_at, author_name=a.author.display_name if show_names and a.author else ""
        )
        for a in answers.order_by("created_at", "id")
    ]


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    created_at: datetime
    text: str = ""
    attachments: list = field(default_factory=list)
    actor_name: str = ""


def citizen_timeline(case: Case) -> list[TimelineEntry]:
    """The timeline entries meant for the citizen (CaseEvent.CITIZEN_KINDS).
    Only their own messages carry text; staff notes, reasons and names stay
    internal unless KONTAKT_SHOW_STAFF_NAMES is on."""
    show_names = settings.KONTAKT_SHOW_STAFF_NAMES
    events = case.events.filter(kind__in=CaseEvent.CITIZEN_KINDS).order_by("created_at", "id")
    if show_names:
        events = events.select_related("actor")
    entries = []
    for event in events:
        own = event.kind in OWN_KINDS
        actor_name = ""
        if show_names and not own and event.actor is not None and not event.actor.is_citizen:
            actor_name = event.actor.display_name
        entries.append(
            TimelineEntry(
                kind=event.kind,
                label=str(TIMELINE_WORDS[event.kind]),
                created_at=event.created_at,
                text=event.text if own else "",
                attachments=list(event.data.get("attachments", [])) if own else [],
                actor_name=actor_name,
            )
        )
    return entries


def citizen_data_export(user) -> dict:
    """Everything Kontakt holds about the citizen (GDPR article 15), in a
    fixed number of queries."""
    identity = CitizenIdentity.objects.filter(user=user).first()
    accounts = SocialAccount.objects.filter(user=user).order_by("date_joined")
    cases = (
        cases_of_citizen(user)
        .select_related("category", "contact", "survey", "excluded_matter", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "attachments", queryset=Attachment.objects.filter(from_citizen=True).order_by("uploaded_at", "id")
            ),
            Prefetch("answers", queryset=Answer.objects.order_by("created_at", "id")),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(kind__in=CaseEvent.CITIZEN_KINDS).order_by("created_at", "id"),
                to_attr="citizen_events",
            ),
        )
        .order_by("received_at")
    )

    def when(value):
        return value.isoformat() if value else None

    def contact_of(case):
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
        }

    def outcome_of(case):
        """How a closed case ended, as the closing notice told it."""
        if case.status != Case.Status.CLOSED:
            return None
        return {
            "resolution": case.resolution,
            "passed_on_to": case.transferred_to,
            "reference_there": case.transfer_reference,
            "why_and_where_to_turn": not_handled_text(case),
            "handled_together_with": case.duplicate_of.number if case.duplicate_of else "",
        }

    def survey_of(case):
        try:
            survey = case.survey
        except SatisfactionSurvey.DoesNotExist:
            return None
        return {
            "asked": when(survey.created_at),
            "open_until": when(survey.expires_at),
            "answered": when(survey.answered_at),
            "score": survey.score,
            "got_answer": survey.got_answer,
            "comment_note": "A comment you wrote is in the case's timeline.",
        }

    return {
        "service": settings.KONTAKT_SERVICE_NAME,
        "municipality": settings.KONTAKT_MUNICIPALITY_NAME,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "identity_number": identity.number_masked if identity else "",
            "identity_number_kind": identity.number_kind if identity else "",
            "identity_number_note": "Kontakt stores only a keyed hash of the number and this masked form.",
            "assurance_level": identity.assurance_level if identity else "",
            "notify_by": identity.notify_by if identity else "",
            "email": identity.email if identity else "",
            "phone": identity.phone if identity else "",
            "first_signed_in": when(identity.created_at) if identity else None,
            "last_signed_in": when(identity.last_signed_in_at) if identity else None,
            "e_identifications": [
                {
                    "issuer": a.extra_data.get("id_token", {}).get("iss", ""),
                    "subject": a.extra_data.get("id_token", {}).get("sub", ""),
                    "first_used": when(a.date_joined),
                    "last_used": when(a.last_login),
                }
                for a in accounts
            ],
        },
        "cases": [
            {
                "number": case.number,
                "id": str(case.public_id),
                "type": str(case.get_subtype_display()),
                "subject": case.category.localized_name(),
                "description": case.description,
                "place": case.place,
                "latitude": str(case.latitude) if case.latitude is not None else None,
                "longitude": str(case.longitude) if case.longitude is not None else None,
                "received": when(case.received_at),
                "status": status_in_words(case),
                "answer_due": case.due_date.isoformat(),
                "closed": when(case.closed_at),
                "outcome": outcome_of(case),
                "contact": contact_of(case),
                "attachments": [
                    {
                        "name": a.original_name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "uploaded": when(a.uploaded_at),
                    }
                    for a in case.attachments.all()
                ],
                "answers": [{"text": a.text, "answered": when(a.created_at)} for a in case.answers.all()],
                "satisfaction_survey": survey_of(case),
                "timeline": [
                    {
                        "what": str(TIMELINE_WORDS[e.kind]),
                        "when": when(e.created_at),
                        "text": e.text if e.kind in OWN_KINDS else "",
                    }
                    for e in case.citizen_events
                ],
            }
            for case in cases
        ],
    }


def survey_is_open(case: Case, now: datetime | None = None) -> bool:
    """The case's satisfaction survey waits for the citizen's answer (the
    survey read with the case: citizen_case_list)."""
    try:
        survey = case.survey
    except SatisfactionSurvey.DoesNotExist:
        return False
    return survey.answered_at is None and survey.expires_at > (now or timezone.now())
