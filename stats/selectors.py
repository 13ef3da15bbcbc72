"""The statistics queries. Every figure is an aggregate over CaseStat
(COUNT ... FILTER / GROUP BY, percentile_cont on PostgreSQL), never a loop
over cases in Python. A case counts in the period of its local receipt
date (received_date)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from cases.models import Case, Category, Department, Unit
from stats.maintenance import calendar_ensure
from stats.models import CaseStat
from stats.periods import Period, add_months, month_start

SUBTYPE_CHOICES = [
    (Case.FeedbackType.PRAISE.value, Case.FeedbackType.PRAISE.label),
    (Case.FeedbackType.COMPLAINT.value, Case.FeedbackType.COMPLAINT.label),
    (Case.FeedbackType.SUGGESTION.value, Case.FeedbackType.SUGGESTION.label),
    (Case.Kind.QUESTION.value, Case.Kind.QUESTION.label),
    (Case.Kind.FAULT_REPORT.value, Case.Kind.FAULT_REPORT.label),
]


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY expr)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def percentile_from_histogram(histogram: list[tuple[int, int]], p: float) -> float | None:
    """percentile_cont's answer (linear interpolation between the two
    nearest ranks) from (value, count) pairs, for databases without it."""
    histogram = sorted(histogram)
    total = sum(n for _, n in histogram)
    if not total:
        return None
    position = (total - 1) * p
    lo_rank, hi_rank = math.floor(position), math.ceil(position)

    def value_at(rank: int) -> int:
        seen = 0
        for value, n in histogram:
            seen += n
            if rank < seen:
                return value
        return histogram[-1][0]

    lo, hi = value_at(lo_rank), value_at(hi_rank)
    return lo + (hi - lo) * (position - lo_rank)


# -------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    department: Department | None = None
    unit: Unit | None = None
    category: Category | None = None
    subtype: str = ""
    channel: str = ""

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.department:
            qs = qs.filter(unit__department_id=self.department.pk)
        if self.unit:
            qs = qs.filter(unit_id=self.unit.pk)
        if self.category:
            qs = qs.filter(category_id=self.category.pk)
        if self.subtype:
            qs = qs.filter(subtype=self.subtype)
        if self.channel:
            qs = qs.filter(channel=self.channel)
        return qs

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the page and the export files."""
        out = []
        if self.department:
            out.append((str(pgettext_lazy("statistics", "Department")), self.department.name))
        if self.unit:
            out.append((str(pgettext_lazy("statistics", "Unit")), self.unit.name))
        if self.category:
            out.append((str(pgettext_lazy("statistics", "Subject area")), self.category.localized_name()))
        if self.subtype:
            out.append((str(pgettext_lazy("statistics", "Case type")), str(dict(SUBTYPE_CHOICES)[self.subtype])))
        if self.channel:
            out.append((str(pgettext_lazy("statistics", "Channel of receipt")), str(Case.Channel(self.channel).label)))
        return out

    def drill(self) -> dict[str, str]:
        """The same filters as back-office list parameters."""
        out = {}
        if self.department:
            out["department"] = str(self.department.pk)
        if self.unit:
            out["unit"] = str(self.unit.pk)
        if self.category:
            out["category"] = str(self.category.pk)
        if self.subtype:
            out["subtype"] = self.subtype
        if self.channel:
            out["channel"] = self.channel
        return out

    def query(self) -> dict[str, str]:
        """The same filters as statistics page parameters."""
        out = {}
        if self.department:
            out["forvaltning"] = str(self.department.pk)
        if self.unit:
            out["enhet"] = str(self.unit.pk)
        if self.category:
            out["amne"] = str(self.category.pk)
        if self.subtype:
            out["undertyp"] = self.subtype
        if self.channel:
            out["kanal"] = self.channel
        return out


