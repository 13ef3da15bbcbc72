"""Public records: the append-only access log with its hash chain, and the
releases and refusals of copies. Changes go through records/services.py.
Secrecy marks, access grants and the provisions are part of the case domain
(cases.models)."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# Stands for the seq in AccessLogEntry.payload_around_seq.
_SEQ_MARK = "\u0000seq\u0000"


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """One access to a case's content, contact details, an attachment, or a
    copy. Append-only: each row stores the SHA-256 of the previous row's
    hash and its own content, so an edited or removed row breaks the chain
    (manage.py records_verify_log). Ids of users, cases and attachments are
    kept as plain values so the chain survives their removal."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("Opened the case (text and contact details)")
        ATTACHMENT = "attachment", _("Downloaded an attachment")
        COPY = "copy", _("Produced a copy")

    seq = models.PositiveBigIntegerField(_("number in the log"), unique=True)
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("case")
    )
    case_number = models.CharField(_("case number"), max_length=30)
    kind = models.CharField(_("access"), max_length=20, choices=Kind.choices)
    attachment = models.ForeignKey(
        "cases.Attachment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attachment"),
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["case", "seq"], name="accesslog_case_seq")]

    def __str__(self):
        return f"{self.seq} {self.case_number} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def payload(self) -> str:
        """The row's own content, canonical, as hashed."""
        return self._payload(self.seq)

    def payload_around_seq(self) -> tuple[str, str]:
        """The payload as the text before and after its seq, for the append
        that computes the hash in SQL, where the seq is known
        (records.services.access_log_append): before + str(seq) + after."""
        before, after = self._payload(_SEQ_MARK).split(json.dumps(_SEQ_MARK))
        return before, after

    def _payload(self, seq: int | str) -> str:
        return json.dumps(
            {
                "seq": seq,
                "at": self.at.isoformat(),
                "user": self.user_id,
                "case": self.case_id,
                "case_number": self.case_number,
                "kind": self.kind,
                "attachment": self.attachment_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(f"{self.prev_hash}|{self.payload()}".encode()).hexdigest()


class AccessLogHead(models.Model):
    """The single row that holds the chain's end. Appends lock it, so they
    take turns and the chain stays linear under parallel requests."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("access log head")

    def __str__(self):
        return f"{self.seq}: {self.hash[:12]}"


class Release(models.Model):
    """An utlämnande: a copy of a case given out, with what was redacted."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="releases", verbose_name=_("case"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("released by")
    )
    released_at = models.DateTimeField(_("released"))
    recipient = models.CharField(
        _("to whom"), max_length=200, blank=True, help_text=_("Empty: the requester stayed anonymous.")
    )
    redacted = models.JSONField(_("redacted parts"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of the copy"), max_length=64)

    class Meta:
        ordering = ["-released_at", "-id"]
        verbose_name = _("release of a copy")
        verbose_name_plural = _("releases of copies")

    def __str__(self):
        return f"{self.case_id} {self.released_at:%Y-%m-%d}"


class Refusal(models.Model):
    """A decision not to release a case or a part of it, with its reason and provision."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="refusals", verbose_name=_("case"))
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    refused_at = models.DateTimeField(_("decided"))
    requester = models.CharField(_("requested by"), max_length=200, blank=True)
    provision = models.ForeignKey(
        "cases.SecrecyProvision", on_delete=models.PROTECT, related_name="+", verbose_name=_("provision")
    )
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-refused_at", "-id"]
        verbose_name = _("refusal to release")
        verbose_name_plural = _("refusals to release")

    def __str__(self):
        return f"{self.case_id} {self.refused_at:%Y-%m-%d}"
