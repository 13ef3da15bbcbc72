"""Every change to the outbox: queue, send, sweep, retry, status callbacks
and the morning digest. Tasks and views call these; the delivery guarantee
they implement is described in docs/notifications.md."""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.channels import PermanentError, SendError, channel_for
from notifications.models import Channel, OutboundMessage, TemplateKey
from notifications.rendering import render

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status


class NotificationError(Exception):
    """A rule of the outbox was broken, e.g. retrying a message that was sent."""


# ----------------------------------------------------------------- context


def case_url(case) -> str:
    """The back-office page of a case."""
    return settings.SITE_URL + reverse("cases:detail", kwargs={"number": case.number})


def case_context(case, language: str) -> dict:
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


# ------------------------------------------------------------------ queue


def _dispatch(message_id: int) -> None:
    """Hand a message to the broker. Runs after commit; if the broker is
    unreachable the request still succeeds and the sweep sends it later."""
    from notifications.tasks import message_send

    try:
        message_send.apply_async((message_id,), retry=False)
    except Exception:  # the broker's errors vary by transport
        logger.warning(
            "Outbox message %s not dispatched (broker unreachable); the sweep will send it.", message_id, exc_info=True
        )


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    template_key: str,
    language: str,
    context: dict,
    case=None,
    kind: str = OutboundMessage.Kind.CITIZEN,
    dedupe_key: str | None = None,
    neutral: bool = False,
) -> OutboundMessage:
    """Render and write one outbox row in the caller's transaction, and send
    it after that transaction commits. A neutral message (protected personal
    data, secret cases) carries no content: rendering.neutral."""
    if neutral:
        from notifications.rendering import neutral as neutral_message

        rendered = neutral_message(channel, language, to_staff=kind == OutboundMessage.Kind.STAFF)
    else:
        rendered = render(template_key, channel, language, context)
    message = OutboundMessage.objects.create(
        kind=kind,
        channel=channel,
        recipient=recipient,
        template_key=template_key,
        language=language,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        case=case,
        dedupe_key=dedupe_key,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message


# ------------------------------------------------------------------- send


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None


def _retry_delay(attempts: int) -> int:
    return min(
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    )


def _claim(message_id: int, now) -> tuple[OutboundMessage | None, str]:
    """Lock the row, check it may be sent now, and mark it "sending" with one
    more attempt. Commits before the provider is called, so every other
    worker sees the claim. Returns (message, "") or (None, reason)."""
    stale_before = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)
    with transaction.atomic():
        rows = OutboundMessage.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        message = rows.first()
        if message is None:
            return None, "locked" if OutboundMessage.objects.filter(pk=message_id).exists() else "missing"
        if message.status in OutboundMessage.FINAL_STATUSES:
            return None, message.status
        if (
            message.status == Status.SENDING
            and message.sending_started_at
            and message.sending_started_at > stale_before
        ):
            return None, "in_flight"
        if (
            message.status == Status.PENDING
            and message.next_attempt_at
            and message.next_attempt_at > now + timedelta(seconds=5)
        ):
            return None, "not_due"
        # Compare-and-set on status and attempts: on databases without row
        # locks (SQLite) a second worker that read the same row updates nothing.
        claimed = OutboundMessage.objects.filter(
            pk=message.pk, status=message.status, attempts=message.attempts
        ).update(status=Status.SENDING, attempts=F("attempts") + 1, sending_started_at=now, updated_at=now)
        if not claimed:
            return None, "locked"
    message.refresh_from_db()
    return message, ""


def _note_on_case(message: OutboundMessage, outcome: str, error: str = "") -> None:
    if message.case_id is None or message.kind != OutboundMessage.Kind.CITIZEN:
        return
    from cases.services import case_record_notification

    with translation.override(settings.LANGUAGE_CODE):
        what = str(TemplateKey(message.template_key).label)
        how = str(Channel(message.channel).label)
        if outcome == "sent":
            text = _("%(message)s sent by %(channel)s.") % {"message": what, "channel": how}
        elif outcome == "delivered":
            text = _("%(message)s delivered by %(channel)s.") % {"message": what, "channel": how}
        elif outcome == "retried":
            text = _("%(message)s queued again by %(channel)s.") % {"message": what, "channel": how}
        else:
            text = _("%(message)s could not be sent by %(channel)s: %(error)s") % {
                "message": what,
                "channel": how,
                "error": error,
            }
    case_record_notification(
        case_id=message.case_id,
        text=text,
        outcome=outcome,
        message_id=message.pk,
        channel=message.channel,
        template=message.template_key,
    )


@transaction.atomic
def _mark_failed(message: OutboundMessage, error: str, status: str = Status.FAILED) -> None:
    updated = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status, last_error=error[:2000], updated_at=timezone.now()
    )
    if updated:
        _note_on_case(message, "failed", error)


