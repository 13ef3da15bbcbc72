"""The monthly report: on the first working day of a month, the previous
month's overview is e-mailed to the communications department through
the notifications outbox (one message per recipient). Celery beat
runs the task every morning (CELERY_BEAT_SCHEDULE); the task itself decides
whether today is the day, and MonthlyReport makes it send once per month."""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from urllib.parse import urlencode

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases.permissions import Role
from notifications.models import Channel, OutboundMessage, TemplateKey
from notifications.services import message_enqueue
from stats import maintenance, selectors, summaries, summary, tables
from stats.models import MonthlyReport
from stats.periods import Period, is_first_working_day_of_month
from stats.selectors import Filters

log = logging.getLogger(__name__)


def report_recipients() -> list[str]:
    configured = list(getattr(settings, "KONTAKT_STATS_REPORT_EMAIL", []) or [])
    admins = (
        get_user_model()
        .objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True, kind="staff")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    seen, out = set(), []
    for address in [*configured, *admins]:
        if address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def monthly_report_send(*, today: date) -> bool:
    """Queue last month's report if today is the first working day of the
    month and it has not been queued. Returns True when it queued one."""
    if not is_first_working_day_of_month(today):
        return False
    period = Period.last_full_month(today)
    recipients = report_recipients()
    if not recipients:
        log.warning("Monthly statistics report for %s: no recipients configured", f"{period.start:%Y-%m}")
        return False
    try:
        with transaction.atomic():
            # The unique month makes a second run (or a second worker) stop
            # here. The messages are written to the outbox in the same
            # transaction and sent (and retried) by the outbox after commit.
            MonthlyReport.objects.create(month=period.start, sent_at=timezone.now(), recipients=", ".join(recipients))
            _enqueue(period, recipients, today)
    except IntegrityError:
        return False
    return True


def _enqueue(period: Period, recipients: list[str], today: date) -> None:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        figures = selectors.overview(period=period, filters=Filters(), today=today)
        table = tables.overview_table(figures, period=period, filters=Filters(), links=False)
        context = {
            "period": str(period.label),
            "dates": str(period.dates),
            "figures": [[str(row[0].text), str(row[1].text)] for row in table.rows],
            "url": f"{settings.SITE_URL}{reverse('stats:overview')}?{urlencode(period.query())}",
            "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        }
    for address in recipients:
        digest = hashlib.sha256(address.lower().encode()).hexdigest()[:24]
        message_enqueue(
            channel=Channel.EMAIL,
            recipient=address,
            template_key=TemplateKey.STATS_MONTHLY,
            language=language,
            context=context,
            kind=OutboundMessage.Kind.STAFF,
            dedupe_key=f"stats-monthly:{period.start:%Y-%m}:{digest}",
        )


@shared_task(name="stats.monthly_report")
def monthly_report(today: str | None = None) -> bool:
    day = date.fromisoformat(today) if today else timezone.localdate()
    return monthly_report_send(today=day)


@shared_task(name="stats.department_summaries")
def department_summaries(today: str | None = None) -> int:
    """Every morning (beat); sends only on the month's first working day."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return summaries.department_summaries_send(today=day)


@shared_task(name="stats.summary_refresh")
def summary_refresh() -> int:
    """Make sure the working-day calendar reaches today and every receipt
    date (rebuilding it and the durations when not), then rebuild the
    summary of the months changed since the last run. Pages count those
    months live meanwhile, so this only keeps them fast."""
    maintenance.calendar_ensure()
    return summary.summary_refresh()
