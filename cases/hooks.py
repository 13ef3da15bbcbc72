"""The domain events of cases: the one hook the apps above cases (the
statistics, the access log) listen to, instead of model signals.

The services in cases/services.py send these themselves, inside the
transaction that made the change and after writing it, so a receiver that
writes its own rows does so in the same transaction (a rollback undoes
both). A `queryset.update()` in a service is followed by an explicit send
naming the changed ids, so no change goes unheard. Receivers are connected in
their app's AppConfig.ready() (stats: StatsConfig.ready()).

- `cases_changed(case_ids)`: the stored facts of these cases changed
  (registered, any change through the shared save helper, contact details,
  deadline flags, disposal). `disposing=True` is sent once by case_dispose
  before it removes the personal data: a listener freezes what it derives
  from that data now (statistics keep "could be answered").
- `calendar_changed(start, end)`: the working-day calendar changed between
  start and end (a pause period saved or deleted; the range covers the old
  and the new dates).
- `case_read(user, case, attachment)`: a member of staff was shown a case's
  text and contact details (attachment None) or downloaded one of its
  attachments; sent by the back-office views. A receiver that fails fails the
  request (records: the access log, connected in RecordsConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.dispatch import Signal

cases_changed = Signal()  # case_ids: list[int], disposing: bool
calendar_changed = Signal()  # start: date, end: date
case_read = Signal()  # user: User, case: Case, attachment: Attachment | None


def send_cases_changed(case_ids: Iterable[int], *, disposing: bool = False) -> None:
    ids = sorted(set(case_ids))
    if ids:
        cases_changed.send(sender=None, case_ids=ids, disposing=disposing)


def send_calendar_changed(*, start: date, end: date) -> None:
    calendar_changed.send(sender=None, start=start, end=end)
