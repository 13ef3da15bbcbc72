"""Who is told what, by which channel, neutral or not. The services of
cases/services.py call these inside the transaction of the change that
causes the message, with the locked case and the contact details they
already hold; each writes outbox rows through notifications.services
.messages_enqueue with plain values and the case's subject key, and the
outbox sends them after commit.

Citizens get messages in the case's language by the channel they chose:
SMS if they preferred SMS and gave a mobile number, otherwise e-mail if they
gave an address, otherwise SMS if they gave only a mobile number (a landline,
which staff may note for a callback, never gets a text message). A citizen
signed in with e-legitimation chooses on Mina sidor (CitizenIdentity
.notify_by): e-mail or SMS is then the channel of their notices, and "none"
stops every notice for their cases; what was withheld is returned, so the
calling service notes it on the timeline. Anonymous cases and cases without
an e-mail address or mobile number get nothing. Staff messages go in the
site's language. What became of each message is read back from the outbox
by the case's subject key (cases.selectors.case_timeline)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypedDict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import CitizenIdentity
from cases import permissions, tracking
from cases.models import Answer, Case, Contact, SecrecyMark
from core.validators import is_mobile
from notifications import selectors as outbox
from notifications.choices import Channel, TemplateKey
from notifications.models import OutboundMessage
from notifications.rendering import Rendered
from notifications.services import MessageRequest, Templates, message_render, messages_enqueue, templates_get

SUBJECT_PREFIX = "case:"


def subject_key(case: Case) -> str:
    """The key the outbox files a case's messages under."""
    return f"{SUBJECT_PREFIX}{case.pk}"


def case_id_of(key: str) -> int | None:
    """The case a subject key names, or None for a message about no case."""
    if key.startswith(SUBJECT_PREFIX) and key[len(SUBJECT_PREFIX) :].isdigit():
        return int(key[len(SUBJECT_PREFIX) :])
    return None


def case_url(case: Case) -> str:
    """The back-office page of a case."""
    return settings.SITE_URL + reverse("cases:detail", kwargs={"number": case.number})


def case_context(case: Case, language: str) -> dict:
    """What a message may say about a case: never the sender's text, contact
    details or personal identity number."""
    with translation.override(language):
        case_type = str(case.get_subtype_display())
    return {
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "mina_sidor_url": settings.SITE_URL + reverse("portal:mina_sidor"),
        "case_url": case_url(case),
        "case_number": case.number,
        "case_type": case_type,
        "category": case.category.localized_name(language),
        "unit": case.unit.name,
        "received": case.received_at,
        "due_date": case.due_date,
        "signed_in": case.citizen_id is not None,
    }


def case_is_neutral(*, case: Case, contact: Contact | None, marked: bool | None = None) -> bool:
    """The sender has protected personal data, or the case is marked as
    secret: its messages then carry no content at all. The one place that
    asks; the secrecy mark is read once per case object (permissions), and
    not at all when the caller already knows (`marked`: registration, which
    has just marked the case of a protected sender, or not)."""
    if contact is not None and contact.protected_identity:
        return True
    return marked if marked is not None else permissions.is_marked(case)


def citizen_choice(case: Case) -> str:
    """The signed-in sender's choice on Mina sidor: "email", "sms", "none",
    or "" when the case has no signed-in sender or they never chose."""
    if case.citizen_id is None:
        return ""
    return CitizenIdentity.objects.filter(user_id=case.citizen_id).values_list("notify_by", flat=True).first() or ""


@dataclass(frozen=True)
class Withheld:
    """A notice not sent because the sender chose none on Mina sidor."""

    template_key: str
    channel: str

    @property
    def text(self) -> str:
        """For staff, in the site's language: what was not sent, so nobody
        believes it went out."""
        with translation.override(settings.LANGUAGE_CODE):
            return _("%(message)s not sent by %(channel)s: the sender has chosen not to get notices on Mina sidor.") % {
                "message": TemplateKey(self.template_key).label,
                "channel": Channel(self.channel).label,
            }


