"""The outbox and the message templates.

An OutboundMessage is written in the same transaction as the change that
causes it and sent after commit by a Celery task (notifications/tasks.py);
its status is the single source of truth about whether it went out, so a
second dispatch of the same row is harmless. See docs/notifications.md for
the exact delivery guarantee."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel, TemplateKey
from notifications.rendering import validate_template

__all__ = ["Channel", "MessageTemplate", "OutboundMessage", "TemplateKey"]


class MessageTemplate(models.Model):
    """The words of one message in one language and channel, editable by an
    administrator. Subject and bodies use Django's template language; the
    variables available are listed in docs/notifications.md. Defaults ship in
    notifications/defaults.py and are created when missing."""

    key = models.CharField(_("message"), max_length=40, choices=TemplateKey.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("E-mail only."))
    body_text = models.TextField(_("text"))
    body_html = models.TextField(
        _("HTML"), blank=True, help_text=_("E-mail only. Empty means the text is sent as simple HTML too.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["key", "channel", "language"], name="unique_message_template"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.get_channel_display()}, {self.language})"

    def clean(self) -> None:
        validate_template(self)


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("To the sender")
        STAFF = "staff", _("To staff")

    # Statuses a send attempt never leaves: the provider has the message, or
    # it has failed for good (until staff retry it).
    FINAL_STATUSES = (Status.SENT, Status.FAILED, Status.DELIVERED, Status.UNDELIVERED)
    FAILED_STATUSES = (Status.FAILED, Status.UNDELIVERED)

    # Stable across attempts: the e-mail Message-ID is derived from it, so a
    # resent e-mail is recognisably the same message.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    template_key = models.CharField(_("message"), max_length=40, choices=TemplateKey.choices)
    language = models.CharField(_("language"), max_length=5, default="sv")
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # What the message is about, opaque to the outbox ("case:42"): the
    # sender of the message reads its outcomes back by this key.
    subject_key = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    # Makes a message that must go out once per occasion (a day's digest)
    # idempotent: a second run finds the row and writes nothing.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider's id"), max_length=100, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Staff sent a failed message again (message_retry): when, and how often.
    retried_at = models.DateTimeField(_("sent again"), null=True, blank=True)
    retries = models.PositiveSmallIntegerField(_("times sent again"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next"),
            models.Index(fields=["status", "sending_started_at"], name="outbox_status_started"),
            models.Index(fields=["status", "-updated_at"], name="outbox_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_key_display()} → {self.recipient} ({self.get_status_display()})"

    @property
    def message_id_header(self) -> str:
        """The e-mail Message-ID, the same on every attempt."""
        domain = settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN
        return f"<kontakt.{self.uuid.hex}@{domain}>"

    @property
    def is_failed(self) -> bool:
        return self.status in self.FAILED_STATUSES
