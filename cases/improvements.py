"""Improvements made ("Du sa – vi gjorde"): an improvement an answer
suggested becomes an item with a title, an owning unit and a status
(proposed, planned, done), linked to every case that asked for it. Items
marked done can be published with a public text on the portal's page.

Every change is here, in one transaction each; linking a case notes it on
the case's timeline. Reads are the selectors at the end. An item is not a
case: it holds no sender's data, and its texts are written by staff (the
forms say to name no one). Who may do what: cases.permissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import deadlines, timeline
from cases.models import Answer, Case, Department, Improvement, ImprovementCase, Unit


class ImprovementError(Exception):
    """A rule of improvements was broken; the message is for the person who tried."""


def improvement_link(
    *, improvement: Improvement, case: Case, by: User, answer: Answer | None = None, at: datetime | None = None
) -> ImprovementCase:
    """Link a case that asked for the improvement; noted on the case's timeline."""
    at = at or timezone.now()
    try:
        with transaction.atomic():
            link = ImprovementCase.objects.create(
                improvement=improvement, case=case, answer=answer, linked_at=at, linked_by=by
            )
            timeline.event_append(
                case=case,
                payload=timeline.ImprovementLinked(improvement=improvement.pk),
                actor=by,
                text=improvement.title,
                at=at,
            )
    except IntegrityError:
        raise ImprovementError(
            _("Case %(number)s is already linked to this improvement.") % {"number": case.number}
        ) from None
    return link


@transaction.atomic
def improvement_create(
    *,
    title: str,
    unit: Unit,
    by: User,
    description: str = "",
    answer: Answer | None = None,
    at: datetime | None = None,
) -> Improvement:
    """A new item, proposed; linked to the case of `answer` when it comes
    from an answer's suggested improvement."""
    at = at or timezone.now()
    improvement = Improvement.objects.create(
        title=title, unit=unit, description=description, created_by=by, created_at=at
    )
    if answer is not None:
        improvement_link(improvement=improvement, case=answer.case, answer=answer, by=by, at=at)
    return improvement


@transaction.atomic
def improvement_update(
    *,
    improvement: Improvement,
    title: str,
    unit: Unit,
    status: str,
    description: str,
    by: User,
    at: datetime | None = None,
) -> Improvement:
    """Change an item. Marking it done records the day; moving it away from
    done takes it off the public page."""
    at = at or timezone.now()
    item = Improvement.objects.select_for_update().get(pk=improvement.pk)
    item.title, item.unit, item.description = title, unit, description
    if status == Improvement.Status.DONE and item.status != Improvement.Status.DONE:
        item.done_on = deadlines.local_date(at)
    if status != Improvement.Status.DONE:
        item.done_on = None
        item.published_at = None
    item.status = status
    item.save()
    return item


@transaction.atomic
def improvement_publish(
    *, improvement: Improvement, public_text: str, by: User, at: datetime | None = None
) -> Improvement:
    """Show a done item on the public page with its public text (written
    for the public; no personal data). Publishing again changes the text."""
    item = Improvement.objects.select_for_update().get(pk=improvement.pk)
    if item.status != Improvement.Status.DONE:
        raise ImprovementError(_("Only an improvement that is done can be published."))
    if not public_text.strip():
        raise ImprovementError(_("Write the public text first."))
    item.public_text = public_text.strip()
    if item.published_at is None:
        item.published_at = at or timezone.now()
    item.save(update_fields=["public_text", "published_at", "updated_at"])
    return item


@transaction.atomic
def improvement_unpublish(*, improvement: Improvement, by: User) -> Improvement:
    item = Improvement.objects.select_for_update().get(pk=improvement.pk)
    item.published_at = None
    item.save(update_fields=["published_at", "updated_at"])
    return item


# ---------------------------------------------------------------- selectors


@dataclass(frozen=True)
class ImprovementFilters:
    status: str = ""
    unit: Unit | None = None
    department: Department | None = None
    q: str = ""

    def apply(self, qs: QuerySet[Improvement]) -> QuerySet[Improvement]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.unit is not None:
            qs = qs.filter(unit=self.unit)
        if self.department is not None:
            qs = qs.filter(unit__department=self.department)
        if self.q:
            qs = qs.filter(Q(title__icontains=self.q) | Q(description__icontains=self.q))
        return qs


def improvements_list(filters: ImprovementFilters) -> QuerySet[Improvement]:
    """The back office's list: each item with its unit, department and the
    number of linked cases, in one query whatever its length."""
    return (
        filters.apply(Improvement.objects.all())
        .select_related("unit", "unit__department")
        .annotate(case_count=Count("links"))
        .order_by("-created_at", "-id")
    )


def improvement_case_numbers(items: list[Improvement], visible: QuerySet[Case]) -> dict[int, list[str]]:
    """{item id: numbers of its linked cases that `visible` holds}, in one
    query: a case the reader may not see is counted but not named."""
    rows = (
        ImprovementCase.objects.filter(improvement__in=[i.pk for i in items], case__in=visible)
        .order_by("case__number")
        .values_list("improvement_id", "case__number")
    )
    out: dict[int, list[str]] = {}
    for item_id, number in rows:
        out.setdefault(item_id, []).append(number)
    return out


def improvements_published() -> QuerySet[Improvement]:
    """What the public page shows: done and published, newest first."""
    return (
        Improvement.objects.filter(status=Improvement.Status.DONE, published_at__isnull=False)
        .select_related("unit", "unit__department")
        .order_by("-done_on", "-published_at", "-id")
    )