def _citizen_route(contact: Contact | None, *, prefer: str = "", notify_by: str = "") -> tuple[str, str] | None:
    """(channel, recipient) for the sender, or None if they cannot be reached.
    `prefer` is the channel an answer was given by; otherwise the sender's
    choice on Mina sidor wins over the case's own preference."""
    if contact is None:
        return None
    preferred = prefer or (notify_by if notify_by in (Channel.EMAIL, Channel.SMS) else "") or contact.preferred
    # A landline (kept for a callback) never gets a text message.
    mobile = contact.phone if is_mobile(contact.phone) else ""
    if preferred == Channel.SMS and mobile:
        return Channel.SMS, mobile
    if contact.email:
        return Channel.EMAIL, contact.email
    if mobile:
        return Channel.SMS, mobile
    return None


def _request(
    case: Case,
    contact: Contact | None,
    marked: bool | None,
    *,
    channel: str,
    recipient: str,
    key: str,
    language: str,
    kind: str,
    neutral_page: str,
    extra: dict[str, object],
) -> MessageRequest:
    """One message about the case. A neutral one (secret case, protected
    sender) carries no content, only a link to `neutral_page`."""
    neutral = case_is_neutral(case=case, contact=contact, marked=marked)
    return MessageRequest(
        channel=channel,
        recipient=recipient,
        template_key=key,
        language=language,
        context={} if neutral else {**case_context(case, language), **extra},
        subject_key=subject_key(case),
        kind=kind,
        neutral_url=settings.SITE_URL + reverse(neutral_page) if neutral else "",
    )


def _language_of(case: Case) -> str:
    return case.language if case.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _citizen_notice(
    case: Case,
    contact: Contact | None,
    key: str,
    route: tuple[str, str] | None,
    notify_by: str,
    marked: bool | None = None,
    **extra: object,
) -> tuple[list[MessageRequest], list[Withheld]]:
    """The message to the sender, or what was withheld."""
    if route is None:
        return [], []
    channel, recipient = route
    if notify_by == CitizenIdentity.NotifyBy.NONE:
        return [], [Withheld(template_key=key, channel=channel)]
    language = _language_of(case)
    request = _request(
        case,
        contact,
        marked,
        channel=channel,
        recipient=recipient,
        key=key,
        language=language,
        kind=OutboundMessage.Kind.CITIZEN,
        neutral_page="portal:mina_sidor",
        extra=extra,
    )
    return [request], []


def _to_citizen(
    case: Case,
    contact: Contact | None,
    key: str,
    route: tuple[str, str] | None,
    notify_by: str,
    marked: bool | None = None,
    **extra: object,
) -> list[Withheld]:
    requests, withheld = _citizen_notice(case, contact, key, route, notify_by, marked, **extra)
    messages_enqueue(requests)
    return withheld


def _staff_notice(
    case: Case, contact: Contact | None, key: str, email: str, marked: bool | None = None, **extra: object
) -> list[MessageRequest]:
    if not email:
        return []
    return [
        _request(
            case,
            contact,
            marked,
            channel=Channel.EMAIL,
            recipient=email,
            key=key,
            language=settings.LANGUAGE_CODE,
            kind=OutboundMessage.Kind.STAFF,
            neutral_page="cases:home",
            extra=extra,
        )
    ]


def _to_staff(
    case: Case, contact: Contact | None, key: str, email: str, marked: bool | None = None, **extra: object
) -> None:
    messages_enqueue(_staff_notice(case, contact, key, email, marked, **extra))


# How an officer's answer may begin and end, in Swedish and English: the
# message template then adds no greeting or sign-off of its own.
_GREETING = re.compile(r"^\s*(hej|hejsan|hallå|god (morgon|dag|eftermiddag|kväll)|kära|hello|hi|dear)\b", re.I)
_SIGNOFF = re.compile(
    r"(med )?(vänlig(a)? hälsning(ar)?|bästa hälsningar|hälsningar|mvh|kind regards|best regards|regards|"
    r"yours sincerely|sincerely)\b",
    re.I,
)


