"""The statistics queries. Every figure is an aggregate over CaseStat
(COUNT ... FILTER / GROUP BY, percentile_cont on PostgreSQL), never a loop
over cases in Python. A case counts in the period of its local receipt
date (received_date).

Reads never write. The working-day calendar is kept by the worker
(stats.tasks.summary_refresh runs maintenance.calendar_ensure() every
minute) and by `manage.py stats_refresh`; before it was ever built, the
pages show every count and leave the working-day durations empty."""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, Exists, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import pgettext_lazy

from cases.deadlines import LOCAL_TZ
from cases.models import Case, CaseType, Category, Department, Improvement, ImprovementCase, Unit
from stats import summary
from stats.models import CaseStat, MonthSummary
from stats.periods import Period, add_months, month_start


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

    def summary_source(self) -> tuple[str, list[str]] | None:
        """The summary rows this selection is kept in (stats.summary.rows_for):
        ("", [""]) for none, (filter, values) for one filter the summary is
        kept by (a department is its units, as they are now), or None when it
        has to be counted live (a subject area, or two filters or more)."""
        chosen = [f.name for f in fields(self) if getattr(self, f.name)]
        if not chosen:
            return "", [""]
        if len(chosen) > 1:
            return None
        if self.department:
            units = Unit.objects.filter(department_id=self.department.pk).values_list("pk", flat=True)
            return "enhet", [str(pk) for pk in units]
        if self.unit:
            return "enhet", [str(self.unit.pk)]
        if self.subtype:
            return "undertyp", [self.subtype]
        if self.channel:
            return "inkanal", [self.channel]
        return None

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
            out.append((str(pgettext_lazy("statistics", "Case type")), str(CaseType(self.subtype).label)))
        if self.channel:
            out.append((str(pgettext_lazy("statistics", "Channel of receipt")), str(Case.Channel(self.channel).label)))
        return out

    def drill(self) -> dict[str, str]:
        """The same filters as back-office list parameters (the same names)."""
        return self.query()

    def query(self) -> dict[str, str]:
        """The filters as query parameters: the statistics pages and the case
        list use the same names (department, unit, category, subtype, channel)."""
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
    # Due dates moved later (a pause period or a unit head's extension), and
    # in time against the original due date, over the same kind of base as
    # the verdicts after extensions (late: the original date has passed).
    extended: int = 0
    answered_in_time_original: int = 0
    answer_base_original: int = 0
    closed_in_time_original: int = 0
    close_base_original: int = 0
    # The satisfaction survey: asked, answered, satisfied (4–5), the sum of
    # the scores (for the mean) and "got an answer: yes".
    survey_asked: int = 0
    survey_responses: int = 0
    survey_satisfied: int = 0
    survey_score_sum: int = 0
    survey_got_answer: int = 0

    @staticmethod
    def _pct(n: int, base: int) -> float | None:
        return round(100.0 * n / base, 1) if base else None

    @property
    def answered_in_time_pct(self) -> float | None:
        return self._pct(self.answered_in_time, self.answer_base)

    @property
    def closed_in_time_pct(self) -> float | None:
        return self._pct(self.closed_in_time, self.close_base)

    @property
    def answered_in_time_original_pct(self) -> float | None:
        return self._pct(self.answered_in_time_original, self.answer_base_original)

    @property
    def closed_in_time_original_pct(self) -> float | None:
        return self._pct(self.closed_in_time_original, self.close_base_original)

    @property
    def survey_response_pct(self) -> float | None:
        return self._pct(self.survey_responses, self.survey_asked)

    @property
    def survey_satisfied_pct(self) -> float | None:
        return self._pct(self.survey_satisfied, self.survey_responses)

    @property
    def survey_got_answer_pct(self) -> float | None:
        return self._pct(self.survey_got_answer, self.survey_responses)

    @property
    def survey_mean(self) -> float | None:
        return round(self.survey_score_sum / self.survey_responses, 2) if self.survey_responses else None


