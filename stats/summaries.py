"""The monthly summary for each department head (förvaltningschef): on the
first working day of a month, the department's figures for the month before
(received, answered, closed, in time), how many of its cases are overdue
right now, and links to the statistics and to those cases. One e-mail per
head through the outbox (notifications.services.messages_enqueue), queued
once per month and head (the outbox's dedupe key); celery beat runs the task
every morning and the task decides whether today is the day."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case, Department
from notifications import selectors as outbox
from notifications.choices import Channel, TemplateKey
from notifications.models import OutboundMessage
from notifications.services import MessageRequest, messages_enqueue
from stats import selectors, tables
from stats.periods import Period, is_first_working_day_of_month
from stats.selectors import Filters


@dataclass(frozen=True)
class Satisfaction:
    """How satisfied the senders were, when the survey has answers."""

    answers: int
    score: str  # as the summary says it, e.g. "4,2 av 5"


def department_satisfaction(*, department: Department, period: Period) -> Satisfaction | None:
    """The hook for the senders' satisfaction survey: it returns the
    department's result for the period here, and the summary shows it (the
    message templates have a line for it). None until the survey exists."""
    return None


def overdue_now(department: Department, today: date) -> int:
    """The department's open cases past their due date, whenever received."""
    return Case.objects.filter(unit__department=department, status__in=Case.OPEN_STATUSES, due_date__lt=today).count()


def _heads() -> list[tuple[Department, list[User]]]:
    heads = User.objects.filter(is_active=True, kind=User.Kind.STAFF).exclude(email="").order_by("pk")
    departments = Department.objects.filter(is_active=True).prefetch_related(Prefetch("heads", queryset=heads))
    return [(department, list(department.heads.all())) for department in departments if department.heads.all()]


def _dedupe_key(period: Period, department: Department, user: User) -> str:
    digest = hashlib.sha256(user.email.lower().encode()).hexdigest()[:16]
    return f"dept-summary:{period.start:%Y-%m}:{department.pk}:{digest}"


def _context(department: Department, period: Period, today: date) -> dict:
    filters = Filters(department=department)
    figures = selectors.overview(period=period, filters=filters, today=today)
    # The head reads every case of the department: small counts are shown
    # as they are, not as "<3" as in the statistics' breakdowns.
    cells = tables.figure_cells(figures, mask=False, drill=None)
    satisfaction = department_satisfaction(department=department, period=period)
    site = settings.SITE_URL
    query = urlencode({**period.query(), **filters.query()})
    return {
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "department": department.name,
        "period": str(period.label),
        "dates": str(period.dates),
        "figures": [[str(label), str(cell.text)] for label, cell in zip(tables.figure_headers(), cells, strict=True)],
        "overdue_now": overdue_now(department, today),
        "satisfaction": (
            _("%(score)s (%(answers)d answers)") % {"score": satisfaction.score, "answers": satisfaction.answers}
            if satisfaction
            else ""
        ),
        "stats_url": f"{site}{reverse('stats:overview')}?{query}",
        "units_url": f"{site}{reverse('stats:breakdown', args=['enhet'])}?{query}",
        "overdue_url": f"{site}{reverse('cases:list')}?{urlencode({'queue': 'overdue', 'department': department.pk})}",
    }


def department_summaries_send(*, today: date) -> int:
    """Queue last month's summary to every department head who has not had
    it, if today is the first working day of the month. Returns how many
    messages were queued."""
    if not is_first_working_day_of_month(today):
        return 0
    period = Period.last_full_month(today)
    language = settings.LANGUAGE_CODE
    queued = 0
    for department, heads in _heads():
        wanted = [user for user in heads if not outbox.message_queued(dedupe_key=_dedupe_key(period, department, user))]
        if not wanted:
            continue
        with translation.override(language):
            context = _context(department, period, today)
        requests = [
            MessageRequest(
                channel=Channel.EMAIL,
                recipient=user.email,
                template_key=TemplateKey.STATS_DEPARTMENT,
                language=language,
                context={**context, "recipient_name": user.display_name},
                kind=OutboundMessage.Kind.STAFF,
                dedupe_key=_dedupe_key(period, department, user),
            )
            for user in wanted
        ]
        try:
            with transaction.atomic():
                queued += len(messages_enqueue(requests))
        except IntegrityError:  # another run queued them a moment ago
            continue
    return queued