def has_greeting(text: str) -> bool:
    """The text starts with a greeting: "Hej", "Hej!", "Hej Anna," …"""
    return bool(_GREETING.match(text))


def has_signoff(text: str) -> bool:
    """One of the last three lines of the text is a sign-off: "Med vänliga
    hälsningar", "Mvh" …"""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return any(_SIGNOFF.match(line) for line in lines[-3:])


@dataclass(frozen=True)
class RegistrationNotices:
    """What the notices of a new case read from the database, read before
    the case has its number (case_registered_prepare): registration then
    holds the case-number counter's lock for as short a time as it can."""

    notify_by: str
    templates: Templates


def case_registered_prepare(*, case: Case, contact: Contact | None) -> RegistrationNotices:
    """The sender's choice on Mina sidor and the words of the receipt and
    of the unit's notice, for case_registered, read in at most two queries
    from a case that need not be saved yet (its unit, language and sender)."""
    notify_by = citizen_choice(case)
    route = _citizen_route(contact, notify_by=notify_by)
    wanted = []
    if route is not None and notify_by != CitizenIdentity.NotifyBy.NONE:
        wanted.append((TemplateKey.RECEIPT.value, route[0], _language_of(case)))
    if case.unit.email:
        wanted.append((TemplateKey.STAFF_NEW_CASE.value, Channel.EMAIL.value, settings.LANGUAGE_CODE))
    return RegistrationNotices(notify_by=notify_by, templates=templates_get(wanted))


def case_registered(
    *, case: Case, contact: Contact | None, marked: bool, prepared: RegistrationNotices | None = None
) -> list[Withheld]:
    """Receipt to the sender; notice to the unit's e-mail address. `marked`:
    registration has marked the case as secret (a protected sender).
    `prepared`: what case_registered_prepare read, if it was called. Both
    are queued together."""
    notify_by = prepared.notify_by if prepared is not None else citizen_choice(case)
    route = _citizen_route(contact, notify_by=notify_by)
    # The tracking link made with the case (a sender who was not signed in).
    extra = {"tracking_url": tracking.tracking_url(case, case.tracking_token)} if case.tracking_token else {}
    receipt, withheld = _citizen_notice(case, contact, TemplateKey.RECEIPT, route, notify_by, marked=marked, **extra)
    notice = _staff_notice(case, contact, TemplateKey.STAFF_NEW_CASE, case.unit.email, marked=marked)
    messages_enqueue([*receipt, *notice], templates=prepared.templates if prepared is not None else None)
    return withheld


def case_routed(*, case: Case, contact: Contact | None) -> None:
    """Notice to the new unit's e-mail address."""
    _to_staff(case, contact, TemplateKey.STAFF_ROUTED, case.unit.email)


def case_assigned(*, case: Case, contact: Contact | None) -> None:
    """Notice to the new assignee."""
    if case.assignee is not None:
        _to_staff(
            case, contact, TemplateKey.STAFF_ASSIGNED, case.assignee.email, recipient_name=case.assignee.display_name
        )


class AnswerContext(TypedDict):
    answer_text: str
    has_greeting: bool
    has_signoff: bool


def answer_context(text: str) -> AnswerContext:
    """What an e-mail answer adds to the case's context: the officer's text,
    and whether it already greets and signs off (the template then does not)."""
    return {"answer_text": text, "has_greeting": has_greeting(text), "has_signoff": has_signoff(text)}


