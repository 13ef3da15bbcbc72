"""The monthly summary behind the unfiltered pages.

Live aggregation over a million CaseStat rows takes seconds on a 2-core
machine, so whole receipt months are read from MonthSummary and MonthDays
(a few rows per month and breakdown value). Only three things are counted
live: the parts of a from–to period that do not cover a whole month, the
open cases that are overdue today (which depend on today's date and are few),
and pages with filters (which read a fraction of the cases).

Every change of a case marks its receipt month dirty in the same
transaction (stats.maintenance). Pages read clean months from the summary
and count dirty months live over CaseStat, all in one snapshot, so the
figures always equal a live count (the tests check) and no request waits
for a rebuild; the worker rebuilds dirty months with summary_refresh()
every minute (stats.tasks.summary_refresh)."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from stats.models import CaseStat, DirtyMonth, MonthDays, MonthSummary
from stats.periods import add_months

# Breakdown slug -> CaseStat field; "all" is the whole municipality.
DIMENSION_FIELDS = {
    "all": None,
    "forvaltning": "unit__department_id",
    "enhet": "unit_id",
    "amnesomrade": "category_id",
    "arendetyp": "kind",
    "undertyp": "subtype",
    "inkanal": "channel",
    "utfall": "resolution",
}
COUNTS = (
    "received",
    "answered",
    "closed",
    "open",
    "answered_in_time",
    "answered_answerable",
    "closed_in_time",
    "extended",
    "answered_in_time_original",
    "closed_in_time_original",
    "survey_asked",
    "survey_responses",
    "survey_satisfied",
    "survey_score_sum",
    "survey_got_answer",
)

# A score of 4 or 5 counts as satisfied.
SATISFIED_FROM = 4


def count_aggregates() -> dict:
    return {
        "s_received": Count("pk"),
        "s_answered": Count("pk", filter=Q(answered=True)),
        "s_closed": Count("pk", filter=Q(is_closed=True)),
        "s_open": Count("pk", filter=Q(is_closed=False)),
        "s_answered_in_time": Count("pk", filter=Q(answerable=True, answered_in_time=True)),
        "s_answered_answerable": Count("pk", filter=Q(answerable=True, answered=True)),
        "s_closed_in_time": Count("pk", filter=Q(is_closed=True, closed_in_time=True)),
        "s_extended": Count("pk", filter=Q(extended=True)),
        "s_answered_in_time_original": Count("pk", filter=Q(answerable=True, answered_in_time_original=True)),
        "s_closed_in_time_original": Count("pk", filter=Q(is_closed=True, closed_in_time_original=True)),
        "s_survey_asked": Count("pk", filter=Q(survey_asked=True)),
        "s_survey_responses": Count("pk", filter=Q(survey_score__isnull=False)),
        "s_survey_satisfied": Count("pk", filter=Q(survey_score__gte=SATISFIED_FROM)),
        "s_survey_score_sum": Coalesce(Sum("survey_score"), 0),
        "s_survey_got_answer": Count("pk", filter=Q(survey_got_answer="yes")),
    }


def mark_dirty(month: date) -> None:
    table = DirtyMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (month, version) VALUES (%s, 1) "
            f"ON CONFLICT (month) DO UPDATE SET version = {table}.version + 1",
            [month],
        )


def mark_all_dirty() -> None:
    months = CaseStat.objects.annotate(m=TruncMonth("received_date")).values_list("m", flat=True).distinct()
    for m in months:
        mark_dirty(m.date() if hasattr(m, "hour") else m)


def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def month_rebuild(month: date) -> None:
    rows = CaseStat.objects.filter(received_date__gte=month, received_date__lte=_month_end(month))
    MonthSummary.objects.filter(month=month).delete()
    MonthDays.objects.filter(month=month).delete()
    summaries, days = [], []
    for dimension, field in DIMENSION_FIELDS.items():
        keys = [field] if field else []
        grouped = (
            rows.values(*keys).annotate(**count_aggregates()).order_by()
            if keys
            else [rows.aggregate(**count_aggregates())]
        )
        for g in grouped:
            if not g["s_received"]:
                continue
            summaries.append(
                MonthSummary(
                    month=month,
                    dimension=dimension,
                    value="" if not field else str(g[field]),
                    **{name: g[f"s_{name}"] for name in COUNTS},
                )
            )
        for measure, column in (("a", "answer_days"), ("c", "close_days")):
            hist = rows.filter(**{f"{column}__isnull": False}).values(*keys, column).annotate(n=Count("pk")).order_by()
            per_value: dict = {}
            for h in hist:
                per_value.setdefault("" if not field else str(h[field]), []).append([h[column], h["n"]])
            days += [
                MonthDays(month=month, dimension=dimension, value=value, measure=measure, counts=sorted(pairs))
                for value, pairs in per_value.items()
            ]
    MonthSummary.objects.bulk_create(summaries, batch_size=1000)
    MonthDays.objects.bulk_create(days, batch_size=2000)
    if month.year < timezone.localdate().year:
        year_rebuild(month.year)
    else:
        # The current year changes all day: it is read month by month and
        # rolled up once it is over (summary_refresh).
        MonthDays.objects.filter(month=date(month.year, 1, 1), dimension__endswith=YEAR_SUFFIX).delete()


# The distributions of a whole year, added up from its months, so ten years
# are ten lists per value rather than 120. Stored as MonthDays rows with
# month = 1 January and dimension "<dimension>@year"; a marker row says the
# year is rolled up (a year without one is read month by month). Rebuilt in
# the transaction of every month rebuild, so it is never behind its months.
YEAR_SUFFIX = "@year"
YEAR_MARKER = "@year"


def year_rebuild(year: int) -> None:
    first, last = date(year, 1, 1), date(year, 12, 1)
    MonthDays.objects.filter(month=first, dimension__endswith=YEAR_SUFFIX).delete()
    merged: dict = {}
    rows = (
        MonthDays.objects.filter(month__gte=first, month__lte=last)
        .exclude(dimension__endswith=YEAR_SUFFIX)
        .values_list("dimension", "value", "measure", "counts")
    )
    for dimension, value, measure, pairs in rows:
        target = merged.setdefault((dimension, value, measure), {})
        for days, n in pairs:
            target[days] = target.get(days, 0) + n
    MonthDays.objects.bulk_create(
        [
            MonthDays(
                month=first,
                dimension=dimension + YEAR_SUFFIX,
                value=value,
                measure=measure,
                counts=sorted([d, n] for d, n in counts.items()),
            )
            for (dimension, value, measure), counts in merged.items()
        ]
        + [MonthDays(month=first, dimension=YEAR_MARKER, value="", measure="m", counts=[])],
        batch_size=2000,
    )


def years_rebuild() -> int:
    """Roll up every year that has months (after a bulk load)."""
    this_year = timezone.localdate().year
    years = sorted(
        {
            m.year
            for m in MonthDays.objects.exclude(dimension__endswith=YEAR_SUFFIX)
            .values_list("month", flat=True)
            .distinct()
            if m.year < this_year
        }
    )
    for year in years:
        with transaction.atomic():
            year_rebuild(year)
    return len(years)


def _rolled_up_years(first_month: date, last_month: date, skip) -> list[int]:
    """Whole years inside first_month..last_month, rolled up, with no month
    left out (a dirty month is counted live and must not be in the sum)."""
    years = [
        y
        for y in range(first_month.year, last_month.year + 1)
        if date(y, 1, 1) >= first_month and date(y, 12, 1) <= last_month and not any(m.year == y for m in skip)
    ]
    if not years:
        return []
    marked = set(
        MonthDays.objects.filter(dimension=YEAR_MARKER, month__in=[date(y, 1, 1) for y in years]).values_list(
            "month", flat=True
        )
    )
    return [y for y in years if date(y, 1, 1) in marked]


def summary_refresh() -> int:
    """Rebuild every dirty month. Returns how many were rebuilt."""
    rebuilt = 0
    for month, _version in list(DirtyMonth.objects.values_list("month", "version")):
        with transaction.atomic():
            # The lock makes a concurrent change wait until this rebuild is
            # committed; it then marks the month dirty again.
            locked = (
                DirtyMonth.objects.select_for_update().filter(month=month).values_list("version", flat=True).first()
            )
            if locked is None:
                continue
            month_rebuild(month)
            DirtyMonth.objects.filter(month=month, version=locked).delete()
            rebuilt += 1
    last_year = timezone.localdate().year - 1
    if not MonthDays.objects.filter(dimension=YEAR_MARKER, month=date(last_year, 1, 1)).exists():
        with transaction.atomic():
            year_rebuild(last_year)
    return rebuilt


def dirty_months(first_month: date, last_month: date) -> set[date]:
    """The months whose summary is behind their cases: pages count these
    live over CaseStat (one month is a few thousand rows) and the worker
    rebuilds them (stats.tasks.summary_refresh), so no page waits for a
    rebuild."""
    return set(DirtyMonth.objects.filter(month__gte=first_month, month__lte=last_month).values_list("month", flat=True))


def summed(
    *, dimension: str, first_month: date, last_month: date, skip: AbstractSet[date] = frozenset()
) -> tuple[dict, dict]:
    """({value: {count name: n}}, {(value, measure): [(days, n), ...]}) over
    whole months first_month..last_month (first days of months), leaving out
    the months in skip."""
    counts = {}
    rows: QuerySet[MonthSummary, Mapping[str, Any]] = (
        MonthSummary.objects.filter(dimension=dimension, month__gte=first_month, month__lte=last_month)
        .exclude(month__in=sorted(skip))
        .values("value")
        .annotate(**{f"t_{name}": Sum(name) for name in COUNTS})
        .order_by()
    )
    for r in rows:
        counts[r["value"]] = {name: r[f"t_{name}"] or 0 for name in COUNTS}
    years = _rolled_up_years(first_month, last_month, skip)
    in_years = Q(month__year__in=years) if years else Q(pk__in=[])
    # Whole rolled-up years from their year rows, the other months from theirs.
    days_rows = MonthDays.objects.filter(
        (Q(dimension=dimension + YEAR_SUFFIX, month__in=[date(y, 1, 1) for y in years]))
        | (
            Q(dimension=dimension, month__gte=first_month, month__lte=last_month)
            & ~in_years
            & ~Q(month__in=sorted(skip))
        )
    )
    if connection.vendor == "postgresql":
        return counts, _summed_days_sql(days_rows)
    # The per-month distributions were counted in the database; here they
    # are only added up.
    merged: dict = {}
    for value, measure, pairs in days_rows.values_list("value", "measure", "counts"):
        target = merged.setdefault((value, measure), {})
        for days, n in pairs:
            target[days] = target.get(days, 0) + n
    hist = {key: sorted(d.items()) for key, d in merged.items()}
    return counts, hist


def _summed_days_sql(rows) -> dict:
    """The distributions added up in PostgreSQL rather than decoded and
    added up in Python."""
    inner, params = rows.values("value", "measure", "counts").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.value, d.measure, (e.pair->>0)::int, sum((e.pair->>1)::bigint)
                FROM ({inner}) d CROSS JOIN LATERAL jsonb_array_elements(d.counts) AS e(pair)
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
            params,
        )
        hist: dict = {}
        for value, measure, days, n in cursor.fetchall():
            hist.setdefault((value, measure), []).append((days, int(n)))
    return hist
