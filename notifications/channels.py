"""The only module that talks to SMTP and Twilio.

Each channel has send(message) -> provider id, raising TransientError (try
again later) or PermanentError (the address is wrong; trying again cannot
help), and find_accepted(message) -> provider id or None, which asks the
provider whether an earlier attempt that lost its answer (a worker killed
mid-send, a timeout reading the reply) was accepted after all. SMTP has no
such question, so for e-mail it answers None and the message is sent again
under the same Message-ID (docs/notifications.md, "Delivery guarantee").

A batch of messages goes through one session (`with channel.session() as
session: session.send(m)` for each): for e-mail one SMTP connection for the
whole batch, for SMS one Twilio client."""

from __future__ import annotations

import logging
import smtplib
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.choices import Channel

if TYPE_CHECKING:
    from notifications.models import OutboundMessage

logger = logging.getLogger(__name__)


class SendError(Exception):
    permanent = False


class TransientError(SendError):
    """The provider could not take the message now; try again later."""


class PermanentError(SendError):
    """The provider refused the message for good (invalid address, number
    that cannot receive SMS). Only a corrected address helps."""

    permanent = True


# ----------------------------------------------------------------- e-mail


class _Email(EmailMultiAlternatives):
    """Django's e-mail with the MIME boundary given rather than generated:
    the standard library's generator otherwise compiles a regular
    expression per message to check a random boundary against the text,
    a tenth of the cost of building it."""

    boundary = ""

    def message(self, *args: Any, **kwargs: Any) -> Any:
        built = super().message(*args, **kwargs)
        if self.boundary and built.is_multipart():
            built.set_boundary(self.boundary)
        return built


def _email(message: OutboundMessage, connection: Any) -> EmailMultiAlternatives:
    email = _Email(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={
            "Message-ID": message.message_id_header,
            # RFC 3834: keeps out-of-office replies from answering us.
            "Auto-Submitted": "auto-generated",
        },
        connection=connection,
    )
    # Unique per message and never in its text (which is rendered without it).
    email.boundary = f"=_kontakt_{message.uuid.hex}"
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