def _answer_notice(
    case: Case, contact: Contact | None, channel: str, text: str, notify_by: str
) -> tuple[list[MessageRequest], list[Withheld]]:
    """The message an answer given by `channel` sends the sender, or what
    was withheld (case_answered, answer_preview)."""
    if channel == Answer.Channel.EMAIL:
        route = _citizen_route(contact, prefer=Channel.EMAIL)
        if route and route[0] == Channel.EMAIL:
            return _citizen_notice(case, contact, TemplateKey.ANSWERED, route, notify_by, **answer_context(text))
    elif channel == Answer.Channel.SMS:
        route = _citizen_route(contact, prefer=Channel.SMS)
        if route and route[0] == Channel.SMS:
            return _citizen_notice(case, contact, TemplateKey.ANSWERED, route, notify_by)
    elif channel == Answer.Channel.PORTAL:
        route = _citizen_route(contact, notify_by=notify_by)
        return _citizen_notice(case, contact, TemplateKey.ANSWERED, route, notify_by)
    return [], []


def case_answered(*, case: Case, contact: Contact | None, answer: Answer) -> list[Withheld]:
    """'Your case has been handled' to the sender, by e-mail or SMS. An
    e-mail answer carries the answer's text; an SMS only says the case has
    been answered and where to read it; an answer on Mina sidor is announced
    by the sender's usual channel. Letters, calls and meetings need no notice."""
    requests, withheld = _answer_notice(case, contact, answer.channel, answer.text, citizen_choice(case))
    messages_enqueue(requests)
    return withheld


@dataclass(frozen=True)
class AnswerPreview:
    """What the sender would get for an answer: the message (`channel`
    "email" or "sms", its recipient and words), the notice withheld by the
    sender's choice, or neither (a letter, a call, a meeting)."""

    channel: str = ""
    recipient: str = ""
    message: Rendered | None = None
    withheld: Withheld | None = None

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label) if self.channel else ""


def answer_preview(*, case: Case, contact: Contact | None, channel: str, text: str) -> AnswerPreview:
    """The message case_answered would queue for this answer, rendered the
    same way, with nothing written or queued."""
    requests, withheld = _answer_notice(case, contact, channel, text, citizen_choice(case))
    if withheld:
        return AnswerPreview(channel=withheld[0].channel, withheld=withheld[0])
    if not requests:
        return AnswerPreview()
    request = requests[0]
    return AnswerPreview(channel=request.channel, recipient=request.recipient, message=message_render(request))


@dataclass(frozen=True)
class SurveyLink:
    """The satisfaction survey's link for a closing notice (cases.surveys)."""

    url: str
    expires_at: datetime


def private_link_possible(*, case: Case, contact: Contact | None) -> bool:
    """A notice to this sender could carry a private link (the survey's, the
    tracking link): they can be reached by e-mail or SMS, have not chosen to
    get no notices, and the notice is not neutral (a neutral notice carries
    nothing but a pointer to Mina sidor)."""
    notify_by = citizen_choice(case)
    if notify_by == CitizenIdentity.NotifyBy.NONE or _citizen_route(contact, notify_by=notify_by) is None:
        return False
    return not case_is_neutral(case=case, contact=contact)


def survey_link_possible(*, case: Case, contact: Contact | None) -> bool:
    """A closing notice to this sender could carry the survey's link (so a
    secret or protected case is asked on Mina sidor only)."""
    return private_link_possible(case=case, contact=contact)


def outcome_context(case: Case, language: str) -> dict[str, object]:
    """The outcome of a closed case for its closing notice, in the sender's
    language: how it was closed (`outcome`, the resolution), the other
    system or authority and the reference there, the text of the kind of
    matter not handled here (why, and where to turn), and the case a
    duplicate joined and whether that one has been answered already."""
    original = case.duplicate_of
    matter = case.excluded_matter
    return {
        "outcome": case.resolution,
        "transferred_to": case.transferred_to,
        "transfer_reference": case.transfer_reference,
        "not_handled_text": matter.text(language) if matter is not None else "",
        "duplicate_of": original.number if original is not None else "",
        "duplicate_of_answered": original is not None and original.first_answered_at is not None,
    }


