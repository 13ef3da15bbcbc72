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
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
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

# The tasks that send messages (notifications/tasks.py), dispatched by name:
# the task module calls these services, so they do not import it.
MESSAGES_SEND_TASK = "notifications.tasks.messages_send"


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


class _AfterCommit:
    """The ids of the messages written in one transaction, handed to the
    broker together after it commits: one task per batch of messages
    (NOTIFICATIONS_BATCH_SIZE), whatever the number of enqueue calls."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []

    def __call__(self) -> None:
        _dispatch(self.message_ids)


def _pending_after_commit() -> _AfterCommit:
    """This transaction's collector, registered with on_commit the first
    time. Django drops a callback registered inside a savepoint that rolls
    back; the next enqueue then registers a new one. An id added to a
    collector of an outer level by a savepoint that rolls back is dispatched
    all the same and does nothing (the task finds no such row)."""
    connection_ = transaction.get_connection()
    for _savepoints, callback, _robust in reversed(getattr(connection_, "run_on_commit", [])):
        if isinstance(callback, _AfterCommit):
            return callback
    collector = _AfterCommit()
    transaction.on_commit(collector)
    return collector


def _dispatch_after_commit(message_ids: list[int]) -> None:
    held = _held.get()
    if held is not None:
        held.extend(message_ids)
    elif transaction.get_connection().in_atomic_block:
        _pending_after_commit().message_ids.extend(message_ids)
    else:
        _dispatch(message_ids)


def _send_task(message_ids: list[int], countdown: int | None = None) -> None:
    current_app.send_task(MESSAGES_SEND_TASK, args=(message_ids,), countdown=countdown, retry=False)


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    size = settings.NOTIFICATIONS_BATCH_SIZE
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _dispatch(message_ids: Sequence[int], countdown: int | None = None) -> int:
    """Hand messages to the broker, a batch per task. Runs after commit; if
    the broker is unreachable the request still succeeds and the sweep sends
    them later. Returns how many were handed over."""
    dispatched = 0
    for chunk in _chunks(message_ids):
        try:
            _send_task(chunk, countdown)
        except Exception:  # the broker's errors vary by transport
            logger.warning(
                "Outbox: %s of %s messages not dispatched (broker unreachable); the sweep will send them.",
                len(message_ids) - dispatched,
                len(message_ids),
                exc_info=True,
            )
            break
        dispatched += len(chunk)
    return dispatched


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
    _dispatch_after_commit([message.pk for message in messages])
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


# A pending row this close to its due time may be sent now.
DUE_MARGIN = timedelta(seconds=5)


def _retry_delay(attempts: int) -> int:
    return min(
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    )


def _due(now: datetime) -> Q:
    """Rows a claim may take: pending and due (or without a due time), or
    left "sending" longer than NOTIFICATIONS_SENDING_TIMEOUT_SECONDS by a
    worker that died."""
    stale_before = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)
    pending = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + DUE_MARGIN))
    abandoned = Q(status=Status.SENDING) & (
        Q(sending_started_at__isnull=True) | Q(sending_started_at__lte=stale_before)
    )
    return pending | abandoned


def _locked(rows: QuerySet[OutboundMessage]) -> QuerySet[OutboundMessage]:
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True)
    return rows


def _claim_batch(message_ids: Sequence[int], now: datetime, *, fill: bool) -> list[OutboundMessage]:
    """Lock the given rows that may be sent now and, with fill, the longest
    waiting due ones up to NOTIFICATIONS_BATCH_SIZE; mark them "sending"
    with one more attempt; commit before any provider is called, so every
    other worker sees the claim. Rows another worker holds locked are
    skipped (SKIP LOCKED on PostgreSQL), and a claimed row is no longer due,
    so no row is ever in two batches."""
    due = _due(now)
    with transaction.atomic():
        batch: list[OutboundMessage] = []
        if message_ids:
            batch = list(_locked(OutboundMessage.objects.filter(due, pk__in=list(message_ids))).order_by("pk"))
        room = settings.NOTIFICATIONS_BATCH_SIZE - len(batch)
        if fill and room > 0:
            # Through the (status, next_attempt_at) index: the oldest due first.
            more = OutboundMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now + DUE_MARGIN)
            if batch:
                more = more.exclude(pk__in=[message.pk for message in batch])
            batch += list(_locked(more).order_by("next_attempt_at")[:room])
        if not batch:
            return []
        ids = [message.pk for message in batch]
        # The due rule again in the update: on databases without row locks
        # (SQLite) a row another worker claimed meanwhile is left alone.
        claimed = OutboundMessage.objects.filter(due, pk__in=ids).update(
            status=Status.SENDING, attempts=F("attempts") + 1, sending_started_at=now, updated_at=now
        )
        if claimed != len(batch):
            mine = set(
                OutboundMessage.objects.filter(pk__in=ids, status=Status.SENDING, sending_started_at=now).values_list(
                    "pk", flat=True
                )
            )
            batch = [message for message in batch if message.pk in mine]
    for message in batch:
        message.status = Status.SENDING
        message.attempts += 1
        message.sending_started_at = now
    return batch


def _set_sent(message: OutboundMessage, provider_id: str) -> Outcome:
    message.status = Status.SENT
    message.provider_message_id = provider_id[:100]
    message.sent_at = timezone.now()
    message.last_error = ""
    return Outcome(Status.SENT)


def _set_failed(message: OutboundMessage, error: str) -> Outcome:
    message.status = Status.FAILED
    message.last_error = error[:2000]
    return Outcome(Status.FAILED)


def _set_transient(message: OutboundMessage, error: str) -> Outcome:
    if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        return _set_failed(
            message,
            ngettext(
                "Gave up after %(n)s attempt. Last error: %(error)s",
                "Gave up after %(n)s attempts. Last error: %(error)s",
                message.attempts,
            )
            % {"n": message.attempts, "error": error},
        )
    delay = _retry_delay(message.attempts)
    message.status = Status.PENDING
    message.last_error = error[:2000]
    message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    return Outcome(Status.PENDING, retry_in=delay)


def _set_released(message: OutboundMessage) -> Outcome:
    """Claimed but never tried (the batch ran out of time): pending again at
    once, without the attempt."""
    message.status = Status.PENDING
    message.attempts -= 1
    message.next_attempt_at = timezone.now()
    return Outcome(Status.PENDING, retry_in=0)


def _send_one(session: Any, message: OutboundMessage) -> Outcome:
    try:
        provider_id = None
        if message.attempts > 1:
            # An earlier attempt ended without an answer we recorded: ask the
            # provider before sending again, where the provider can say.
            provider_id = session.find_accepted(message)
        if provider_id is None:
            provider_id = session.send(message)
    except PermanentError as exc:
        logger.warning("Outbox message %s failed for good: %s", message.pk, exc)
        return _set_failed(message, str(exc))
    except Exception as exc:
        if not isinstance(exc, SendError):
            logger.exception("Outbox message %s: unexpected error while sending", message.pk)
        return _set_transient(message, str(exc) or exc.__class__.__name__)
    return _set_sent(message, provider_id)


_RESULT_FIELDS = ["status", "attempts", "provider_message_id", "sent_at", "last_error", "next_attempt_at", "updated_at"]


def _write_results(batch: list[OutboundMessage], claimed_at: datetime) -> None:
    """One UPDATE … FROM (VALUES …) on PostgreSQL (Django's bulk_update
    builds a CASE per field and row, which costs more Python than sending
    the e-mails); bulk_update elsewhere."""
    still_ours = OutboundMessage.objects.filter(status=Status.SENDING, sending_started_at=claimed_at)
    if connection.vendor != "postgresql":
        still_ours.bulk_update(batch, _RESULT_FIELDS)
        return
    # Plain fields: each column is named as its field.
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    casts = dict.fromkeys(("sent_at", "next_attempt_at", "updated_at"), "timestamptz") | {"attempts": "smallint"}
    assignments = ", ".join(
        f"{name} = v.{name}" + (f"::{casts[name]}" if name in casts else "") for name in _RESULT_FIELDS
    )
    values = ", ".join(["(%s::bigint, " + ", ".join(["%s"] * len(_RESULT_FIELDS)) + ")"] * len(batch))
    params: list[Any] = []
    for message in batch:
        params.append(message.pk)
        params += [getattr(message, name) for name in _RESULT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v(id, {', '.join(_RESULT_FIELDS)}) "
            "WHERE t.id = v.id AND t.status = %s AND t.sending_started_at = %s",
            [*params, Status.SENDING, claimed_at],
        )


def _record(batch: list[OutboundMessage], claimed_at: datetime, tries: int = 6) -> None:
    """Write every result of a batch in one statement, only to rows that
    still carry this claim. Losing this write would let the sweep send the
    batch again, so a busy database is waited out."""
    now = timezone.now()
    for message in batch:
        message.updated_at = now
    for attempt in range(tries):
        try:
            with transaction.atomic():
                _write_results(batch, claimed_at)
            return
        except OperationalError:
            if attempt == tries - 1:
                raise
            logger.warning("Outbox: %s messages sent, but recording them failed; trying again.", len(batch))
            time.sleep(0.5 * 2**attempt)


def messages_deliver(*, message_ids: Sequence[int] = (), fill: bool = True) -> dict[int, Outcome]:
    """Send one batch: the given messages that are still due and, with
    fill, other due messages up to NOTIFICATIONS_BATCH_SIZE, over one
    connection per channel (one SMTP session for the e-mails), then record
    every result in one statement. Safe to call any number of times, from
    any number of workers, for the same messages. Returns {id: outcome} for
    the messages this call claimed."""
    claimed_at = timezone.now()
    batch = _claim_batch(message_ids, claimed_at, fill=fill)
    if not batch:
        return {}
    # Stop starting new messages well before the sweep would take the rows
    # still "sending" for a dead worker's (the last call may take EMAIL_TIMEOUT).
    deadline = time.monotonic() + settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS / 2
    outcomes: dict[int, Outcome] = {}
    by_channel: dict[str, list[OutboundMessage]] = {}
    for message in batch:
        by_channel.setdefault(message.channel, []).append(message)
    for name, messages in by_channel.items():
        try:
            with channel_for(name).session() as session:
                for message in messages:
                    if time.monotonic() > deadline:
                        outcomes[message.pk] = _set_released(message)
                    else:
                        outcomes[message.pk] = _send_one(session, message)
        except Exception as exc:  # the channel could not even be set up
            logger.exception("Outbox: the %s channel failed", name)
            for message in messages:
                if message.pk not in outcomes:
                    outcomes[message.pk] = _set_transient(message, str(exc) or exc.__class__.__name__)
    _record(batch, claimed_at)
    return outcomes


def messages_send(*, message_ids: Sequence[int] = ()) -> int:
    """The worker's task: deliver a batch (messages_deliver) and hand what
    failed for now back to the broker with its backoff. Returns how many
    were sent."""
    outcomes = messages_deliver(message_ids=message_ids)
    later: dict[int, list[int]] = {}
    for message_id, outcome in outcomes.items():
        if outcome.retry_in is not None:
            later.setdefault(outcome.retry_in, []).append(message_id)
    for delay, ids in sorted(later.items()):
        # Backoff is capped at NOTIFICATIONS_RETRY_MAX_SECONDS (minutes, never
        # days), well inside Redis's visibility timeout. Not handed over: the
        # sweep sends them.
        _dispatch(ids, countdown=delay or None)
    return sum(outcome.status == Status.SENT for outcome in outcomes.values())


def _not_claimed(message_id: int, now: datetime) -> str:
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "missing"
    if message.status in OutboundMessage.FINAL_STATUSES:
        return message.status
    if message.status == Status.SENDING:
        return "in_flight"
    if message.next_attempt_at and message.next_attempt_at > now + DUE_MARGIN:
        return "not_due"
    return "locked"


def message_deliver(*, message_id: int) -> Outcome:
    """Send this one message if it is still due (messages_deliver without
    taking others along), and say what became of it: its new status, or why
    it was not sent now ("sent", "failed", "in_flight", "not_due", "locked",
    "missing")."""
    outcome = messages_deliver(message_ids=[message_id], fill=False).get(message_id)
    return outcome or Outcome(_not_claimed(message_id, timezone.now()))


@transaction.atomic
def _mark_failed(message: OutboundMessage, error: str, status: str = Status.FAILED) -> None:
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status, last_error=error[:2000], updated_at=timezone.now()
    )


def outbox_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Dispatch again what is still pending well after it was due, and what
    a dead worker left "sending", a batch per task. Each pending row
    dispatched gets a fresh due time, so a long queue is re-dispatched at
    most once per sweep interval. Returns how many were handed to the broker."""
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
    return _dispatch(ids)


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
    _dispatch_after_commit([message.pk])
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