class EmailSession:
    """One connection to the mail server for a batch of messages (Django's
    mail backend: SMTP in production, the console in the embedded default).

    A refusal that concerns one message (the recipient or the message
    refused) leaves the connection usable: smtplib resets the transaction,
    and the next message goes over the same connection. When the connection
    itself fails (dropped, timed out, the server closing with 421), the
    message in flight fails for now and the next message opens a new
    connection; if that cannot be opened either, every message still left
    in the batch fails for now with the same error without trying, and is
    retried with the usual backoff."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.broken: TransientError | None = None

    def send(self, message: OutboundMessage) -> str:
        if self.broken is not None:
            raise TransientError(f"{self.broken} (not tried on this connection)")
        try:
            self.backend.open()
        except (smtplib.SMTPException, OSError) as exc:
            self.broken = TransientError(f"SMTP: {exc.__class__.__name__}: {exc}")
            raise self.broken from exc
        try:
            self.backend.send_messages([_email(message, self.backend)])
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop_if_closed()
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(f"{code} {_text(text)}" for code, text in exc.recipients.values())
            if codes and all(code >= 500 for code in codes):
                raise PermanentError(f"SMTP refused the recipient: {detail}") from exc
            raise TransientError(f"SMTP refused the recipient for now: {detail}") from exc
        except smtplib.SMTPDataError as exc:
            self._drop_if_closed()
            detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if exc.smtp_code >= 500:
                raise PermanentError(f"SMTP refused the message: {detail}") from exc
            raise TransientError(f"SMTP refused the message for now: {detail}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Connection refused or dropped, timeouts, 4xx on MAIL FROM,
            # authentication: the server or our configuration, not the address.
            self._drop()
            raise TransientError(f"SMTP: {exc.__class__.__name__}: {exc}") from exc
        return message.message_id_header

    def find_accepted(self, message: OutboundMessage) -> str | None:
        # SMTP cannot be asked: the message is sent again under its Message-ID.
        return None

    def _drop_if_closed(self) -> None:
        # smtplib closes the connection itself when the server answers 421.
        smtp = getattr(self.backend, "connection", None)
        if smtp is not None and getattr(smtp, "sock", True) is None:
            self._drop()

    def _drop(self) -> None:
        try:
            self.backend.close()
        except Exception:  # already gone; smtplib's and ssl's errors vary
            logger.debug("Closing a failed SMTP connection failed too", exc_info=True)
            if hasattr(self.backend, "connection"):
                self.backend.connection = None

    def close(self) -> None:
        self._drop()


class EmailChannel:
    """E-mail, plain text with an HTML alternative, through Django's mail
    framework (EMAIL_URL)."""

    @contextmanager
    def session(self) -> Iterator[EmailSession]:
        session = EmailSession()
        try:
            yield session
        finally:
            session.close()

    def send(self, message: OutboundMessage) -> str:
        with self.session() as session:
            return session.send(message)

    def find_accepted(self, message: OutboundMessage) -> str | None:
        return None


# -------------------------------------------------------------------- SMS


class _OneByOne:
    """A channel whose provider takes one message per call: its session is
    the channel itself (one client for the batch)."""

    @contextmanager
    def session(self) -> Iterator[Any]:
        yield self


class ConsoleSmsChannel(_OneByOne):
    """Prints the SMS, for the embedded default and development."""

    _lock = threading.Lock()

    def send(self, message: OutboundMessage) -> str:
        provider_id = f"console-{uuid.uuid4().hex}"
        with self._lock:
            sys.stdout.write(
                f"{'-' * 79}\nSMS to {message.recipient} ({provider_id}):\n{message.body_text}\n{'-' * 79}\n"
            )
            sys.stdout.flush()
        return provider_id

    def find_accepted(self, message: OutboundMessage) -> str | None:
        return None


# Twilio error codes that mean the number itself is the problem.
# https://www.twilio.com/docs/api/errors
TWILIO_PERMANENT_CODES = {
    21211,  # invalid 'To' phone number
    21214,  # 'To' number cannot be reached
    21217,  # phone number does not appear to be valid
    21408,  # permission to send to this region not enabled
    21610,  # the recipient has replied STOP
    21612,  # cannot route to this number
    21614,  # 'To' number is not a valid mobile number
}


def _twilio_http_client() -> Any:
    """The twilio library's own HTTP client, with the API host replaced when
    TWILIO_API_BASE_URL is set (tests point it at a loopback server). The
    library still builds every request and parses every response."""
    from twilio.http.http_client import TwilioHttpClient

    base = settings.TWILIO_API_BASE_URL.rstrip("/")

    class _Client(TwilioHttpClient):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if base and url.startswith("https://"):
                rest = url.split("://", 1)[1]
                url = base + rest[rest.index("/") :] if "/" in rest else base
            return super().request(method, url, *args, **kwargs)

    return _Client(timeout=settings.TWILIO_TIMEOUT)


class TwilioSmsChannel(_OneByOne):
    def __init__(self) -> None:
        from twilio.rest import Client

        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=_twilio_http_client())

    def send(self, message: OutboundMessage) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        kwargs = {"to": message.recipient, "body": message.body_text}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            kwargs["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            kwargs["from_"] = settings.TWILIO_FROM_NUMBER
        if settings.TWILIO_STATUS_CALLBACK:
            from django.urls import reverse

            kwargs["status_callback"] = settings.SITE_URL + reverse("notifications:twilio_status")
        try:
            created = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            detail = f"Twilio {exc.status} error {exc.code}: {exc.msg}"
            if exc.code in TWILIO_PERMANENT_CODES:
                raise PermanentError(detail) from exc
            raise TransientError(detail) from exc
        except (TwilioException, OSError, Exception) as exc:  # requests' errors, unreadable replies
            raise TransientError(f"Twilio: {exc.__class__.__name__}: {exc}") from exc
        return created.sid

    def find_accepted(self, message: OutboundMessage) -> str | None:
        """The sid of a message to the same number with the same body that
        Twilio created since this outbox row was written, if any. Bodies name
        the case number, so a match is this message."""
        from twilio.base.exceptions import TwilioException

        since = message.created_at - timedelta(minutes=1)
        try:
            recent = self.client.messages.list(to=message.recipient, date_sent_after=None, limit=50)
        except (TwilioException, OSError, Exception) as exc:
            raise TransientError(f"Twilio (checking an earlier attempt): {exc.__class__.__name__}: {exc}") from exc
        for sent in recent:
            created = sent.date_created
            if sent.body == message.body_text and (created is None or created >= since):
                return sent.sid
        return None


def sms_channel() -> TwilioSmsChannel | ConsoleSmsChannel:
    backend = settings.SMS_BACKEND
    if backend == "twilio":
        return TwilioSmsChannel()
    if backend == "console":
        return ConsoleSmsChannel()
    raise ValueError(f"Unknown SMS_BACKEND {backend!r}: use 'console' or 'twilio'.")


def channel_for(name: str) -> EmailChannel | TwilioSmsChannel | ConsoleSmsChannel:
    if name == Channel.EMAIL:
        return EmailChannel()
    if name == Channel.SMS:
        return sms_channel()
    raise ValueError(f"Unknown channel {name!r}")
