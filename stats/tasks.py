"""The monthly report: on the first working day of a month, the previous
month's overview is e-mailed to the communications department. Celery beat
runs the task every morning (CELERY_BEAT_SCHEDULE); the task itself decides
whether today is the day, and MonthlyReport makes it send once per month."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases import deadlines
from cases.permissions import Role
from stats import selectors, tables
from stats.models import MonthlyReport
from stats.periods import Period
from stats.selectors import Filters

log = logging.getLogger(__name__)


def is_first_working_day_of_month(day: date) -> bool:
    calendar = deadlines.current_calendar()
    if not calendar.is_working_day(day):
        return False
    d = day.replace(day=1)
    while d < day:
        if calendar.is_working_day(d):
            return False
        d += timedelta(days=1)
    return True


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
    """Send last month's report if today is the first working day of the
    month and it has not been sent. Returns True when it sent one."""
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
            # here; the row is committed only if the e-mail went out.
            MonthlyReport.objects.create(month=period.start, sent_at=timezone.now(), recipients=", ".join(recipients))
            _send(period, recipients, today)
    except IntegrityError:
        return False
    return True


def _send(period: Period, recipients: list[str], today: date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        figures = selectors.overview(period=period, filters=Filters(), today=today)
        table = tables.overview_table(figures, period=period, filters=Filters(), links=False)
        url = f"{settings.SITE_URL}/statistik/?period=month&manad={period.start:%Y-%m}"
        context = {"period": period, "table": table, "url": url, "municipality": settings.KONTAKT_MUNICIPALITY_NAME}
        subject = render_to_string("stats/email/monthly_subject.txt", context).strip()
        text = render_to_string("stats/email/monthly.txt", context)
        html = render_to_string("stats/email/monthly.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="stats.monthly_report")
def monthly_report(today: str | None = None) -> bool:
    day = date.fromisoformat(today) if today else timezone.localdate()
    return monthly_report_send(today=day)


@shared_task(name="stats.summary_refresh")
def summary_refresh() -> int:
    """Rebuild the summary of the months changed since the last run. Pages
    count those months live meanwhile, so this only keeps them fast."""
    from stats import summary

    return summary.summary_refresh()
