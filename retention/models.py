"""Retention (gallring): holds that stop a case's disposal, the log of
disposal runs and the mark left on each disposed case.

A disposed case keeps its row in cases.Case as the anonymous statistical
record (type, category, unit, channel, dates, in-time verdicts); everything
that could identify the sender is removed by retention.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseHold(models.Model):
    """A reason not to dispose of a case yet, such as a pending request for
    the record or an appeal. Active until released."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="holds", verbose_name=_("case"))
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("hold on disposal")
        verbose_name_plural = _("holds on disposal")
        indexes = [
            models.Index(fields=["case"], name="hold_active_case", condition=models.Q(released_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.case} – {self.reason}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class DisposalRun(models.Model):
    """One rule applied in one run of the disposal job: which category and
    rule, cases closed before which moment, how many and which numbers."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly job")
        COMMAND = "command", _("Command")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    category = models.ForeignKey(
        "cases.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject area"),
    )
    category_name = models.CharField(_("subject area (name at the time)"), max_length=200, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("retention (years after closing)"), null=True, blank=True)
    closed_before = models.DateTimeField(_("closed before"), null=True, blank=True)
    count = models.PositiveIntegerField(_("cases disposed of"), default=0)
    case_numbers = models.JSONField(_("case numbers"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.category_name or '–'}: {self.count}"


class DisposedCase(models.Model):
    """The mark on a disposed case. `answerable` keeps what the statistics
    knew before the contact details went, so the figures do not change
    (stats.maintenance reads it)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="disposal", verbose_name=_("case")
    )
    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="cases", verbose_name=_("disposal run"))
    disposed_at = models.DateTimeField(_("disposed of"))
    answerable = models.BooleanField(_("could be answered"))

    class Meta:
        verbose_name = _("disposed case")
        verbose_name_plural = _("disposed cases")

    def __str__(self):
        return str(self.case)
