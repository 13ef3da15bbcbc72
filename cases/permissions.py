"""Who may see and do what, in one place. List views filter with
cases_visible_to(user); detail views use get_object_or_404 on it, so a case
someone may not see answers 404. The portal uses cases_of_citizen(user)."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.models import Case, UnitMembership


class Role:
    """Django group names. Unit roles (officer, head) come from UnitMembership,
    department heads from Department.heads."""

    ADMINISTRATOR = "Administratör"
    CITIZEN_SERVICE = "Medborgarservice"
    STATISTICS_READER = "Statistikläsare"

    ALL = (ADMINISTRATOR, CITIZEN_SERVICE, STATISTICS_READER)


def _groups(user) -> set[str]:
    cached = getattr(user, "_kontakt_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._kontakt_groups = cached
    return cached


def is_staff_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_citizen)


def is_administrator(user) -> bool:
    return is_staff_user(user) and (user.is_superuser or Role.ADMINISTRATOR in _groups(user))


def is_citizen_service(user) -> bool:
    return is_staff_user(user) and Role.CITIZEN_SERVICE in _groups(user)


def can_read_statistics(user) -> bool:
    return is_staff_user(user)


def has_case_access(user) -> bool:
    """False for a statistics reader with no unit, department or desk role."""
    if not is_staff_user(user):
        return False
    if is_administrator(user) or is_citizen_service(user):
        return True
    return user.unit_memberships.exists() or user.headed_departments.exists()


def cases_visible_to(user) -> QuerySet[Case]:
    if not is_staff_user(user):
        return Case.objects.none()
    if is_administrator(user):
        return Case.objects.all()
    rule = Q(unit__memberships__user=user) | Q(assignee=user) | Q(unit__department__heads=user)
    if is_citizen_service(user):
        # The desk triages every new case and follows what it registered.
        rule |= Q(status=Case.Status.NEW) | Q(registered_by=user)
    # Subquery on ids, so joins over memberships never duplicate rows.
    return Case.objects.filter(pk__in=Case.objects.filter(rule).values("pk"))


def can_work_on(user, case: Case) -> bool:
    """Route, assign, note, answer, close, reopen. Department heads read only."""
    if is_administrator(user) or case.assignee_id == user.pk:
        return True
    if is_citizen_service(user) and (case.status == Case.Status.NEW or case.registered_by_id == user.pk):
        return True
    return UnitMembership.objects.filter(unit_id=case.unit_id, user=user).exists()


def is_unit_head(user, unit_id: int) -> bool:
    return UnitMembership.objects.filter(unit_id=unit_id, user=user, role=UnitMembership.Role.HEAD).exists()


def cases_of_citizen(user) -> QuerySet[Case]:
    if not (user and user.is_authenticated and user.is_citizen):
        return Case.objects.none()
    return Case.objects.filter(citizen=user)


def ensure_groups() -> None:
    """The role groups exist after every migrate (and after a test flush)."""
    from django.contrib.auth.models import Group

    for name in Role.ALL:
        Group.objects.get_or_create(name=name)