# -------------------------------------------------------------- figures


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    # "Answered in time": numerator and the cases it is counted over.
    answered_in_time: int = 0
    answer_base: int = 0
    closed_in_time: int = 0
    close_base: int = 0
    answer_median: float | None = None
    answer_p90: float | None = None
    close_median: float | None = None
    close_p90: float | None = None

    @staticmethod
    def _pct(n: int, base: int) -> float | None:
        return round(100.0 * n / base, 1) if base else None

    @property
    def answered_in_time_pct(self) -> float | None:
        return self._pct(self.answered_in_time, self.answer_base)

    @property
    def closed_in_time_pct(self) -> float | None:
        return self._pct(self.closed_in_time, self.close_base)


COUNT_FIELDS = ("received", "answered", "closed", "open", "overdue",
                "answered_in_time", "answer_base", "closed_in_time", "close_base")
PERCENTILE_FIELDS = {
    "answer_median": ("answer_days", 0.5),
    "answer_p90": ("answer_days", 0.9),
    "close_median": ("close_days", 0.5),
    "close_p90": ("close_days", 0.9),
}


def _aggregates(today: date) -> dict:
    overdue = Q(is_closed=False, due_date__lt=today)
    aggregates = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(answered=True)),
        "closed": Count("pk", filter=Q(is_closed=True)),
        "open": Count("pk", filter=Q(is_closed=False)),
        "overdue": Count("pk", filter=overdue),
        "answered_in_time": Count("pk", filter=Q(answerable=True, answered_in_time=True)),
        "answer_base": Count("pk", filter=Q(answerable=True) & (Q(answered=True) | (overdue & Q(answered=False)))),
        "closed_in_time": Count("pk", filter=Q(is_closed=True, closed_in_time=True)),
        "close_base": Count("pk", filter=Q(is_closed=True) | overdue),
    }
    if connection.vendor == "postgresql":
        for name, (column, p) in PERCENTILE_FIELDS.items():
            aggregates[name] = PercentileCont(column, p)
    # Prefixed, since some figures share their name with a column.
    return {f"n_{name}": aggregate for name, aggregate in aggregates.items()}


def _percentiles_by_histogram(qs: QuerySet, group: str | None) -> dict:
    """{group value: {figure name: value}} from per-value counts."""
    out: dict = {}
    for column in ("answer_days", "close_days"):
        keys = [group, column] if group else [column]
        histograms: dict = {}
        rows = qs.filter(**{f"{column}__isnull": False}).values(*keys).annotate(n=Count("pk")).order_by()
        for row in rows:
            histograms.setdefault(row[group] if group else None, []).append((row[column], row["n"]))
        for key, histogram in histograms.items():
            for name, (col, p) in PERCENTILE_FIELDS.items():
                if col == column:
                    out.setdefault(key, {})[f"n_{name}"] = percentile_from_histogram(histogram, p)
    return out


def _figures(row: dict) -> Figures:
    values = {f.name: row.get(f"n_{f.name}") for f in fields(Figures)}
    return Figures(**{name: value for name, value in values.items() if value is not None})


def base_queryset(period: Period, filters: Filters) -> QuerySet:
    calendar_ensure()
    qs = CaseStat.objects.filter(received_date__gte=period.start, received_date__lte=period.end)
    return filters.apply(qs)


def overview(*, period: Period, filters: Filters, today: date) -> Figures:
    qs = base_queryset(period, filters)
    row = qs.aggregate(**_aggregates(today))
    if connection.vendor != "postgresql":
        row.update(_percentiles_by_histogram(qs, None).get(None, {}))
    return _figures(row)


# ----------------------------------------------------------- breakdowns


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: object
    field: str
    drill_param: str
    label_fields: tuple = ()
    choices: tuple = ()
    order_by: tuple = ()


