"""Disposal (gallring) and holds. Every change here goes through one
transaction; a disposal run handles its cases in batches, one transaction per
batch, so a failure leaves whole batches either disposed of or untouched."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import services as account_services
from cases import notices
from cases import services as case_services
from cases.models import Case, Contact
from notifications import services as outbox
from records import services as records_services
from retention import selectors
from retention.models import CaseHold, DisposalRun, DisposedCase

log = logging.getLogger(__name__)


class RetentionError(Exception):
    """A rule of retention was broken; the message is for the person who tried."""


# ------------------------------------------------------------------ holds


@transaction.atomic
def hold_place(*, case: Case, reason: str, by) -> CaseHold:
    if DisposedCase.objects.filter(case=case).exists():
        raise RetentionError(_("Case %(number)s has already been disposed of.") % {"number": case.number})
    return CaseHold.objects.create(case=case, reason=reason, placed_by=by, placed_at=timezone.now())


@transaction.atomic
def hold_release(*, hold: CaseHold, by) -> CaseHold:
    hold = CaseHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise RetentionError(_("The hold was already released."))
    hold.released_at, hold.released_by = timezone.now(), by
    hold.save(update_fields=["released_at", "released_by"])
    return hold


# --------------------------------------------------------------- disposal


def _answerable(case: Case) -> bool:
    """What stats.maintenance counts as answerable, read before the contact
    details and the citizen link go."""
    if case.first_answered_at is not None or case.citizen_id is not None:
        return True
    return Contact.objects.filter(case=case).exclude(email="", phone="", address="").exists()


def _scrub_outbox(case: Case) -> None:
    outbox.messages_scrub(subject_keys=[notices.subject_key(case)], text=case_services.DISPOSED_TEXT)


def _forget_citizens(user_ids: set[int]) -> int:
    """Citizens left without any case are forgotten (accounts.services)."""
    if not user_ids:
        return 0
    left = set(Case.objects.filter(citizen_id__in=user_ids).values_list("citizen_id", flat=True))
    return account_services.citizens_forget(user_ids=user_ids - left)


def _dispose_batch(case_ids: list[int], rule: selectors.Rule, run: DisposalRun, now: datetime) -> list[str]:
    numbers = []
    with transaction.atomic():
        # Read again under lock: a hold placed or a case reopened since the
        # list was made wins.
        due = selectors.cases_due(rule).filter(pk__in=case_ids).select_for_update()
        citizens = set()
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(
                "Personal data disposed of under the records management plan (%(years)s years after closing)."
            ) % {"years": rule.years}
        for case in due:
            DisposedCase.objects.create(case=case, run=run, disposed_at=now, answerable=_answerable(case))
            if case.citizen_id:
                citizens.add(case.citizen_id)
            _scrub_outbox(case)
            records_services.records_scrub(case=case)
            case_services.case_dispose(case=case, reason=reason)
            numbers.append(case.number)
        _forget_citizens(citizens)
        if numbers:
            run.count += len(numbers)
            run.case_numbers = [*run.case_numbers, *numbers]
            run.save(update_fields=["count", "case_numbers"])
    return numbers


def disposal_run(
    *, now: datetime | None = None, trigger: str = DisposalRun.Trigger.SCHEDULE, batch_size: int | None = None
) -> list[DisposalRun]:
    """Dispose of every case whose category's rule has passed. Logs one
    DisposalRun per category with cases due, or a single empty one when
    nothing was due, so the log shows the job ran."""
    now = now or timezone.now()
    batch_size = batch_size or settings.KONTAKT_RETENTION_BATCH_SIZE
    runs = []
    for rule in selectors.rules(now=now):
        ids = list(selectors.cases_due(rule).values_list("pk", flat=True))
        if not ids:
            continue
        run = DisposalRun.objects.create(
            started_at=timezone.now(),
            trigger=trigger,
            category=rule.category,
            category_name=rule.category.name,
            retention_years=rule.years,
            closed_before=rule.closed_before,
        )
        for start in range(0, len(ids), batch_size):
            _dispose_batch(ids[start : start + batch_size], rule, run, now)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        log.info("disposal: category=%s years=%s cases=%s", rule.category.pk, rule.years, run.count)
        runs.append(run)
    if not runs:
        started = timezone.now()
        runs.append(DisposalRun.objects.create(started_at=started, finished_at=started, trigger=trigger, count=0))
    return runs