COUNT_FIELDS = (
    "received",
    "answered",
    "closed",
    "open",
    "overdue",
    "answered_in_time",
    "answer_base",
    "closed_in_time",
    "close_base",
    "extended",
    "answered_in_time_original",
    "answer_base_original",
    "closed_in_time_original",
    "close_base_original",
    "survey_asked",
    "survey_responses",
    "survey_satisfied",
    "survey_score_sum",
    "survey_got_answer",
)
PERCENTILE_FIELDS = {
    "answer_median": ("answer_days", 0.5),
    "answer_p90": ("answer_days", 0.9),
    "close_median": ("close_days", 0.5),
    "close_p90": ("close_days", 0.9),
}


def _aggregates(today: date) -> dict:
    overdue = Q(is_closed=False, due_date__lt=today)
    late = Q(is_closed=False, original_due_date__lt=today)
    aggregates: dict[str, Any] = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(answered=True)),
        "closed": Count("pk", filter=Q(is_closed=True)),
        "open": Count("pk", filter=Q(is_closed=False)),
        "overdue": Count("pk", filter=overdue),
        "answered_in_time": Count("pk", filter=Q(answerable=True, answered_in_time=True)),
        "answer_base": Count("pk", filter=Q(answerable=True) & (Q(answered=True) | (overdue & Q(answered=False)))),
        "closed_in_time": Count("pk", filter=Q(is_closed=True, closed_in_time=True)),
        "close_base": Count("pk", filter=Q(is_closed=True) | overdue),
        "extended": Count("pk", filter=Q(extended=True)),
        "answered_in_time_original": Count("pk", filter=Q(answerable=True, answered_in_time_original=True)),
        "answer_base_original": Count(
            "pk", filter=Q(answerable=True) & (Q(answered=True) | (late & Q(answered=False)))
        ),
        "closed_in_time_original": Count("pk", filter=Q(is_closed=True, closed_in_time_original=True)),
        "close_base_original": Count("pk", filter=Q(is_closed=True) | late),
        "survey_asked": Count("pk", filter=Q(survey_asked=True)),
        "survey_responses": Count("pk", filter=Q(survey_score__isnull=False)),
        "survey_satisfied": Count("pk", filter=Q(survey_score__gte=summary.SATISFIED_FROM)),
        "survey_score_sum": Coalesce(Sum("survey_score"), 0),
        "survey_got_answer": Count("pk", filter=Q(survey_got_answer="yes")),
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
    qs = CaseStat.objects.filter(received_date__gte=period.start, received_date__lte=period.end)
    return filters.apply(qs)


def _live(period: Period, filters: Filters, today: date, field: str | None) -> dict:
    """{group value: Figures} counted over CaseStat rows."""
    qs = base_queryset(period, filters)
    if field:
        rows = list(qs.values(field).annotate(**_aggregates(today)).order_by())
    else:
        rows = [qs.aggregate(**_aggregates(today))]
    if connection.vendor != "postgresql":
        percentiles = _percentiles_by_histogram(qs, field)
        for row in rows:
            row.update(percentiles.get(row[field] if field else None, {}))
    return {(row[field] if field else None): _figures(row) for row in rows if row["n_received"]}


def _from_summary(period: Period, today: date, dimension: str, filters: Filters) -> dict | None:
    """{group value: Figures} from the monthly summary (whole months) and
    live counts (the rest), merged exactly; None when the summary is not
    kept for these filters (Filters.summary_source)."""
    with snapshot():
        source = filters.summary_source()
        if source is None:
            return None
        return _from_summary_in_snapshot(period, today, dimension, filters, source)


