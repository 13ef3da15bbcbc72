"""Read queries of the notifications pages and tasks, shaped so that a list
runs a fixed number of queries whatever its length."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case, UnitMembership
from cases.permissions import cases_visible_to, content_visible_q, is_administrator, is_staff_user
from notifications.models import OutboundMessage


def failed_messages_for(user) -> QuerySet[OutboundMessage]:
    """Messages that could not be sent: all of them for administrators; for
    other staff those of the cases they may see (cases.permissions
    .cases_visible_to); none for anyone else."""
    rows = (
        OutboundMessage.objects.filter(status__in=OutboundMessage.FAILED_STATUSES)
        .select_related("case", "case__unit")
        .order_by("-updated_at", "-pk")
    )
    if not is_staff_user(user):
        return rows.none()
    # The address and the error name the sender: for a secret case only
    # those who may read its content see them.
    rows = rows.annotate(
        content_visible=Q(case__isnull=True)
        | Exists(Case.objects.filter(content_visible_q(user), pk=OuterRef("case_id")))
    )
    if is_administrator(user):
        return rows
    return rows.filter(case__in=cases_visible_to(user))


def digest_recipients() -> list[tuple[object, list[Case]]]:
    """Each staff member with an e-mail address and the open cases flagged
    near deadline or overdue that they answer for: the cases assigned to
    them; as a unit head, all their units' cases; as a case officer, their
    units' cases that nobody has been assigned."""
    flagged = list(
        Case.objects.filter(
            status__in=Case.OPEN_STATUSES, deadline_flag__in=(Case.DeadlineFlag.NEAR, Case.DeadlineFlag.OVERDUE)
        )
        .select_related("category", "unit", "assignee")
        .order_by("due_date", "number")
    )
    if not flagged:
        return []
    memberships = UnitMembership.objects.filter(
        unit_id__in={case.unit_id for case in flagged}, user__is_active=True
    ).select_related("user")
    heads, officers = defaultdict(list), defaultdict(list)
    for membership in memberships:
        (heads if membership.role == UnitMembership.Role.HEAD else officers)[membership.unit_id].append(membership.user)
    users, cases_of = {}, defaultdict(dict)

    def add(user, case):
        if user is None or not user.is_active or user.is_citizen or not user.email:
            return
        users[user.pk] = user
        cases_of[user.pk][case.pk] = case

    for case in flagged:
        add(case.assignee, case)
        for head in heads[case.unit_id]:
            add(head, case)
        if case.assignee_id is None:
            for officer in officers[case.unit_id]:
                add(officer, case)
    return [(users[pk], list(cases_of[pk].values())) for pk in sorted(users)]
