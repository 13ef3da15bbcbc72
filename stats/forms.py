"""The period and filter form of the statistics pages (a GET form), on the
kernel's accessible form base (core/forms.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case, CaseType, Category, Department, Unit
from core.forms import AccessibleForm, LabelledModelChoiceField
from stats.periods import Period
from stats.selectors import Filters

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")

# The Swedish parameter names the pages used before; old links still work.
LEGACY_PARAMS = {
    "manad": "month",
    "kvartal": "quarter",
    "ar": "year",
    "fran": "received_from",
    "till": "received_to",
    "forvaltning": "department",
    "enhet": "unit",
    "amne": "category",
    "undertyp": "subtype",
    "kanal": "channel",
}


def with_current_names(data: QueryDict) -> QueryDict:
    """The query with the old Swedish parameter names renamed."""
    if not any(old in data for old in LEGACY_PARAMS):
        return data
    data = data.copy()
    for old, new in LEGACY_PARAMS.items():
        if old in data:
            values = data.pop(old)
            if new not in data:
                data.setlist(new, values)
    return data


class StatisticsForm(AccessibleForm):
    # Which fields a period needs is said in the period's hint; the filters
    # are all optional, which their fieldset's legend says.
    mark_optional = False

    period = forms.ChoiceField(
        label=pgettext_lazy("statistics", "Period"),
        choices=[
            ("month", pgettext_lazy("statistics", "Month")),
            ("quarter", pgettext_lazy("statistics", "Quarter")),
            ("year", pgettext_lazy("statistics", "Year")),
            ("range", _("From–to")),
        ],
        widget=forms.RadioSelect,
    )
    month = forms.CharField(
        label=pgettext_lazy("statistics", "Month"),
        required=False,
        help_text=_("For example 2026-03"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": ""}),
    )
    quarter = forms.TypedChoiceField(
        label=pgettext_lazy("statistics", "Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", pgettext_lazy("statistics", "Choose a quarter")),
            ("1", _("Quarter 1 (January–March)")),
            ("2", _("Quarter 2 (April–June)")),
            ("3", _("Quarter 3 (July–September)")),
            ("4", _("Quarter 4 (October–December)")),
        ],
    )
    year = forms.IntegerField(
        label=pgettext_lazy("statistics", "Year"),
        required=False,
        help_text=_("For a quarter or a year, for example 2026"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the year with four digits, for example 2026.")},
    )
    received_from = forms.DateField(
        label=_("From (date)"),
        required=False,
        help_text=_("For example 2026-01-01"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-01-01.")},
    )
    received_to = forms.DateField(
        label=_("To (date)"),
        required=False,
        help_text=_("For example 2026-03-31"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-03-31.")},
    )
    department = forms.ModelChoiceField(
        label=pgettext_lazy("statistics", "Department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("All departments"),
        error_messages={"invalid_choice": _("Choose a department from the list.")},
    )
    unit = LabelledModelChoiceField(
        label=pgettext_lazy("statistics", "Unit"),
        label_of=lambda u: f"{u.name} ({u.department.name})",
        required=False,
        queryset=Unit.objects.select_related("department"),
        empty_label=_("All units"),
        error_messages={"invalid_choice": _("Choose a unit from the list.")},
    )
    category = LabelledModelChoiceField(
        label=pgettext_lazy("statistics", "Subject area"),
        label_of=lambda c: c.localized_name(),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("All subject areas"),
        error_messages={"invalid_choice": _("Choose a subject area from the list.")},
    )
    subtype = forms.ChoiceField(
        label=pgettext_lazy("statistics", "Case type"),
        required=False,
        choices=[("", _("All case types")), *CaseType.choices],
        error_messages={"invalid_choice": _("Choose a case type from the list.")},
    )
    channel = forms.ChoiceField(
        label=pgettext_lazy("statistics", "Channel of receipt"),
        required=False,
        choices=[("", _("All channels")), *Case.Channel.choices],
        error_messages={"invalid_choice": _("Choose a channel from the list.")},
    )

    PERIOD_FIELDS = ("month", "quarter", "year", "received_from", "received_to")
    FILTER_FIELDS = ("department", "unit", "category", "subtype", "channel")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    @classmethod
    def initial_for(cls, period: Period) -> dict:
        data = {"period": period.kind}
        if period.kind == "month":
            data["month"] = f"{period.start:%Y-%m}"
        return data

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("period")
        if kind == "month":
            match = MONTH_RE.match(data.get("month") or "")
            if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 < int(match.group(1)) < 2200:
                self.add_error("month", _("Enter the month as year-month, for example 2026-03."))
            else:
                data["the_period"] = Period.month(int(match.group(1)), int(match.group(2)))
        elif kind in ("quarter", "year"):
            year = data.get("year")
            if "year" not in self.errors and (year is None or not 1900 < year < 2200):
                self.add_error("year", _("Enter the year with four digits, for example 2026."))
            if kind == "quarter" and not data.get("quarter"):
                self.add_error("quarter", pgettext_lazy("statistics", "Choose a quarter."))
            if not self.errors:
                year = cast(int, year)  # no errors: a valid year
                data["the_period"] = Period.quarter(year, data["quarter"]) if kind == "quarter" else Period.year(year)
        elif kind == "range":
            start, end = data.get("received_from"), data.get("received_to")
            if start is None and "received_from" not in self.errors:
                self.add_error("received_from", _("Enter the first day, for example 2026-01-01."))
            if end is None and "received_to" not in self.errors:
                self.add_error("received_to", _("Enter the last day, for example 2026-03-31."))
            if start and end and end < start:
                self.add_error("received_to", _("The last day must be the same as or after the first day."))
            if not self.errors:
                data["the_period"] = Period.range(cast(date, start), cast(date, end))
        return data

    @property
    def chosen_period(self) -> Period:
        return self.cleaned_data["the_period"]

    @property
    def chosen_filters(self) -> Filters:
        d = self.cleaned_data
        return Filters(
            department=d.get("department"),
            unit=d.get("unit"),
            category=d.get("category"),
            subtype=d.get("subtype") or "",
            channel=d.get("channel") or "",
        )
