"""The public form's rate limit: a limit per browser session (the id in
the browser's receipts cookie) and a higher one per client address,
counted in the database (see docs/portal.md).

Each count is one atomic statement (INSERT ... ON CONFLICT DO UPDATE ...
RETURNING, on PostgreSQL and SQLite alike), so simultaneous posts never get
more than the limit through, and the limit holds when Redis is down: it
needs nothing the case itself does not need. A window starts with the first
submission and lasts WINDOW; the citizen is told when it ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime

from core.network import client_address
from portal.models import SubmissionCount
from portal.receipts import receipts_of

WINDOW = timedelta(hours=1)


class Scope:
    SESSION = "session"
    ADDRESS = "address"
    # Requests to the tracking link's page, per client address.
    TRACKING = "tracking"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Which limit was reached, and when sending works again.
    scope: str = ""
    retry_at: datetime | None = None


def _key(scope: str, value: str) -> str:
    # A keyed hash: the table holds no readable addresses or session ids,
    # and addresses cannot be recovered by hashing the whole IPv4 space.
    return salted_hmac("portal.ratelimit", f"{scope}:{value}", algorithm="sha256").hexdigest()


def _as_datetime(value: datetime | str) -> datetime:
    # PostgreSQL returns a datetime, SQLite the stored text (UTC).
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    parsed = parse_datetime(value)
    assert parsed is not None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _count(keys: list[str], now: datetime) -> dict[str, tuple[int, datetime]]:
    """Add one to each key's window (a new window when the last one has
    ended) and return each key's new count and window start: one statement,
    so one round trip and row locks held only for that statement. Rows are
    locked in the order given; callers always give the address first."""
    table = connection.ops.quote_name(SubmissionCount._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    ended = adapt(now - WINDOW)
    values = ", ".join(["(%s, %s, 1)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES {values} "
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_start <= %s THEN 1 ELSE {table}.count + 1 END, "
            f"window_start = CASE WHEN {table}.window_start <= %s "
            f"THEN excluded.window_start ELSE {table}.window_start END "
            f"RETURNING key, count, window_start",
            [*(v for key in keys for v in (key, adapt(now))), ended, ended],
        )
        return {key: (count, _as_datetime(start)) for key, count, start in cursor.fetchall()}


def submission_take(request: HttpRequest) -> Verdict:
    """Count one submission for the client address and the browser (the
    id in its receipts cookie, portal/receipts.py, which lasts until the
    browser closes); allowed while both are within their limits. Refused
    submissions count too (they never move a window's start, so never the
    time given to wait).

    A browser without the cookie (its first submission, or a program that
    keeps no cookies) gets a new id, counted from 1: a program that drops
    its cookies meets only the address limit, as it would with sessions."""
    limits = [
        (
            Scope.ADDRESS,
            _key(Scope.ADDRESS, client_address(request)),
            settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR,
        ),
        (
            Scope.SESSION,
            _key(Scope.SESSION, receipts_of(request).browser),
            settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR,
        ),
    ]
    counts = _count([key for _, key, _ in limits], timezone.now())
    for scope, key, limit in limits:
        count, start = counts[key]
        if count > limit:
            return Verdict(False, scope, start + WINDOW)
    return Verdict(True)


def tracking_take(request: HttpRequest) -> Verdict:
    """Count one request to the tracking link's page for the client address
    (portal/tracking.py): every request counts, known token or not, so
    tokens cannot be tried in bulk from one address. Its own window, apart
    from the form's."""
    key = _key(Scope.TRACKING, client_address(request))
    count, start = _count([key], timezone.now())[key]
    if count > settings.KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR:
        return Verdict(False, Scope.TRACKING, start + WINDOW)
    return Verdict(True)


def counts_purge(*, now: datetime | None = None) -> int:
    """Delete the windows that have ended (a beat task, hourly)."""
    deleted, _ = SubmissionCount.objects.filter(window_start__lte=(now or timezone.now()) - WINDOW).delete()
    return deleted
