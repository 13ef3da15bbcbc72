"""Keeps the statistics tables in step with the cases.

CaseStat has one row per case. It is written by one SQL statement,
INSERT ... SELECT ... ON CONFLICT DO UPDATE, run for the cases a cases
service names through its hook (cases.hooks, stats.receivers) inside the
transaction that changed them, and for every case by case_stats_refresh()
(`manage.py stats_refresh`, after bulk loads). The
statement reads the stored verdicts from the case (answered_in_time,
closed_in_time are frozen there when they happen) and computes the working
days to the first answer and to closing from the WorkingDay table:
ordinal(local date of the answer) - ordinal(receipt date).

Durations follow the calendar in force: when a pause period changes, the
calendar table is rebuilt and the durations of the cases whose span touches
the changed days are recomputed. The in-time verdicts are never recomputed.

A disposed case keeps its row. Disposal removes the contact details and the
citizen link that "could be answered" is derived from, so case_dispose tells
the hook first and case_stats_freeze() marks the row: from then on the
refresh keeps its answerable as it was.

Reads never write: the calendar is built and extended by calendar_ensure(),
which runs in the worker every minute (stats.tasks.summary_refresh), in
`manage.py stats_refresh` and when a pause period changes, never during a
page view.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from cases import deadlines
from cases.models import Case, CaseType, Contact, SatisfactionSurvey
from stats import summary
from stats.models import CaseStat, DirtyMonth, WorkingDay

log = logging.getLogger(__name__)

# How far after today the calendar reaches.
CALENDAR_YEARS_AHEAD = 3


def _calendar_start() -> date:
    return date.fromisoformat(getattr(settings, "KONTAKT_STATS_CALENDAR_START", "2000-01-01"))


# ---------------------------------------------------------------- calendar


def calendar_rebuild(*, start: date | None = None, end: date | None = None) -> int:
    """Write the WorkingDay table from cases.deadlines' calendar (holidays
    and the pause periods now stored). Returns the number of days written."""
    start = start or _calendar_start()
    end = end or date(timezone.localdate().year + CALENDAR_YEARS_AHEAD, 12, 31)
    calendar = deadlines.current_calendar()
    rows, ordinal, d = [], 0, start
    while d <= end:
        working = calendar.is_working_day(d)
        ordinal += working
        rows.append(WorkingDay(date=d, is_working=working, ordinal=ordinal))
        d += timedelta(days=1)
    with transaction.atomic():
        WorkingDay.objects.all().delete()
        WorkingDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def calendar_ensure() -> bool:
    """Make sure the calendar covers every receipt date and today plus the
    years ahead; rebuild it (and the durations) when it does not. Returns
    True when it had to rebuild. Costs two indexed look-ups otherwise."""
    have = WorkingDay.objects.aggregate(lo=Min("date"), hi=Max("date"))
    first_case = CaseStat.objects.aggregate(lo=Min("received_date"))["lo"]
    need_lo = min(filter(None, [_calendar_start(), first_case]))
    need_hi = date(timezone.localdate().year + 1, 12, 31)
    if have["lo"] is not None and have["lo"] <= need_lo and have["hi"] >= need_hi:
        return False
    calendar_rebuild(start=need_lo)
    case_stats_refresh()
    return True


# ------------------------------------------------------------ case rows


def _local_date_sql(column: str) -> str:
    tz = settings.KONTAKT_LOCAL_TIME_ZONE
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{tz}')::date"
    if connection.vendor == "sqlite":
        # Django registers this function on every SQLite connection.
        return f"django_datetime_cast_date({column}, '{tz}', 'UTC')"
    raise NotImplementedError(connection.vendor)


def _upsert_sql(where: str) -> str:
    c, ct, wd, cs = Case._meta.db_table, Contact._meta.db_table, WorkingDay._meta.db_table, CaseStat._meta.db_table
    sv = SatisfactionSurvey._meta.db_table
    closed = f"c.status = '{Case.Status.CLOSED}'"
    columns = [
        "case_id",
        "received_date",
        "unit_id",
        "category_id",
        "kind",
        "subtype",
        "channel",
        "resolution",
        "is_closed",
        "answerable",
        "due_date",
        "answered",
        "answered_in_time",
        "closed_in_time",
        "answer_days",
        "close_days",
        "original_due_date",
        "extended",
        "answered_in_time_original",
        "closed_in_time_original",
        "survey_asked",
        "survey_score",
        "survey_got_answer",
    ]
    updates = ", ".join(f"{col} = EXCLUDED.{col}" for col in columns[1:] if col != "answerable")
    # A disposed case has lost what answerable is derived from: keep it.
    updates += f", answerable = CASE WHEN {cs}.disposed THEN {cs}.answerable ELSE EXCLUDED.answerable END"
    return f"""
        INSERT INTO {cs} ({", ".join(columns)}, disposed)
        SELECT
            c.id, c.received_date, c.unit_id, c.category_id, c.kind,
            {CaseType.sql("c.kind", "c.feedback_type")},
            c.channel, c.resolution,
            {closed},
            (c.first_answered_at IS NOT NULL OR c.citizen_id IS NOT NULL OR EXISTS (
                SELECT 1 FROM {ct} ct WHERE ct.case_id = c.id
                AND (ct.email <> '' OR ct.phone <> '' OR ct.address <> ''))),
            c.due_date,
            c.first_answered_at IS NOT NULL,
            c.answered_in_time,
            CASE WHEN {closed} THEN c.closed_in_time END,
            wa.ordinal - wr.ordinal,
            CASE WHEN {closed} THEN wc.ordinal - wr.ordinal END,
            c.original_due_date,
            c.due_date > c.original_due_date,
            c.answered_in_time_original,
            CASE WHEN {closed} THEN c.closed_in_time_original END,
            sv.id IS NOT NULL,
            CASE WHEN sv.answered_at IS NOT NULL THEN sv.score END,
            CASE WHEN sv.answered_at IS NOT NULL THEN sv.got_answer ELSE '' END,
            FALSE
        FROM {c} c
        LEFT JOIN {sv} sv ON sv.case_id = c.id
        LEFT JOIN {wd} wr ON wr.date = c.received_date
        LEFT JOIN {wd} wa ON wa.date = {_local_date_sql("c.first_answered_at")}
        LEFT JOIN {wd} wc ON wc.date = {_local_date_sql("c.closed_at")}
        WHERE {where}
        ON CONFLICT (case_id) DO UPDATE SET {updates}
        RETURNING received_date
    """


def case_stats_refresh_ids(case_ids: list[int]) -> None:
    """Bring these cases' rows up to date. Called inside the transaction
    that changed the cases, so the statistics never disagree with them."""
    if not case_ids:
        return
    upsert = _upsert_sql(f"c.id IN ({', '.join(['%s'] * len(case_ids))})")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: the rows and their months marked dirty.
            dm = DirtyMonth._meta.db_table
            cursor.execute(
                f"WITH up AS ({upsert}) INSERT INTO {dm} (month, version) "
                f"SELECT DISTINCT date_trunc('month', received_date)::date, 1 FROM up "
                f"ON CONFLICT (month) DO UPDATE SET version = {dm}.version + 1",
                list(case_ids),
            )
            return
        cursor.execute(upsert, list(case_ids))
        months = {_as_date(row[0]).replace(day=1) for row in cursor.fetchall()}
    for month in sorted(months):
        summary.mark_dirty(month)


def case_stats_freeze(case_ids: list[int]) -> None:
    """The cases are being disposed of: keep their rows' answerable as it
    is now, whatever later refreshes find on the scrubbed case."""
    CaseStat.objects.filter(case_id__in=case_ids).update(disposed=True)


def case_stats_refresh(*, received_to: date | None = None, touched_from: date | None = None) -> int:
    """Recompute the rows of all cases, or of the cases received on or before
    received_to that were answered or closed on or after touched_from (the
    ones whose durations a calendar change can move)."""
    where, params = ["1 = 1"], []
    if received_to is not None:
        where.append("c.received_date <= %s")
        params.append(received_to)
    if touched_from is not None:
        # A day's margin covers the local-date shift of the UTC timestamps.
        since = timezone.make_aware(datetime.combine(touched_from - timedelta(days=1), time.min))
        where.append("(c.first_answered_at >= %s OR c.closed_at >= %s)")
        params += [since, since]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_upsert_sql(" AND ".join(where)), params)
        months = {_as_date(r[0]).replace(day=1) for r in cursor.fetchall()}
        for month in sorted(months):
            summary.mark_dirty(month)
        return len(months)


def calendar_changed(*, start: date, end: date) -> None:
    """A pause period covering start..end was added, changed or removed."""
    calendar_rebuild(start=min(_calendar_start(), start))
    case_stats_refresh(received_to=end, touched_from=start)


def _as_date(value) -> date:
    # SQLite hands back dates in raw SQL as text.
    return date.fromisoformat(value) if isinstance(value, str) else value
