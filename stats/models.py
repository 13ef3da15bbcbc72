"""Tables the statistics read from. Nothing here holds personal data: the
per-case row carries only the dimensions and verdicts that are counted.

- WorkingDay: the working-day calendar as a table, so that a number of
  working days between two dates is ordinal(end) - ordinal(start) in SQL.
- CaseStat: one narrow row per case, kept in step with the case inside the
  same transaction (stats.maintenance); every figure is an aggregate over it.
- MonthlyReport: the monthly e-mail report already sent, so it is never sent
  twice for the same month.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkingDay(models.Model):
    """One calendar day. ordinal counts the working days from the start of
    the table up to and including this day, so the working days in
    (start, end] are ordinal(end) - ordinal(start), as in
    cases.deadlines.WorkingCalendar.working_days_between."""

    date = models.DateField(pgettext_lazy("statistics", "date"), primary_key=True)
    is_working = models.BooleanField(_("working day"))
    ordinal = models.IntegerField(_("working-day number"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.ordinal}"


class CaseStat(models.Model):
    """The counted facts of one case. Written only by stats.maintenance."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="stat", verbose_name=_("case")
    )
    received_date = models.DateField(_("received (local date)"))
    unit = models.ForeignKey("cases.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    category = models.ForeignKey("cases.Category", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=20)
    # praise, complaint, suggestion, question or fault_report
    subtype = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    resolution = models.CharField(max_length=20, blank=True)
    is_closed = models.BooleanField()
    # The sender left an e-mail address, phone number or postal address, or
    # was signed in: only these cases can be answered.
    answerable = models.BooleanField()
    due_date = models.DateField()
    answered = models.BooleanField()
    answered_in_time = models.BooleanField(null=True)
    closed_in_time = models.BooleanField(null=True)
    # Working days from the receipt date to the local date of the first
    # answer and of the (latest) closing.
    answer_days = models.IntegerField(null=True)
    close_days = models.IntegerField(null=True)
    # The case's personal data was disposed of (retention); answerable is
    # kept as it was just before (stats.maintenance.case_stats_freeze).
    disposed = models.BooleanField(default=False)
    # The due date the receipt gave, whether the due date in force is later
    # (a pause period or a unit head's extension), and the in-time verdicts
    # against the original date, frozen on the case like the others.
    original_due_date = models.DateField(null=True)
    extended = models.BooleanField(default=False)
    answered_in_time_original = models.BooleanField(null=True)
    closed_in_time_original = models.BooleanField(null=True)
    # The satisfaction survey: asked, and the answer (score 1–5, got an
    # answer yes/partly/no) once given. Never the comment.
    survey_asked = models.BooleanField(default=False)
    survey_score = models.PositiveSmallIntegerField(null=True)
    survey_got_answer = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        verbose_name = _("case statistics row")
        verbose_name_plural = _("case statistics rows")
        indexes = [
            models.Index(fields=["received_date"], name="casestat_received"),
            models.Index(fields=["is_closed", "due_date"], name="casestat_open_due"),
            # Pages filtered by a unit or a subject area count live over these.
            models.Index(fields=["unit", "received_date"], name="casestat_unit_received"),
            models.Index(fields=["category", "received_date"], name="casestat_category_received"),
        ]

    def __str__(self):
        return f"{self.__class__.__name__} {self.pk}"


class MonthlyReport(models.Model):
    """A monthly report that has been sent (month = its first day)."""

    month = models.DateField(pgettext_lazy("statistics", "month"), unique=True)
    sent_at = models.DateTimeField(pgettext_lazy("statistics", "sent"))
    recipients = models.TextField(pgettext_lazy("statistics", "recipients"), blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class MonthSummary(models.Model):
    """Per receipt month, per breakdown value: the counts that do not depend
    on today's date. dimension is "all" (value "") or a breakdown's slug,
    value the unit's id, the subtype, the channel and so on. filter_by and
    filter_value say which cases the row counts: all of them (""), or those
    with one value of a filter the summary is kept by (stats.summary.
    FILTER_FIELDS). Rebuilt for a month whenever one of its cases changes
    (see DirtyMonth)."""

    month = models.DateField()
    filter_by = models.CharField(max_length=20, blank=True, default="")
    filter_value = models.CharField(max_length=40, blank=True, default="")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=40, blank=True)
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    answered_in_time = models.IntegerField(default=0)
    answered_answerable = models.IntegerField(default=0)
    closed_in_time = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    answered_in_time_original = models.IntegerField(default=0)
    closed_in_time_original = models.IntegerField(default=0)
    survey_asked = models.IntegerField(default=0)
    survey_responses = models.IntegerField(default=0)
    survey_satisfied = models.IntegerField(default=0)
    survey_score_sum = models.IntegerField(default=0)
    survey_got_answer = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["filter_by", "filter_value", "dimension", "month", "value"], name="monthsummary_key"
            )
        ]

    def __str__(self):
        return f"{self.__class__.__name__} {self.pk}"


class MonthDays(models.Model):
    """Per receipt month and breakdown value, how many cases took n working
    days to their first answer (measure "a") or to closing ("c"), as
    [[days, cases], ...]: the distribution the medians and 90th percentiles
    are read from. One row per month and value keeps ten years small.
    filter_by and filter_value as in MonthSummary."""

    month = models.DateField()
    filter_by = models.CharField(max_length=20, blank=True, default="")
    filter_value = models.CharField(max_length=40, blank=True, default="")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=40, blank=True)
    measure = models.CharField(max_length=1)
    counts = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["filter_by", "filter_value", "dimension", "month"], name="monthdays_key")]

    def __str__(self):
        return f"{self.__class__.__name__} {self.pk}"


class DirtyMonth(models.Model):
    """A receipt month whose summary must be rebuilt before it is read.
    version grows with every change, so a rebuild that raced with a change
    leaves the month dirty."""

    month = models.DateField(primary_key=True)
    version = models.IntegerField(default=1)

    def __str__(self):
        return f"{self.__class__.__name__} {self.pk}"
