"""Public records and secrecy: secrecy marks on cases and attachments, the
explicit access grants that let someone outside the handling unit read a
marked case, the append-only access log with its hash chain, and the
releases and refusals of copies. Changes go through records/services.py."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class SecrecyProvision(models.Model):
    """A provision of the Public Access to Information and Secrecy Act (OSL)
    that a case or attachment can be marked under."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("A short stable key, e.g. OSL 21:3."))
    reference = models.CharField(
        _("provision"), max_length=100, help_text=_("As written in decisions, e.g. 21 kap. 3 § OSL.")
    )
    label = models.CharField(_("plain description"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "reference"]
        verbose_name = _("secrecy provision")
        verbose_name_plural = _("secrecy provisions")

    def __str__(self):
        return f"{self.reference} – {self.label}"


class SecrecyMarkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class SecrecyMark(models.Model):
    """A sekretessmarkering on a whole case (attachment empty) or on one of
    its attachments. Removing it keeps the row, with who and when."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="secrecy_marks", verbose_name=_("case")
    )
    attachment = models.ForeignKey(
        "cases.Attachment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="secrecy_marks",
        verbose_name=_("attachment"),
    )
    provision = models.ForeignKey(
        SecrecyProvision, on_delete=models.PROTECT, related_name="+", verbose_name=_("provision")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    automatic = models.BooleanField(_("marked automatically"), default=False)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    objects = SecrecyMarkQuerySet.as_manager()

    class Meta:
        ordering = ["marked_at", "id"]
        verbose_name = _("secrecy mark")
        verbose_name_plural = _("secrecy marks")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(attachment__isnull=True, removed_at__isnull=True),
                name="one_active_case_mark",
            ),
            models.UniqueConstraint(
                fields=["attachment"],
                condition=models.Q(attachment__isnull=False, removed_at__isnull=True),
                name="one_active_attachment_mark",
            ),
        ]
        indexes = [models.Index(fields=["case", "removed_at"], name="mark_case_active")]

    def __str__(self):
        return f"{self.case_id} {self.provision.reference}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class AccessGrant(models.Model):
    """The explicit right of one member of staff to read a marked case,
    given by a unit head of the handling unit or an administrator."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("given to")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("given by")
    )
    granted_at = models.DateTimeField(_("given"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["granted_at", "id"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(revoked_at__isnull=True), name="one_active_grant"
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_active")]

    def __str__(self):
        return f"{self.case_id} → {self.user_id}"


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
        return json.dumps(
            {
                "seq": self.seq,
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
        SecrecyProvision, on_delete=models.PROTECT, related_name="+", verbose_name=_("provision")
    )
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-refused_at", "-id"]
        verbose_name = _("refusal to release")
        verbose_name_plural = _("refusals to release")

    def __str__(self):
        return f"{self.case_id} {self.refused_at:%Y-%m-%d}"
