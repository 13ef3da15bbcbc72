"""The only part of notifications that cases/ calls. Each function is called
inside the transaction of the change that causes the message; it writes the
outbox rows there, and sending happens after commit.

Citizens get messages in the case's language by the channel they chose:
SMS if they preferred SMS and gave a mobile number, otherwise e-mail if they
gave an address, otherwise SMS if they gave only a mobile number. A citizen
signed in with e-legitimation chooses on Mina sidor (CitizenIdentity
.notify_by): e-mail or SMS is then the channel of their notices, and "none"
stops every notice for their cases (noted on the case's timeline). Anonymous
cases and cases without an e-mail address or mobile number get nothing.
Staff messages go in the site's language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import Channel, OutboundMessage, TemplateKey


def _contact(case):
    from cases.models import Contact

    return Contact.objects.filter(case=case).first()


def _notify_by(case) -> str:
    """The signed-in sender's choice on Mina sidor: "email", "sms", "none",
    or "" when the case has no signed-in sender or they never chose."""
    if case.citizen_id is None:
        return ""
    from accounts.models import CitizenIdentity

    return CitizenIdentity.objects.filter(user_id=case.citizen_id).values_list("notify_by", flat=True).first() or ""


def _citizen_route(case, *, prefer: str = "", notify_by: str = "") -> tuple[str, str] | None:
    """(channel, recipient) for the sender, or None if they cannot be reached.
    `prefer` is the channel an answer was given by; otherwise the sender's
    choice on Mina sidor wins over the case's own preference."""
    contact = _contact(case)
    if contact is None:
        return None
    preferred = prefer or (notify_by if notify_by in (Channel.EMAIL, Channel.SMS) else "") or contact.preferred
    if preferred == Channel.SMS and contact.phone:
        return Channel.SMS, contact.phone
    if contact.email:
        return Channel.EMAIL, contact.email
    if contact.phone:
        return Channel.SMS, contact.phone
    return None


def _is_protected(case) -> bool:
    """The sender has protected personal data, or the case is marked as
    secret: messages then carry no content at all (rendering.neutral)."""
    from records.models import SecrecyMark

    contact = _contact(case)
    if contact is not None and contact.protected_identity:
        return True
    return SecrecyMark.objects.active().filter(case=case, attachment__isnull=True).exists()


def _not_wanted(case, key: str, channel: str) -> None:
    """The sender chose no notices on Mina sidor: say on the timeline (for
    staff only) what was not sent, so nobody believes it went out."""
    from cases.services import case_record_notification

    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(message)s not sent by %(channel)s: the sender has chosen not to get notices on Mina sidor.") % {
            "message": TemplateKey(key).label,
            "channel": Channel(channel).label,
        }
    case_record_notification(case_id=case.pk, text=text, outcome="not_wanted", channel=channel, template=key)


def _to_citizen(case, key: str, route: tuple[str, str] | None, notify_by: str, **extra) -> None:
    if route is None:
        return
    from accounts.models import CitizenIdentity
    from notifications.services import case_context, message_enqueue

    if notify_by == CitizenIdentity.NotifyBy.NONE:
        _not_wanted(case, key, route[0])
        return

    channel, recipient = route
    language = case.language if case.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    message_enqueue(
        channel=channel,
        recipient=recipient,
        template_key=key,
        language=language,
        context={**case_context(case, language), **extra},
        case=case,
        kind=OutboundMessage.Kind.CITIZEN,
        neutral=_is_protected(case),
    )


def _to_staff(case, key: str, email: str, **extra) -> None:
    if not email:
        return
    from notifications.services import case_context, message_enqueue

    language = settings.LANGUAGE_CODE
    message_enqueue(
        channel=Channel.EMAIL,
        recipient=email,
        template_key=key,
        language=language,
        context={**case_context(case, language), **extra},
        case=case,
        kind=OutboundMessage.Kind.STAFF,
        neutral=_is_protected(case),
    )


def case_registered(case) -> None:
    """Receipt to the sender; notice to the unit's e-mail address."""
    notify_by = _notify_by(case)
    _to_citizen(case, TemplateKey.RECEIPT, _citizen_route(case, notify_by=notify_by), notify_by)
    _to_staff(case, TemplateKey.STAFF_NEW_CASE, case.unit.email)


def case_routed(case) -> None:
    """Notice to the new unit's e-mail address."""
    _to_staff(case, TemplateKey.STAFF_ROUTED, case.unit.email)


def case_assigned(case) -> None:
    """Notice to the new assignee."""
    if case.assignee is not None:
        _to_staff(case, TemplateKey.STAFF_ASSIGNED, case.assignee.email, recipient_name=case.assignee.display_name)


def case_answered(case, answer) -> None:
    """'Your case has been handled' to the sender, by e-mail or SMS. An
    e-mail answer carries the answer's text; an SMS only says the case has
    been answered and where to read it; an answer on Mina sidor is announced
    by the sender's usual channel. Letters, calls and meetings need no notice."""
    from cases.models import Answer

    notify_by = _notify_by(case)
    if answer.channel == Answer.Channel.EMAIL:
        route = _citizen_route(case, prefer=Channel.EMAIL)
        if route and route[0] == Channel.EMAIL:
            _to_citizen(case, TemplateKey.ANSWERED, route, notify_by, answer_text=answer.text)
    elif answer.channel == Answer.Channel.SMS:
        route = _citizen_route(case, prefer=Channel.SMS)
        if route and route[0] == Channel.SMS:
            _to_citizen(case, TemplateKey.ANSWERED, route, notify_by)
    elif answer.channel == Answer.Channel.PORTAL:
        _to_citizen(case, TemplateKey.ANSWERED, _citizen_route(case, notify_by=notify_by), notify_by)


def case_closed(case) -> None:
    """'Your case is closed' to the sender."""
    notify_by = _notify_by(case)
    _to_citizen(case, TemplateKey.CLOSED, _citizen_route(case, notify_by=notify_by), notify_by)


def citizen_message(case) -> None:
    """Notice to the assignee (or the unit) of a follow-up from the sender."""
    if case.assignee is not None and case.assignee.email:
        _to_staff(
            case, TemplateKey.STAFF_CITIZEN_MESSAGE, case.assignee.email, recipient_name=case.assignee.display_name
        )
    else:
        _to_staff(case, TemplateKey.STAFF_CITIZEN_MESSAGE, case.unit.email, recipient_name=case.unit.name)
