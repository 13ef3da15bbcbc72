"""The summary behind the statistics pages.

Live aggregation over a million CaseStat rows takes seconds on a 2-core
machine, so whole receipt months are read from MonthSummary and MonthDays
(a few rows per month and breakdown value, DIMENSION_FIELDS), and the
distributions of working days of whole past years from one roll-up row per
year and value. Counted live: the parts of a from–to period that do not
cover a whole month, the open cases that are overdue today (which depend on
today's date and are few), and what the summary does not hold (below).

Filters. For the filters that select many cases (FILTER_FIELDS: a unit, and
so a department; a case type; a channel) the summary also holds, per whole
past year, every breakdown within each filter value: "by unit with channel
= web" over ten years reads the year rows (filter_by="inkanal",
filter_value="web", dimension="enhet@year") and counts only the current
year live. Per month such rows would outnumber the cases of the month, so
months outside whole past years are counted live with the filter. The
overview and trend under one such filter read the month rows of that
breakdown ("inkanal" = "web"). A subject area (a hundredth of the cases)
and two filters or more are counted live.

Departments are never stored: a department's figures are its units' added
up through each unit's current department, so moving a unit to another
department changes no stored row and every page, filtered or not, follows
at once. Names are read when a page is shown, so renaming a unit,
department or subject area changes nothing stored either; merging subject
areas moves cases, which marks their months (the cases_changed hook).

Every change of a case marks its receipt month dirty in the same
transaction (stats.maintenance). Pages read clean months from the summary
and count dirty months live over CaseStat, all in one snapshot, so the
figures always equal a live count (the tests check) and no request waits
for a rebuild; the worker rebuilds dirty months with summary_refresh()
every minute (stats.tasks.summary_refresh)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from stats.models import CaseStat, DirtyMonth, MonthDays, MonthSummary
from stats.periods import add_months

# Breakdown slug -> CaseStat field; "all" is the whole selection. The
# department breakdown ("forvaltning") is read from the units' rows.
DIMENSION_FIELDS = {
    "all": None,
    "enhet": "unit_id",
    "amnesomrade": "category_id",
    "arendetyp": "kind",
    "undertyp": "subtype",
    "inkanal": "channel",
    "utfall": "resolution",
}
# The filters the summary is also kept by, per whole past year. A department
# filter is the filter on its units.
FILTER_FIELDS = {"enhet": "unit_id", "undertyp": "subtype", "inkanal": "channel"}
# (filter_by, dimension) of the rows kept per month ...
MONTH_GROUPINGS = [("", dimension) for dimension in DIMENSION_FIELDS]
# ... and of the rows kept only per year, within a filter.
YEAR_GROUPINGS = [
    (filter_by, dimension)
    for filter_by in FILTER_FIELDS
    for dimension in DIMENSION_FIELDS
    if dimension not in ("all", filter_by)
]
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
    for month in _months_with_cases():
        mark_dirty(month)


def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def _counts(row: Mapping[str, Any]) -> list[int]:
    """The COUNTS of one CaseStat row (a dict of its fields)."""
    answerable, answered, closed = row["answerable"], row["answered"], row["is_closed"]
    score = row["survey_score"]
    return [
        1,
        int(answered),
        int(closed),
        int(not closed),
        int(bool(answerable and row["answered_in_time"])),
        int(bool(answerable and answered)),
        int(bool(closed and row["closed_in_time"])),
        int(bool(row["extended"])),
        int(bool(answerable and row["answered_in_time_original"])),
        int(bool(closed and row["closed_in_time_original"])),
        int(bool(row["survey_asked"])),
        int(score is not None),
        int(score is not None and score >= SATISFIED_FROM),
        score or 0,
        int(row["survey_got_answer"] == "yes"),
    ]


def _aggregate(rows: QuerySet[CaseStat], groupings: list[tuple[str, str]]) -> tuple[dict, dict]:
    """The counts and distributions of these CaseStat rows for every
    (filter_by, dimension) in groupings: ({(filter_by, filter_value,
    dimension, value): [COUNTS]}, {(…, measure): {days: n}}). The rows are
    read once, grouped by everything the summary is kept by, and added up
    per grouping here (one query instead of three per grouping)."""
    keys = sorted(field for field in DIMENSION_FIELDS.values() if field)
    facts = (
        "answerable",
        "answered",
        "is_closed",
        "answered_in_time",
        "closed_in_time",
        "answer_days",
        "close_days",
        "extended",
        "answered_in_time_original",
        "closed_in_time_original",
        "survey_asked",
        "survey_score",
        "survey_got_answer",
    )
    counts: dict[tuple[str, str, str, str], list[int]] = {}
    days: dict[tuple[str, str, str, str, str], dict[int, int]] = {}
    for row in rows.values(*keys, *facts).annotate(n=Count("pk")).order_by():
        n = row["n"]
        each = [c * n for c in _counts(row)]
        values = {dimension: str(row[field]) if field else "" for dimension, field in DIMENSION_FIELDS.items()}
        measured = [
            (m, row[column]) for m, column in (("a", "answer_days"), ("c", "close_days")) if row[column] is not None
        ]
        for filter_by, dimension in groupings:
            key = (filter_by, values[filter_by] if filter_by else "", dimension, values[dimension])
            total = counts.get(key)
            if total is None:
                counts[key] = list(each)
            else:
                for i, c in enumerate(each):
                    total[i] += c
            for measure, d in measured:
                hist = days.setdefault((*key, measure), {})
                hist[d] = hist.get(d, 0) + n
    return counts, days


def _store(month: date, counts: dict, days: dict, suffix: str = "") -> None:
    MonthSummary.objects.bulk_create(
        [
            MonthSummary(
                month=month,
                filter_by=filter_by,
                filter_value=filter_value,
                dimension=dimension + suffix,
                value=value,
                **dict(zip(COUNTS, values, strict=True)),
            )
            for (filter_by, filter_value, dimension, value), values in counts.items()
        ],
        batch_size=2000,
    )
    MonthDays.objects.bulk_create(
        [
            MonthDays(
                month=month,
                filter_by=filter_by,
                filter_value=filter_value,
                dimension=dimension + suffix,
                value=value,
                measure=measure,
                counts=sorted([d, n] for d, n in hist.items()),
            )
            for (filter_by, filter_value, dimension, value, measure), hist in days.items()
        ],
        batch_size=2000,
    )


def month_rebuild(month: date) -> None:
    """The rows of one month (MONTH_GROUPINGS), from its CaseStat rows."""
    counts, days = _aggregate(
        CaseStat.objects.filter(received_date__gte=month, received_date__lte=_month_end(month)), MONTH_GROUPINGS
    )
    MonthSummary.objects.filter(month=month).exclude(dimension__endswith=YEAR_SUFFIX).delete()
    MonthDays.objects.filter(month=month).exclude(dimension__endswith=YEAR_SUFFIX).delete()
    _store(month, counts, days)
    # The year's rows (if any) no longer add up its months: gone in the same
    # transaction, so pages read the year month by month until
    # summary_refresh builds them again (the current year once it is over).
    year_rows_delete(month.year)


# A whole past year: the distributions of its months added up (so ten years
# are ten lists per value rather than 120), and the counts and distributions
# within each filter value (YEAR_GROUPINGS). Stored with month = 1 January
# and dimension "<dimension>@year"; a marker row says the year is complete
# (a year without one is read month by month). A month rebuild removes its
# year's rows in its own transaction, so they are never behind its months;
# summary_refresh builds them again.
YEAR_SUFFIX = "@year"
YEAR_MARKER = "@year"


def year_rows_delete(year: int) -> None:
    first = date(year, 1, 1)
    MonthSummary.objects.filter(month=first, dimension__endswith=YEAR_SUFFIX).delete()
    MonthDays.objects.filter(month=first, dimension__endswith=YEAR_SUFFIX).delete()


def year_rebuild(year: int) -> None:
    first, last = date(year, 1, 1), date(year, 12, 1)
    year_rows_delete(year)
    merged: dict = {}
    rows = (
        MonthDays.objects.filter(filter_by="", month__gte=first, month__lte=last)
        .exclude(dimension__endswith=YEAR_SUFFIX)
        .values_list("dimension", "value", "measure", "counts")
    )
    for dimension, value, measure, pairs in rows:
        target = merged.setdefault(("", "", dimension, value, measure), {})
        for days, n in pairs:
            target[days] = target.get(days, 0) + n
    _store(first, {}, merged, YEAR_SUFFIX)
    counts, days = _aggregate(
        CaseStat.objects.filter(received_date__gte=first, received_date__lte=date(year, 12, 31)), YEAR_GROUPINGS
    )
    _store(first, counts, days, YEAR_SUFFIX)
    MonthDays.objects.create(month=first, dimension=YEAR_MARKER, value="", measure="m", counts=[])


def rolled_up_years(first_month: date, last_month: date, skip: AbstractSet[date]) -> list[int]:
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
    """Rebuild every dirty month, then roll up again each past year that
    lost its roll-up (once per year, however many of its months changed).
    Returns how many months were rebuilt."""
    rebuilt = 0
    this_year = timezone.localdate().year
    years = {this_year - 1}
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
            years.add(month.year)
    rolled = set(
        MonthDays.objects.filter(dimension=YEAR_MARKER, month__in=[date(y, 1, 1) for y in years]).values_list(
            "month", flat=True
        )
    )
    for year in sorted(y for y in years if y < this_year and date(y, 1, 1) not in rolled):
        with transaction.atomic():
            year_rebuild(year)
    return rebuilt


def dirty_months(first_month: date, last_month: date) -> set[date]:
    """The months whose summary is behind their cases: pages count these
    live over CaseStat (one month is a few thousand rows) and the worker
    rebuilds them (stats.tasks.summary_refresh), so no page waits for a
    rebuild."""
    return set(DirtyMonth.objects.filter(month__gte=first_month, month__lte=last_month).values_list("month", flat=True))


def rows_for(filter_by: str, filter_values: Sequence[str], dimension: str) -> tuple[Q, bool]:
    """Which stored rows hold `dimension` broken down within the filter
    (filter_by "" is none; several values are added up: a department's
    units), and whether they all add up to one figure (the overview, the
    "all" dimension, under a filter). `dimension` may carry YEAR_SUFFIX."""
    plain = dimension.removesuffix(YEAR_SUFFIX)
    suffix = dimension[len(plain) :]
    if not filter_by:
        return Q(filter_by="", dimension=dimension), False
    if plain == "all":
        return Q(filter_by="", dimension=filter_by + suffix, value__in=list(filter_values)), True
    if plain == filter_by:
        return Q(filter_by="", dimension=dimension, value__in=list(filter_values)), False
    return Q(filter_by=filter_by, filter_value__in=list(filter_values), dimension=dimension), False


def summed(
    *,
    dimension: str,
    first_month: date,
    last_month: date,
    skip: AbstractSet[date] = frozenset(),
    filter_by: str = "",
    filter_values: Sequence[str] = ("",),
) -> tuple[dict, dict]:
    """({value: {count name: n}}, {(value, measure): [(days, n), ...]}) over
    whole months first_month..last_month (first days of months), leaving out
    the months in skip, within the filter (rows_for). Under a filter the
    overview's figures come back under the value ""."""
    which, merge = rows_for(filter_by, filter_values, dimension)
    counts: dict[str, dict[str, int]] = {}
    rows: QuerySet[MonthSummary, Mapping[str, Any]] = (
        MonthSummary.objects.filter(which, month__gte=first_month, month__lte=last_month)
        .exclude(month__in=sorted(skip))
        .values("value")
        .annotate(**{f"t_{name}": Sum(name) for name in COUNTS})
        .order_by()
    )
    for r in rows:
        target = counts.setdefault("" if merge else r["value"], dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            target[name] += r[f"t_{name}"] or 0
    years = rolled_up_years(first_month, last_month, skip)
    in_years = Q(month__year__in=years) if years else Q(pk__in=[])
    year_rows, _ = rows_for(filter_by, filter_values, dimension + YEAR_SUFFIX)
    # Whole rolled-up years from their year rows, the other months from theirs.
    days_rows = MonthDays.objects.filter(
        (year_rows & Q(month__in=[date(y, 1, 1) for y in years]))
        | (which & Q(month__gte=first_month, month__lte=last_month) & ~in_years & ~Q(month__in=sorted(skip)))
    )
    hist = _summed_days(days_rows)
    if merge:
        together: dict = {}
        for (_value, measure), pairs in hist.items():
            target = together.setdefault(measure, {})
            for d, n in pairs:
                target[d] = target.get(d, 0) + n
        hist = {("", measure): sorted(d.items()) for measure, d in together.items()}
    return counts, hist


def summed_years(
    *, dimension: str, years: Sequence[int], filter_by: str, filter_values: Sequence[str]
) -> tuple[dict, dict]:
    """As summed, over whole years, for a breakdown within a filter
    (YEAR_GROUPINGS): read from the year rows only."""
    counts: dict[str, dict[str, int]] = {}
    if not years:
        return counts, {}
    which, _merge = rows_for(filter_by, filter_values, dimension + YEAR_SUFFIX)
    firsts = [date(y, 1, 1) for y in years]
    rows: QuerySet[MonthSummary, Mapping[str, Any]] = (
        MonthSummary.objects.filter(which, month__in=firsts)
        .values("value")
        .annotate(**{f"t_{name}": Sum(name) for name in COUNTS})
        .order_by()
    )
    for r in rows:
        counts[r["value"]] = {name: r[f"t_{name}"] or 0 for name in COUNTS}
    return counts, _summed_days(MonthDays.objects.filter(which, month__in=firsts))


def _summed_days(rows: QuerySet[MonthDays]) -> dict:
    if connection.vendor == "postgresql":
        return _summed_days_sql(rows)
    # The distributions were counted in the database; here they are only
    # added up.
    merged: dict = {}
    for value, measure, pairs in rows.values_list("value", "measure", "counts"):
        target = merged.setdefault((value, measure), {})
        for d, n in pairs:
            target[d] = target.get(d, 0) + n
    return {key: sorted(d.items()) for key, d in merged.items()}


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


def summary_rebuild_all() -> int:
    """Mark every month with cases dirty, drop the rows of months that have
    none any more, and rebuild (after a bulk load or a change to how the
    summary is kept; `manage.py stats_refresh`). Returns the months rebuilt."""
    months = set(_months_with_cases())
    for month in sorted(months):
        mark_dirty(month)
    stale = set(MonthSummary.objects.values_list("month", flat=True).distinct()) - months
    MonthSummary.objects.filter(month__in=sorted(stale)).delete()
    MonthDays.objects.filter(month__in=sorted(stale)).delete()
    # Every year is built again below.
    MonthSummary.objects.filter(dimension__endswith=YEAR_SUFFIX).delete()
    MonthDays.objects.filter(dimension__endswith=YEAR_SUFFIX).delete()
    return summary_refresh()


def _months_with_cases() -> Iterable[date]:
    for m in CaseStat.objects.annotate(m=TruncMonth("received_date")).values_list("m", flat=True).distinct():
        yield m.date() if hasattr(m, "hour") else m
