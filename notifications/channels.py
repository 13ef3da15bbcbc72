"""The only module that talks to SMTP and Twilio.

Each channel has send(message) -> provider id, raising TransientError (try
again later) or PermanentError (the address is wrong; trying again cannot
help), and find_accepted(message) -> provider id or None, which asks the
provider whether an earlier attempt that lost its answer (a worker killed
mid-send, a timeout reading the reply) was accepted after all. SMTP has no
such question, so for e-mail it answers None and the message is sent again
under the same Message-ID (docs/notifications.md, "Delivery guarantee")."""

from __future__ import annotations

import logging
import smtplib
import sys
import threading
import uuid
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


class EmailChannel:
    """Django's mail framework: SMTP in production (EMAIL_URL), the console
    in the embedded default. Plain text with an HTML alternative."""

    def send(self, message: OutboundMessage) -> str:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={
                "Message-ID": message.message_id_header,
                # RFC 3834: keeps out-of-office replies from answering us.
                "Auto-Submitted": "auto-generated",
            },
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            connection = get_connection(fail_silently=False)
            connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(
                f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                for code, text in exc.recipients.values()
            )
            if codes and all(code >= 500 for code in codes):
                raise PermanentError(f"SMTP refused the recipient: {detail}") from exc
            raise TransientError(f"SMTP refused the recipient for now: {detail}") from exc
        except smtplib.SMTPDataError as exc:
            detail = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
            if exc.smtp_code >= 500:
                raise PermanentError(f"SMTP refused the message: {detail}") from exc
            raise TransientError(f"SMTP refused the message for now: {detail}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Connection refused or dropped, timeouts, 4xx on MAIL FROM,
            # authentication: the server or our configuration, not the address.
            raise TransientError(f"SMTP: {exc.__class__.__name__}: {exc}") from exc
        return message.message_id_header

    def find_accepted(self, message: OutboundMessage) -> str | None:
        return None


# -------------------------------------------------------------------- SMS


class ConsoleSmsChannel:
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


class TwilioSmsChannel:
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
