"""Every change to the outbox: queue, send, sweep, retry, status callbacks
and scrubbing. Tasks, views and the apps that send messages call these; the
delivery guarantee they implement is described in docs/notifications.md.

The outbox knows messages, recipients, channels and templates, never what a
message is about: the caller gives plain values and an opaque `subject_key`
(e.g. "case:42") and reads the outcomes back by that key."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import cache as core_cache
from notifications.channels import PermanentError, SendError, channel_for
from notifications.defaults import ensure_templates
from notifications.models import MessageTemplate, OutboundMessage
from notifications.rendering import Rendered, neutral, render_template

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status

# The task that sends one message (notifications/tasks.py), dispatched by
# name: the task module calls these services, so they do not import it.
MESSAGE_SEND_TASK = "notifications.tasks.message_send"


class NotificationError(Exception):
    """A rule of the outbox was broken, e.g. retrying a message that was sent."""


# -------------------------------------------------------------- templates


def _language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# The templates are kept in the cache (Redis in production), all of them
# under one key, for this long, and forgotten whenever one is saved or
# deleted (templates_forget, connected in NotificationsConfig.ready).
TEMPLATES_CACHE_KEY = "notifications:templates:v1"
TEMPLATES_CACHE_SECONDS = 60
_TEMPLATE_FIELDS = ("id", "key", "channel", "language", "subject", "body_text", "body_html", "updated_at")
TemplateRows = dict[tuple[str, str, str], tuple]


def _template_rows() -> TemplateRows:
    """Every template as plain values, in one query (a few dozen rows)."""
    return {
        (t.key, t.channel, t.language): tuple(getattr(t, name) for name in _TEMPLATE_FIELDS)
        for t in MessageTemplate.objects.all()
    }


def templates_forget() -> None:
    """Drop the templates from the cache: at once, and again after the
    change commits, so a read between the two cannot keep the old words.
    Should the cache be unreachable, the old words live at most
    TEMPLATES_CACHE_SECONDS."""
    core_cache.forget(TEMPLATES_CACHE_KEY)
    transaction.on_commit(lambda: core_cache.forget(TEMPLATES_CACHE_KEY))


def templates_get(wanted: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], MessageTemplate]:
    """The administrator's words for each (key, channel, language), from the
    cache or read in one query (core.cache: with the cache down, from the
    database); the shipped ones are created first if any is missing."""
    wanted = {(key, channel, _language(language)) for key, channel, language in wanted}
    if not wanted:
        return {}
    rows = core_cache.cached(TEMPLATES_CACHE_KEY, _template_rows, timeout=TEMPLATES_CACHE_SECONDS)
    if not wanted <= rows.keys():
        ensure_templates()
        templates_forget()
        rows = _template_rows()
        missing = wanted - rows.keys()
        if missing:
            raise MessageTemplate.DoesNotExist(f"No message template for {sorted(missing)}")
    return {triple: MessageTemplate(**dict(zip(_TEMPLATE_FIELDS, rows[triple], strict=True))) for triple in wanted}


def template_get(key: str, channel: str, language: str) -> MessageTemplate:
    """The administrator's words for a message; the shipped ones are created
    first if missing."""
    language = _language(language)
    return templates_get([(key, channel, language)])[(key, channel, language)]


def render(key: str, channel: str, language: str, context: dict) -> Rendered:
    return render_template(template_get(key, channel, language), context)


# ------------------------------------------------------------------ queue


# While set (dispatch_held), new rows are collected here instead of being
# handed to the broker.
_held: ContextVar[list[int] | None] = ContextVar("notifications_held", default=None)


@contextmanager
def dispatch_held() -> Iterator[list[int]]:
    """Write outbox rows as usual but hand none of them to the broker: the
    ids of the rows written inside the block collect in the list it yields.
    For loading history (the demo data), whose messages are recorded as
    sent at their own moments (messages_record_sent) and never delivered."""
    held: list[int] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def messages_record_sent(*, message_ids: Iterable[int], at: datetime) -> int:
    """Record held messages as written and sent at `at` without sending them
    (see dispatch_held). Only pending rows change. Returns how many."""
    return OutboundMessage.objects.filter(pk__in=list(message_ids), status=Status.PENDING).update(
        status=Status.SENT, created_at=at, sent_at=at, next_attempt_at=None, updated_at=at
    )


def _dispatch_after_commit(message_id: int) -> None:
    held = _held.get()
    if held is not None:
        held.append(message_id)
    else:
        transaction.on_commit(partial(_dispatch, message_id))


def _send_task(message_id: int) -> None:
    current_app.send_task(MESSAGE_SEND_TASK, args=(message_id,), retry=False)


def _dispatch(message_id: int) -> None:
    """Hand a message to the broker. Runs after commit; if the broker is
    unreachable the request still succeeds and the sweep sends it later."""
    try:
        _send_task(message_id)
    except Exception:  # the broker's errors vary by transport
        logger.warning(
            "Outbox message %s not dispatched (broker unreachable); the sweep will send it.", message_id, exc_info=True
        )


@dataclass(frozen=True)
class MessageRequest:
    """One message to queue: plain values only (see message_enqueue)."""

    channel: str
    recipient: str
    template_key: str
    language: str
    context: dict
    subject_key: str = ""
    kind: str = OutboundMessage.Kind.CITIZEN
    dedupe_key: str | None = None
    neutral_url: str = ""


Templates = dict[tuple[str, str, str], MessageTemplate]


def messages_render(requests: Sequence[MessageRequest], *, templates: Templates | None = None) -> list[Rendered]:
    """What each message says, exactly as it would be queued, without
    writing anything (the templates read in one query). A neutral request
    (`neutral_url`) renders the neutral text and ignores its context.
    `templates`: ones the caller read earlier with templates_get (a service
    that reads them before it takes a lock); any missing are read here."""
    wanted = {(r.template_key, r.channel, _language(r.language)) for r in requests if not r.neutral_url}
    given = templates or {}
    if not wanted <= given.keys():
        given = {**given, **templates_get(wanted - given.keys())}
    templates = given
    rendered = []
    for request in requests:
        if request.neutral_url:
            rendered.append(
                neutral(
                    request.channel,
                    request.language,
                    url=request.neutral_url,
                    to_staff=request.kind == OutboundMessage.Kind.STAFF,
                )
            )
        else:
            template = templates[(request.template_key, request.channel, _language(request.language))]
            rendered.append(render_template(template, request.context))
    return rendered


def message_render(request: MessageRequest) -> Rendered:
    """What one message would say (messages_render): for a preview, which
    queues nothing."""
    return messages_render([request])[0]


def messages_enqueue(
    requests: Sequence[MessageRequest], *, templates: Templates | None = None
) -> list[OutboundMessage]:
    """Render and write these outbox rows in the caller's transaction (the
    templates read in one query, or given as `templates`, see
    messages_render; the rows written in one insert), and send each after
    that transaction commits. With `neutral_url` a message is neutral
    (protected personal data, secret cases): it carries no content, only
    that there is news and that address to read it after signing in
    (rendering.neutral); its context is then not used."""
    if not requests:
        return []
    now = timezone.now()
    messages = []
    for request, rendered in zip(requests, messages_render(requests, templates=templates), strict=True):
        messages.append(
            OutboundMessage(
                kind=request.kind,
                channel=request.channel,
                recipient=request.recipient,
                template_key=request.template_key,
                language=request.language,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
                subject_key=request.subject_key,
                dedupe_key=request.dedupe_key,
                next_attempt_at=now,
            )
        )
    if len(messages) > 1 and connection.features.can_return_rows_from_bulk_insert:
        OutboundMessage.objects.bulk_create(messages)
    else:
        for message in messages:
            message.save(force_insert=True)
    for message in messages:
        _dispatch_after_commit(message.pk)
    return messages


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    template_key: str,
    language: str,
    context: dict,
    subject_key: str = "",
    kind: str = OutboundMessage.Kind.CITIZEN,
    dedupe_key: str | None = None,
    neutral_url: str = "",
) -> OutboundMessage:
    """Render and write one outbox row in the caller's transaction, and send
    it after that transaction commits (messages_enqueue)."""
    request = MessageRequest(
        channel=channel,
        recipient=recipient,
        template_key=template_key,
        language=language,
        context=context,
        subject_key=subject_key,
        kind=kind,
        dedupe_key=dedupe_key,
        neutral_url=neutral_url,
    )
    return messages_enqueue([request])[0]


# ------------------------------------------------------------------- send


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None


def _retry_delay(attempts: int) -> int:
    return min(
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    )


def _claim(message_id: int, now: datetime) -> tuple[OutboundMessage | None, str]:
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


@transaction.atomic
def _mark_failed(message: OutboundMessage, error: str, status: str = Status.FAILED) -> None:
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status, last_error=error[:2000], updated_at=timezone.now()
    )


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
                ngettext(
                    "Gave up after %(n)s attempt. Last error: %(error)s",
                    "Gave up after %(n)s attempts. Last error: %(error)s",
                    message.attempts,
                )
                % {"n": message.attempts, "error": error},
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
            return
        except OperationalError:
            if attempt == tries - 1:
                raise
            logger.warning("Outbox message %s sent, but recording it failed; trying again.", message.pk)
            time.sleep(0.5 * 2**attempt)


def outbox_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
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
    dispatched = 0
    for message_id in ids:
        try:
            _send_task(message_id)
        except Exception:
            logger.warning(
                "Outbox sweep: broker unreachable after %s of %s messages.", dispatched, len(ids), exc_info=True
            )
            break
        dispatched += 1
    return dispatched


# ------------------------------------------------------------ staff retry


@transaction.atomic
def message_retry(*, message: OutboundMessage, recipient: str = "") -> OutboundMessage:
    """Queue a failed message again, to a corrected address if one is given
    (already validated by the caller). Whoever owns the address elsewhere
    (a case's contact details) corrects it there; the outbox only sends."""
    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if not message.is_failed:
        raise NotificationError(_("Only a message that could not be sent can be sent again."))
    recipient = recipient.strip()
    if recipient:
        message.recipient = recipient
    now = timezone.now()
    message.status = Status.PENDING
    message.attempts = 0
    message.last_error = ""
    message.provider_message_id = ""
    message.next_attempt_at = now
    message.sending_started_at = None
    message.retried_at = now
    message.retries += 1
    # A new Message-ID: this is a new message after a known failure.
    message.uuid = uuid.uuid4()
    message.save()
    _dispatch_after_commit(message.pk)
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
    return True


# ---------------------------------------------------------------- disposal


@transaction.atomic
def messages_scrub(*, subject_keys: Iterable[str], text: str) -> int:
    """Remove the recipient and the words of every message about these
    subjects (disposal of what they are about); the facts (channel, message,
    status, times) stay. `text` replaces the text. Returns how many rows."""
    keys = [key for key in subject_keys if key]
    if not keys:
        return 0
    return OutboundMessage.objects.filter(subject_key__in=keys).update(
        recipient="", subject="", body_text=text, body_html="", last_error=""
    )