DIMENSIONS = {
    d.slug: d
    for d in [
        Dimension("forvaltning", pgettext_lazy("statistics", "Department"), "unit__department_id", "department",
                  label_fields=("unit__department__name",), order_by=("unit__department__name",)),
        Dimension("enhet", pgettext_lazy("statistics", "Unit"), "unit_id", "unit",
                  label_fields=("unit__name", "unit__department__name"), order_by=("unit__department__name", "unit__name")),
        Dimension("amnesomrade", pgettext_lazy("statistics", "Subject area"), "category_id", "category",
                  label_fields=("category__name", "category__name_en", "category__position"),
                  order_by=("category__position", "category__name")),
        Dimension("arendetyp", pgettext_lazy("statistics", "Type"), "kind", "kind", choices=tuple(Case.Kind.choices)),
        Dimension("undertyp", pgettext_lazy("statistics", "Case type"), "subtype", "subtype", choices=tuple(SUBTYPE_CHOICES)),
        Dimension("inkanal", pgettext_lazy("statistics", "Channel of receipt"), "channel", "channel", choices=tuple(Case.Channel.choices)),
        Dimension("utfall", pgettext_lazy("statistics", "Resolution"), "resolution", "resolution",
                  choices=tuple(Case.Resolution.choices) + (("", pgettext_lazy("statistics", "Not closed")),)),
    ]
}


@dataclass
class BreakdownRow:
    key: object
    label: str
    figures: Figures
    detail: str = ""


def _label(dimension: Dimension, row: dict) -> tuple[str, str]:
    from django.utils.translation import get_language

    if dimension.choices:
        value = row[dimension.field]
        return str(dict(dimension.choices).get(value, value)), ""
    if dimension.slug == "forvaltning":
        return row["unit__department__name"], ""
    if dimension.slug == "enhet":
        return row["unit__name"], row["unit__department__name"]
    english = (get_language() or "sv").startswith("en")
    return (row["category__name_en"] if english and row["category__name_en"] else row["category__name"]), ""


def breakdown(*, dimension: Dimension, period: Period, filters: Filters, today: date) -> list[BreakdownRow]:
    qs = base_queryset(period, filters)
    keys = [dimension.field, *dimension.label_fields]
    rows = list(qs.values(*keys).annotate(**_aggregates(today)).order_by(*(dimension.order_by or [dimension.field])))
    if connection.vendor != "postgresql":
        percentiles = _percentiles_by_histogram(qs, dimension.field)
        for row in rows:
            row.update(percentiles.get(row[dimension.field], {}))
    out = []
    for row in rows:
        label, detail = _label(dimension, row)
        out.append(BreakdownRow(key=row[dimension.field], label=label, figures=_figures(row), detail=detail))
    if dimension.choices:
        order = [value for value, _label_ in dimension.choices]
        out.sort(key=lambda r: order.index(r.key) if r.key in order else len(order))
    return out


# ---------------------------------------------------------------- trend


@dataclass
class TrendMonth:
    month: date
    received: int = 0
    closed_in_time: int = 0
    close_base: int = 0

    @property
    def closed_in_time_pct(self) -> float | None:
        return round(100.0 * self.closed_in_time / self.close_base, 1) if self.close_base else None


TREND_MONTHS = 24


def trend(*, end_month: date, filters: Filters, today: date) -> list[TrendMonth]:
    """The TREND_MONTHS months up to and including end_month, each with
    the cases received in it and how many of them were closed in time."""
    last = month_start(end_month)
    first = add_months(last, -(TREND_MONTHS - 1))
    qs = base_queryset(Period.range(first, _month_end(last)), filters)
    overdue = Q(is_closed=False, due_date__lt=today)
    rows = (
        qs.annotate(month=TruncMonth("received_date"))
        .values("month")
        .annotate(
            received=Count("pk"),
            closed_in_time=Count("pk", filter=Q(is_closed=True, closed_in_time=True)),
            close_base=Count("pk", filter=Q(is_closed=True) | overdue),
        )
        .order_by("month")
    )
    by_month = {_as_date(r["month"]): r for r in rows}
    months = []
    for i in range(TREND_MONTHS):
        m = add_months(first, i)
        r = by_month.get(m, {})
        months.append(TrendMonth(month=m, received=r.get("received", 0), closed_in_time=r.get("closed_in_time", 0),
                                 close_base=r.get("close_base", 0)))
    return months


def _month_end(m: date) -> date:
    return add_months(m, 1) - timedelta(days=1)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