def message_deliver(*, message_id: int) -> Outcome:
    """Send one outbox message if it is still due. Safe to call any number
    of times, from any number of workers, for the same message."""
    now = timezone.now()
    message, reason = _claim(message_id, now)
    if message is None:
        return Outcome(reason)
    channel = channel_for(message.channel)
    try:
        provider_id = None
        if message.attempts > 1:
            # An earlier attempt ended without an answer we recorded: ask the
            # provider before sending again, where the provider can say.
            provider_id = channel.find_accepted(message)
        if provider_id is None:
            provider_id = channel.send(message)
    except PermanentError as exc:
        logger.warning("Outbox message %s failed for good: %s", message.pk, exc)
        _mark_failed(message, str(exc))
        return Outcome(Status.FAILED)
    except Exception as exc:
        if not isinstance(exc, SendError):
            logger.exception("Outbox message %s: unexpected error while sending", message.pk)
        error = str(exc) or exc.__class__.__name__
        if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            _mark_failed(
                message,
                _("Gave up after %(n)s attempts. Last error: %(error)s") % {"n": message.attempts, "error": error},
            )
            return Outcome(Status.FAILED)
        delay = _retry_delay(message.attempts)
        OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.PENDING,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            updated_at=timezone.now(),
        )
        return Outcome(Status.PENDING, retry_in=delay)
    _mark_sent(message, provider_id)
    return Outcome(Status.SENT)


def _mark_sent(message: OutboundMessage, provider_id: str, tries: int = 6) -> None:
    """Record that the provider has the message. Losing this write would let
    the sweep send it again, so a busy database is waited out."""
    for attempt in range(tries):
        try:
            with transaction.atomic():
                sent_at = timezone.now()
                OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
                    status=Status.SENT,
                    provider_message_id=provider_id[:100],
                    sent_at=sent_at,
                    last_error="",
                    updated_at=sent_at,
                )
                _note_on_case(message, "sent")
            return
        except OperationalError:
            if attempt == tries - 1:
                raise
            logger.warning("Outbox message %s sent, but recording it failed; trying again.", message.pk)
            time.sleep(0.5 * 2**attempt)


def outbox_sweep(*, now=None, limit: int = 1000) -> int:
    """Dispatch again what is still pending well after it was due, and what
    a dead worker left "sending". Each row dispatched gets a fresh due time,
    so a long queue is re-dispatched at most once per sweep interval."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS)
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)
    ids = list(
        OutboundMessage.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=overdue)
            | Q(status=Status.PENDING, next_attempt_at__isnull=True)
            | Q(status=Status.SENDING, sending_started_at__lte=stale)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    OutboundMessage.objects.filter(pk__in=ids, status=Status.PENDING).update(next_attempt_at=timezone.now())
    from notifications.tasks import message_send

    dispatched = 0
    for message_id in ids:
        try:
            message_send.apply_async((message_id,), retry=False)
        except Exception:
            logger.warning(
                "Outbox sweep: broker unreachable after %s of %s messages.", dispatched, len(ids), exc_info=True
            )
            break
        dispatched += 1
    return dispatched


# ------------------------------------------------------------ staff retry


@transaction.atomic
def message_retry(*, message: OutboundMessage, by, recipient: str = "") -> OutboundMessage:
    """Queue a failed message again, to a corrected address if one is given.
    A corrected citizen address is also written to the case's contact
    details (cases.services.case_update_contact)."""
    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if not message.is_failed:
        raise NotificationError(_("Only a message that could not be sent can be sent again."))
    recipient = recipient.strip()
    if recipient and recipient != message.recipient:
        if message.case_id and message.kind == OutboundMessage.Kind.CITIZEN:
            from cases.services import case_update_contact

            field = "email" if message.channel == Channel.EMAIL else "phone"
            case_update_contact(case=message.case, by=by, **{field: recipient})
        message.recipient = recipient
    now = timezone.now()
    message.status = Status.PENDING
    message.attempts = 0
    message.last_error = ""
    message.provider_message_id = ""
    message.next_attempt_at = now
    message.sending_started_at = None
    # A new Message-ID: this is a new message after a known failure.
    message.uuid = uuid.uuid4()
    message.save()
    _note_on_case(message, "retried")
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message


# ------------------------------------------------------- provider callback

_TWILIO_STATUSES = {"delivered": Status.DELIVERED, "undelivered": Status.UNDELIVERED, "failed": Status.FAILED}


@transaction.atomic
def message_status_update(*, provider_message_id: str, provider_status: str, error_code: str = "") -> bool:
    """Apply a delivery status reported by the provider. Only final statuses
    are recorded; anything else, or a message we do not know, is ignored."""
    new_status = _TWILIO_STATUSES.get(provider_status)
    if new_status is None or not provider_message_id:
        return False
    message = (
        OutboundMessage.objects.select_for_update()
        .filter(provider_message_id=provider_message_id, status__in=(Status.SENT, Status.SENDING))
        .first()
    )
    if message is None:
        return False
    message.status = new_status
    if new_status != Status.DELIVERED:
        message.last_error = f"Twilio: {provider_status}" + (f", error {error_code}" if error_code else "")
    message.save(update_fields=["status", "last_error", "updated_at"])
    if new_status == Status.DELIVERED:
        _note_on_case(message, "delivered")
    else:
        _note_on_case(message, "failed", message.last_error)
    return True


# ------------------------------------------------------------------ digest


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
    from cases import deadlines
    from cases.services import case_flag_deadlines
    from notifications.selectors import digest_recipients

    today = today or deadlines.local_date(timezone.now())
    if not deadlines.is_working_day(today):
        return 0
    case_flag_deadlines(today=today)
    language = settings.LANGUAGE_CODE
    queued = 0
    for user, cases in digest_recipients():
        key = f"digest:{today.isoformat()}:{user.pk}"
        if OutboundMessage.objects.filter(dedupe_key=key).exists():
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
                        url=case_url(case),
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