@contextmanager
def snapshot():
    """One snapshot for every read of a page on PostgreSQL (REPEATABLE READ),
    so the dirty-month list, the summary and the live counts agree even while
    cases change. Inside an outer transaction (tests) that one is used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _departments_of_units() -> dict[int, int]:
    return dict(Unit.objects.values_list("pk", "department_id"))


def _from_summary_in_snapshot(
    period: Period, today: date, dimension: str, filters: Filters, source: tuple[str, list[str]]
) -> dict:
    filter_by, filter_values = source
    # Departments are read from their units' rows and counted under each
    # unit's department as it is now.
    stored = "enhet" if dimension == "forvaltning" else dimension
    field = summary.DIMENSION_FIELDS[stored]
    departments = _departments_of_units() if dimension == "forvaltning" else None

    def regroup(key: Any) -> Any:
        return key if departments is None else departments.get(key)

    first_full = period.start if period.start.day == 1 else add_months(month_start(period.start), 1)
    end_next = period.end + timedelta(days=1)
    last_full = month_start(period.end) if end_next.day == 1 else add_months(month_start(period.end), -1)
    counts: dict = {}
    hist: dict = {}

    def add_counts(key, values: dict):
        target = counts.setdefault(regroup(key), dict.fromkeys(summary.COUNTS, 0))
        for name in summary.COUNTS:
            target[name] += values.get(name, 0) or 0

    def add_hist(key, measure: str, pairs):
        hist.setdefault((regroup(key), measure), []).extend(pairs)

    def live_range(start: date, end: date):
        qs = filters.apply(CaseStat.objects.filter(received_date__gte=start, received_date__lte=end))
        keys = [field] if field else []
        rows = (
            qs.values(*keys).annotate(**summary.count_aggregates()).order_by()
            if keys
            else [qs.aggregate(**summary.count_aggregates())]
        )
        for r in rows:
            if r["s_received"]:
                add_counts(r[field] if field else None, {n: r[f"s_{n}"] for n in summary.COUNTS})
        for measure, column in (("a", "answer_days"), ("c", "close_days")):
            for h in qs.filter(**{f"{column}__isnull": False}).values(*keys, column).annotate(n=Count("pk")).order_by():
                add_hist(h[field] if field else None, measure, [(h[column], h["n"])])

    if first_full <= last_full:
        if period.start < first_full:
            live_range(period.start, first_full - timedelta(days=1))
        next_after = add_months(last_full, 1)
        if next_after <= period.end:
            live_range(next_after, period.end)
        dirty = summary.dirty_months(first_full, last_full)
        if filter_by and stored not in ("all", filter_by):
            # Within a filter the summary holds whole past years; the other
            # months (a dirty month's year is not whole) are counted live.
            years = summary.rolled_up_years(first_full, last_full, dirty)
            for start, end in _spans_outside(first_full, last_full, years):
                live_range(start, end)
            whole, whole_hist = summary.summed_years(
                dimension=stored, years=years, filter_by=filter_by, filter_values=filter_values
            )
        else:
            for month in sorted(dirty):
                live_range(month, _month_end(month))
            whole, whole_hist = summary.summed(
                dimension=stored,
                first_month=first_full,
                last_month=last_full,
                skip=dirty,
                filter_by=filter_by,
                filter_values=filter_values,
            )
        for value, values in whole.items():
            add_counts(_key(field, value), values)
        for (value, measure), pairs in whole_hist.items():
            add_hist(_key(field, value), measure, pairs)
    else:
        live_range(period.start, period.end)

    # The counts that depend on today: open cases past their due date, or
    # past their original due date.
    overdue = Q(is_closed=False, due_date__lt=today)
    late_original = Q(is_closed=False, original_due_date__lt=today)
    late_qs = filters.apply(
        CaseStat.objects.filter(overdue | late_original, received_date__gte=period.start, received_date__lte=period.end)
    )
    unanswered = Q(answerable=True, answered=False)
    late_counts = {
        "o": Count("pk", filter=overdue),
        "ou": Count("pk", filter=overdue & unanswered),
        "lo": Count("pk", filter=late_original),
        "lou": Count("pk", filter=late_original & unanswered),
    }
    late_rows = (
        late_qs.values(field).annotate(**late_counts).order_by() if field else [late_qs.aggregate(**late_counts)]
    )
    late: dict = {}
    for r in late_rows:
        key = regroup(r[field] if field else None)
        o, ou, lo, lou = late.get(key, (0, 0, 0, 0))
        late[key] = (o + r["o"], ou + r["ou"], lo + r["lo"], lou + r["lou"])

    out = {}
    for key, c in counts.items():
        if not c["received"]:
            continue
        o, ou, lo, lou = late.get(key, (0, 0, 0, 0))
        f = Figures(
            received=c["received"],
            answered=c["answered"],
            closed=c["closed"],
            open=c["open"],
            overdue=o,
            answered_in_time=c["answered_in_time"],
            answer_base=c["answered_answerable"] + ou,
            closed_in_time=c["closed_in_time"],
            close_base=c["closed"] + o,
            extended=c["extended"],
            answered_in_time_original=c["answered_in_time_original"],
            answer_base_original=c["answered_answerable"] + lou,
            closed_in_time_original=c["closed_in_time_original"],
            close_base_original=c["closed"] + lo,
            survey_asked=c["survey_asked"],
            survey_responses=c["survey_responses"],
            survey_satisfied=c["survey_satisfied"],
            survey_score_sum=c["survey_score_sum"],
            survey_got_answer=c["survey_got_answer"],
        )
        for name, (column, p) in PERCENTILE_FIELDS.items():
            measure = "a" if column == "answer_days" else "c"
            setattr(f, name, percentile_from_histogram(hist.get((key, measure), []), p))
        out[key] = f
    return out


def _spans_outside(first_month: date, last_month: date, years: list[int]) -> list[tuple[date, date]]:
    """The runs of whole months first_month..last_month outside these years,
    as (first day, last day)."""
    spans: list[tuple[date, date]] = []
    month = first_month
    while month <= last_month:
        if month.year in years:
            month = date(month.year + 1, 1, 1)
            continue
        end = min(last_month, date(month.year, 12, 1))
        if spans and spans[-1][1] + timedelta(days=1) == month:
            spans[-1] = (spans[-1][0], _month_end(end))
        else:
            spans.append((month, _month_end(end)))
        month = add_months(end, 1)
    return spans


def _key(field: str | None, value: str):
    if field is None:
        return None
    return int(value) if field.endswith("_id") else value


def overview(*, period: Period, filters: Filters, today: date) -> Figures:
    result = _from_summary(period, today, "all", filters)
    if result is None:
        result = _live(period, filters, today, None)
    return result.get(None, Figures())


def overview_live(*, period: Period, filters: Filters, today: date) -> Figures:
    """The same figures always counted from CaseStat (tests compare)."""
    return _live(period, filters, today, None).get(None, Figures())


# ----------------------------------------------------------- breakdowns


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: object
    field: str
    drill_param: str
    choices: tuple = ()


DIMENSIONS = {
    d.slug: d
    for d in [
        Dimension("forvaltning", pgettext_lazy("statistics", "Department"), "unit__department_id", "department"),
        Dimension("enhet", pgettext_lazy("statistics", "Unit"), "unit_id", "unit"),
        Dimension("amnesomrade", pgettext_lazy("statistics", "Subject area"), "category_id", "category"),
        Dimension(
            "arendetyp", pgettext_lazy("statistics", "Main type"), "kind", "kind", choices=tuple(Case.Kind.choices)
        ),
        Dimension(
            "undertyp", pgettext_lazy("statistics", "Case type"), "subtype", "subtype", choices=tuple(CaseType.choices)
        ),
        Dimension(
            "inkanal",
            pgettext_lazy("statistics", "Channel of receipt"),
            "channel",
            "channel",
            choices=tuple(Case.Channel.choices),
        ),
        Dimension(
            "utfall",
            pgettext_lazy("statistics", "Resolution"),
            "resolution",
            "resolution",
            choices=tuple(Case.Resolution.choices) + (("", pgettext_lazy("statistics", "Not closed")),),
        ),
    ]
}


@dataclass
class BreakdownRow:
    key: object
    label: str
    figures: Figures
    detail: str = ""
    order: tuple = ()


def _labelled(dimension: Dimension, figures: dict) -> list[BreakdownRow]:
    rows = []
    if dimension.choices:
        order = [value for value, _label in dimension.choices]
        labels = dict(dimension.choices)
        for key, f in figures.items():
            rows.append(
                BreakdownRow(
                    key, str(labels.get(key, key)), f, order=(order.index(key) if key in order else len(order),)
                )
            )
    elif dimension.slug == "forvaltning":
        names = dict(Department.objects.filter(pk__in=figures).values_list("pk", "name"))
        rows = [BreakdownRow(k, names.get(k, str(k)), f, order=(names.get(k, ""),)) for k, f in figures.items()]
    elif dimension.slug == "enhet":
        units = {u.pk: u for u in Unit.objects.filter(pk__in=figures).select_related("department")}
        for k, f in figures.items():
            u = units.get(k)
            rows.append(
                BreakdownRow(
                    k,
                    u.name if u else str(k),
                    f,
                    detail=u.department.name if u else "",
                    order=(u.department.name, u.name) if u else ("", ""),
                )
            )
    else:
        cats = {c.pk: c for c in Category.objects.filter(pk__in=figures)}
        for k, f in figures.items():
            c = cats.get(k)
            rows.append(
                BreakdownRow(k, c.localized_name() if c else str(k), f, order=(c.position, c.name) if c else (0, ""))
            )
    rows.sort(key=lambda r: r.order)
    return rows


def breakdown(*, dimension: Dimension, period: Period, filters: Filters, today: date) -> list[BreakdownRow]:
    figures = _from_summary(period, today, dimension.slug, filters)
    if figures is None:
        figures = _live(period, filters, today, dimension.field)
    return _labelled(dimension, figures)


def breakdown_live(*, dimension: Dimension, period: Period, filters: Filters, today: date) -> list[BreakdownRow]:
    return _labelled(dimension, _live(period, filters, today, dimension.field))


# ---------------------------------------------------------------- trend


@dataclass
class TrendMonth:
    month: date
    received: int = 0
    closed_in_time: int = 0
    close_base: int = 0
    survey_responses: int = 0
    survey_satisfied: int = 0
    survey_score_sum: int = 0

    @property
    def closed_in_time_pct(self) -> float | None:
        return round(100.0 * self.closed_in_time / self.close_base, 1) if self.close_base else None

    @property
    def survey_satisfied_pct(self) -> float | None:
        return round(100.0 * self.survey_satisfied / self.survey_responses, 1) if self.survey_responses else None

    @property
    def survey_mean(self) -> float | None:
        return round(self.survey_score_sum / self.survey_responses, 2) if self.survey_responses else None


# The survey's figures per month, counted over CaseStat.
_TREND_SURVEY = {
    "survey_responses": Count("pk", filter=Q(survey_score__isnull=False)),
    "survey_satisfied": Count("pk", filter=Q(survey_score__gte=summary.SATISFIED_FROM)),
    "survey_score_sum": Coalesce(Sum("survey_score"), 0),
}
_TREND_SURVEY_FIELDS = tuple(_TREND_SURVEY)


TREND_MONTHS = 24


def trend(*, end_month: date, filters: Filters, today: date) -> list[TrendMonth]:
    """The TREND_MONTHS months up to and including end_month, each with
    the cases received in it and how many of them were closed in time."""
    with snapshot():
        source = filters.summary_source()
        if source is None:
            return trend_live(end_month=end_month, filters=filters, today=today)
        return _trend_in_snapshot(end_month, today, filters, source)


def _trend_in_snapshot(
    end_month: date, today: date, filters: Filters, source: tuple[str, list[str]]
) -> list[TrendMonth]:
    last = month_start(end_month)
    first = add_months(last, -(TREND_MONTHS - 1))
    dirty = summary.dirty_months(first, last)
    which, _merge = summary.rows_for(*source, "all")
    rows: dict[date, Mapping[str, Any]] = {
        r["month"]: r
        for r in MonthSummary.objects.filter(which, month__gte=first, month__lte=last)
        .exclude(month__in=sorted(dirty))
        .values("month")
        .annotate(
            received=Sum("received"),
            closed=Sum("closed"),
            closed_in_time=Sum("closed_in_time"),
            **{name: Sum(name) for name in _TREND_SURVEY_FIELDS},
        )
        .order_by()
    }
    if dirty:
        # Months whose summary is behind: counted live, a month each.
        live = Q()
        for month in dirty:
            live |= Q(received_date__gte=month, received_date__lte=_month_end(month))
        for r in (
            filters.apply(CaseStat.objects.filter(live))
            .annotate(m=TruncMonth("received_date"))
            .values("m")
            .annotate(
                received=Count("pk"),
                closed=Count("pk", filter=Q(is_closed=True)),
                closed_in_time=Count("pk", filter=Q(is_closed=True, closed_in_time=True)),
                **_TREND_SURVEY,
            )
            .order_by()
        ):
            rows[_as_date(r["m"])] = r
    late = {
        _as_date(r["m"]): r["o"]
        for r in filters.apply(
            CaseStat.objects.filter(
                is_closed=False, due_date__lt=today, received_date__gte=first, received_date__lte=_month_end(last)
            )
        )
        .annotate(m=TruncMonth("received_date"))
        .values("m")
        .annotate(o=Count("pk"))
        .order_by()
    }
    months = []
    for i in range(TREND_MONTHS):
        m = add_months(first, i)
        counts = rows.get(m, {})
        months.append(
            TrendMonth(
                month=m,
                received=counts.get("received", 0) or 0,
                closed_in_time=counts.get("closed_in_time", 0) or 0,
                close_base=(counts.get("closed", 0) or 0) + late.get(m, 0),
                **{name: counts.get(name, 0) or 0 for name in _TREND_SURVEY_FIELDS},
            )
        )
    return months


def trend_live(*, end_month: date, filters: Filters, today: date) -> list[TrendMonth]:
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
            **_TREND_SURVEY,
        )
        .order_by("month")
    )
    by_month = {_as_date(r["month"]): r for r in rows}
    months = []
    for i in range(TREND_MONTHS):
        m = add_months(first, i)
        r = by_month.get(m, {})
        months.append(
            TrendMonth(
                month=m,
                received=r.get("received", 0),
                closed_in_time=r.get("closed_in_time", 0),
                close_base=r.get("close_base", 0),
                **{name: r.get(name, 0) for name in _TREND_SURVEY_FIELDS},
            )
        )
    return months


def _month_end(m: date) -> date:
    return add_months(m, 1) - timedelta(days=1)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --------------------------------------------------------- improvements


@dataclass
class ImprovementFigures:
    """Improvements ("Du sa – vi gjorde", cases.improvements): the items
    created in the period by their status now, and the items done in the
    period and how many of those are published."""

    created: int = 0
    proposed: int = 0
    planned: int = 0
    done: int = 0
    done_in_period: int = 0
    published: int = 0


def _local_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=LOCAL_TZ)


def improvement_figures(*, period: Period, filters: Filters) -> ImprovementFigures:
    """Department and unit filters choose the owning unit; subject area,
    case type and channel choose the items with a linked case of that kind."""
    qs = Improvement.objects.all()
    if filters.department:
        qs = qs.filter(unit__department_id=filters.department.pk)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit.pk)
    if filters.category or filters.subtype or filters.channel:
        of_cases = Filters(category=filters.category, subtype=filters.subtype, channel=filters.channel)
        linked = of_cases.apply(CaseStat.objects.all()).values("case_id")
        qs = qs.filter(Exists(ImprovementCase.objects.filter(improvement=OuterRef("pk"), case_id__in=linked)))
    created = Q(created_at__gte=_local_start(period.start), created_at__lt=_local_start(period.end + timedelta(1)))
    done = Q(done_on__gte=period.start, done_on__lte=period.end)
    S = Improvement.Status
    counts = qs.aggregate(
        created=Count("pk", filter=created),
        proposed=Count("pk", filter=created & Q(status=S.PROPOSED)),
        planned=Count("pk", filter=created & Q(status=S.PLANNED)),
        done=Count("pk", filter=created & Q(status=S.DONE)),
        done_in_period=Count("pk", filter=done),
        published=Count("pk", filter=done & Q(published_at__isnull=False)),
    )
    return ImprovementFigures(**counts)
