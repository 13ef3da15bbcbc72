"""The only part of notifications that cases/ calls. Each function is called
inside the transaction of the change that causes the message; it writes the
outbox rows there, and sending happens after commit.

Citizens get messages in the case's language by the channel they chose:
SMS if they preferred SMS and gave a mobile number, otherwise e-mail if they
gave an address, otherwise SMS if they gave only a mobile number. Anonymous
cases and cases without an e-mail address or mobile number get nothing.
Staff messages go in the site's language."""
from __future__ import annotations

from django.conf import settings

from notifications.models import Channel, OutboundMessage, TemplateKey


def _contact(case):
    from cases.models import Contact

    return Contact.objects.filter(case=case).first()


def _citizen_route(case, *, prefer: str = "") -> tuple[str, str] | None:
    """(channel, recipient) for the sender, or None if they cannot be reached."""
    contact = _contact(case)
    if contact is None:
        return None
    preferred = prefer or contact.preferred
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


def _to_citizen(case, key: str, route: tuple[str, str] | None, **extra) -> None:
    if route is None:
        return
    from notifications.services import case_context, message_enqueue

    channel, recipient = route
    language = case.language if case.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    message_enqueue(
        channel=channel, recipient=recipient, template_key=key, language=language,
        context={**case_context(case, language), **extra}, case=case, kind=OutboundMessage.Kind.CITIZEN,
        neutral=_is_protected(case),
    )


def _to_staff(case, key: str, email: str, **extra) -> None:
    if not email:
        return
    from notifications.services import case_context, message_enqueue

    language = settings.LANGUAGE_CODE
    message_enqueue(
        channel=Channel.EMAIL, recipient=email, template_key=key, language=language,
        context={**case_context(case, language), **extra}, case=case, kind=OutboundMessage.Kind.STAFF,
        neutral=_is_protected(case),
    )


def case_registered(case) -> None:
    """Receipt to the sender; notice to the unit's e-mail address."""
    _to_citizen(case, TemplateKey.RECEIPT, _citizen_route(case))
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

    if answer.channel == Answer.Channel.EMAIL:
        route = _citizen_route(case, prefer=Channel.EMAIL)
        if route and route[0] == Channel.EMAIL:
            _to_citizen(case, TemplateKey.ANSWERED, route, answer_text=answer.text)
    elif answer.channel == Answer.Channel.SMS:
        route = _citizen_route(case, prefer=Channel.SMS)
        if route and route[0] == Channel.SMS:
            _to_citizen(case, TemplateKey.ANSWERED, route)
    elif answer.channel == Answer.Channel.PORTAL:
        _to_citizen(case, TemplateKey.ANSWERED, _citizen_route(case))


def case_closed(case) -> None:
    """'Your case is closed' to the sender."""
    _to_citizen(case, TemplateKey.CLOSED, _citizen_route(case))


def citizen_message(case) -> None:
    """Notice to the assignee (or the unit) of a follow-up from the sender."""
    if case.assignee is not None and case.assignee.email:
        _to_staff(case, TemplateKey.STAFF_CITIZEN_MESSAGE, case.assignee.email, recipient_name=case.assignee.display_name)
    else:
        _to_staff(case, TemplateKey.STAFF_CITIZEN_MESSAGE, case.unit.email, recipient_name=case.unit.name)