def case_closed(*, case: Case, contact: Contact | None, survey: SurveyLink | None = None) -> list[Withheld]:
    """'Your case is closed' to the sender with the outcome in plain words
    (outcome_context), and the satisfaction survey's link when the case was
    closed as answered and a link was made. A neutral notice says neither."""
    notify_by = citizen_choice(case)
    extra: dict[str, object] = outcome_context(case, _language_of(case))
    if survey is not None:
        extra |= {"survey_url": survey.url, "survey_expires": survey.expires_at}
    route = _citizen_route(contact, notify_by=notify_by)
    return _to_citizen(case, contact, TemplateKey.CLOSED, route, notify_by, None, **extra)


# ------------------------------------------------ delays and overdue answers
# A pause period or a unit head's extension can move many open cases' due
# dates at once, and the deadline sweep finds many cases overdue at once:
# these read the secrecy marks and the senders' choices for all of them in
# two queries and queue the messages in one insert.


@dataclass(frozen=True)
class Delay:
    """An open, unanswered case whose due date moved later, and why (told to
    the sender, so written for them)."""

    case: Case
    old_due_date: date
    reason: str


def _contact_or_none(case: Case) -> Contact | None:
    try:
        return case.contact
    except Contact.DoesNotExist:
        return None


def _marked_ids(cases: Sequence[Case]) -> set[int]:
    ids = [case.pk for case in cases]
    rows = SecrecyMark.objects.active().filter(case_id__in=ids, attachment__isnull=True)
    return set(rows.values_list("case_id", flat=True))


def _choices_of(cases: Sequence[Case]) -> dict[int, str]:
    citizens = {case.citizen_id for case in cases if case.citizen_id is not None}
    if not citizens:
        return {}
    rows = CitizenIdentity.objects.filter(user_id__in=citizens).values_list("user_id", "notify_by")
    return {user_id: notify_by or "" for user_id, notify_by in rows}


def _bulk_notices(
    cases: Sequence[Case], key: str, extras: dict[int, dict[str, object]], *, all_neutral: bool = False
) -> tuple[list[MessageRequest], dict[int, list[Withheld]]]:
    """The message `key` to the sender of each case, neutral for the cases
    marked as secret, and for all with `all_neutral`."""
    marked, choices = _marked_ids(cases), _choices_of(cases)
    requests: list[MessageRequest] = []
    withheld: dict[int, list[Withheld]] = {}
    for case in cases:
        contact = _contact_or_none(case)
        notify_by = choices.get(case.citizen_id, "") if case.citizen_id is not None else ""
        route = _citizen_route(contact, notify_by=notify_by)
        made, held = _citizen_notice(
            case, contact, key, route, notify_by, marked=all_neutral or case.pk in marked, **extras.get(case.pk, {})
        )
        requests += made
        if held:
            withheld[case.pk] = held
    return requests, withheld


def cases_delayed(delays: Sequence[Delay]) -> dict[int, list[Withheld]]:
    """'We need more time': the new due date and why, to the sender of each
    case (neutral for a secret case or a protected sender). The cases come
    with their category, unit and contact details read. Returns what the
    senders' choices withheld, by case id."""
    extras: dict[int, dict[str, object]] = {
        d.case.pk: {"old_due_date": d.old_due_date, "reason": d.reason} for d in delays
    }
    requests, withheld = _bulk_notices([d.case for d in delays], TemplateKey.DELAYED, extras)
    messages_enqueue(requests)
    return withheld


def overdue_dedupe_key(case: Case) -> str:
    return f"case-overdue:{case.pk}"


def cases_overdue(cases: Sequence[Case]) -> dict[int, list[Withheld]]:
    """'Your answer is late' to the sender of each case that has become
    overdue without an answer, once per case ever: the outbox's dedupe key
    keeps a second one from being queued (a case extended and overdue
    again is not told twice). Returns what the senders' choices withheld."""
    taken = outbox.dedupe_keys_taken([overdue_dedupe_key(case) for case in cases])
    fresh = [case for case in cases if overdue_dedupe_key(case) not in taken]
    requests, withheld = _bulk_notices(fresh, TemplateKey.OVERDUE, {})
    by_case = {subject_key(case): overdue_dedupe_key(case) for case in fresh}
    messages_enqueue([replace(r, dedupe_key=by_case[r.subject_key]) for r in requests])
    return withheld


class DuplicateNews(StrEnum):
    """What happened to the case duplicates joined."""

    ANSWERED = "answered"
    CLOSED = "closed"


def duplicate_news_dedupe_key(duplicate: Case, news: str) -> str:
    return f"case-duplicate-news:{duplicate.pk}:{news}"


def duplicates_told(*, original: Case, duplicates: Sequence[Case], news: str) -> dict[int, list[Withheld]]:
    """The case the `duplicates` joined has been answered or closed (`news`):
    each duplicate's sender with contact details is told, once per duplicate
    and news ever (the outbox's dedupe key: a second answer or a closing
    after a reopening tells nobody again). The message names the original
    case by its number and never carries its sender's words or its answer.
    It is neutral when the duplicate or the original is secret or the
    duplicate's sender has protected personal data. The duplicates come with
    their category, unit and contact details read. Returns what the
    senders' choices withheld, by case id."""
    keys = {duplicate.pk: duplicate_news_dedupe_key(duplicate, news) for duplicate in duplicates}
    taken = outbox.dedupe_keys_taken(list(keys.values()))
    fresh = [duplicate for duplicate in duplicates if keys[duplicate.pk] not in taken]
    if not fresh:
        return {}
    extras: dict[int, dict[str, object]] = {
        duplicate.pk: {"original_number": original.number, "news": news} for duplicate in fresh
    }
    requests, withheld = _bulk_notices(
        fresh, TemplateKey.DUPLICATE_NEWS, extras, all_neutral=permissions.is_marked(original)
    )
    by_case = {subject_key(duplicate): keys[duplicate.pk] for duplicate in fresh}
    messages_enqueue([replace(r, dedupe_key=by_case[r.subject_key]) for r in requests])
    return withheld


def citizen_message(*, case: Case, contact: Contact | None) -> None:
    """Notice to the assignee (or the unit) of a follow-up from the sender."""
    if case.assignee is not None and case.assignee.email:
        _to_staff(
            case,
            contact,
            TemplateKey.STAFF_CITIZEN_MESSAGE,
            case.assignee.email,
            recipient_name=case.assignee.display_name,
        )
    else:
        _to_staff(case, contact, TemplateKey.STAFF_CITIZEN_MESSAGE, case.unit.email, recipient_name=case.unit.name)


# ------------------------------------------- questions and the tracking link


def info_requested(*, case: Case, contact: Contact | None, question: str) -> tuple[str, list[Withheld]]:
    """An officer's question to the sender, by the sender's usual channel:
    the e-mail carries the question, the SMS only says there is one; both
    carry the tracking link the service has just made (Case.tracking_token),
    or point to Mina sidor. Neutral for a secret case or a protected sender.
    Returns the channel it went by ("" when none) and what was withheld."""
    notify_by = citizen_choice(case)
    route = _citizen_route(contact, notify_by=notify_by)
    extra: dict[str, object] = {"question": question}
    if case.tracking_token:
        extra["tracking_url"] = tracking.tracking_url(case, case.tracking_token)
    requests, withheld = _citizen_notice(case, contact, TemplateKey.INFO_REQUEST, route, notify_by, None, **extra)
    messages_enqueue(requests)
    return (requests[0].channel if requests else ""), withheld


def tracking_renewed(*, case: Case, contact: Contact | None) -> str:
    """The new tracking link staff made, to the sender (the service has
    checked private_link_possible). Returns the channel it went by."""
    notify_by = citizen_choice(case)
    route = _citizen_route(contact, notify_by=notify_by)
    extra = {"tracking_url": tracking.tracking_url(case, case.tracking_token)}
    requests, _withheld = _citizen_notice(case, contact, TemplateKey.TRACKING_LINK, route, notify_by, None, **extra)
    messages_enqueue(requests)
    return requests[0].channel if requests else ""
