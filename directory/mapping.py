"""From directory groups to Kontakt's roles and units.

For an account from the directory (accounts.StaffIdentity), the directory
decides: its role groups (cases.permissions.Role), unit memberships and
department headships are exactly what its groups map to (GroupMapping),
recomputed at every sign-in and every provisioning change. Leaving a group in
Entra ID therefore removes the right at the next sign-in (or at once, with
provisioning). Groups that are not roles are left alone, and so are local
accounts (break-glass administrators).

An account whose groups map to nothing stays a member of staff with only
EVERY_EMPLOYEE_ROLES: it can sign in and nothing more until the every-employee
role exists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from cases.models import Department, UnitMembership
from cases.permissions import Role
from directory.models import GroupMapping

# The Kontakt roles (Django group names, cases.permissions.Role) that every
# account from the directory holds whatever its groups: the "every employee"
# role that lets any employee register a case received orally. Name it here
# when it exists in cases.permissions.Role (and in Role.ALL); until then an
# employee with no mapped group has a minimal staff account with no role.
EVERY_EMPLOYEE_ROLES: tuple[str, ...] = ()

# The administrator role also opens Django's admin (as for the demo's administrator).
ADMIN_SITE_ROLE = Role.ADMINISTRATOR


@dataclass
class Standing:
    """What an account's groups give it."""

    roles: set[str] = field(default_factory=set)
    units: dict[int, str] = field(default_factory=dict)  # unit id → UnitMembership.Role
    departments: set[int] = field(default_factory=set)  # departments headed


def standing_for(group_object_ids: Iterable[str]) -> Standing:
    wanted = {gid.strip().lower() for gid in group_object_ids if gid}
    standing = Standing(roles=set(EVERY_EMPLOYEE_ROLES))
    mappings = GroupMapping.objects.all() if wanted else GroupMapping.objects.none()
    for mapping in mappings:
        if mapping.group_object_id.strip().lower() not in wanted:
            continue
        if mapping.kind == GroupMapping.Kind.ROLE and mapping.role in Role.ALL:
            standing.roles.add(mapping.role)
        elif mapping.kind == GroupMapping.Kind.UNIT and mapping.unit_id is not None:
            # A head of the unit is also its member: the higher role wins.
            current = standing.units.get(mapping.unit_id)
            if current != UnitMembership.Role.HEAD:
                standing.units[mapping.unit_id] = mapping.unit_role
        elif mapping.kind == GroupMapping.Kind.DEPARTMENT_HEAD and mapping.department_id is not None:
            standing.departments.add(mapping.department_id)
    return standing


@transaction.atomic
def standing_apply(user: User, group_object_ids: Iterable[str]) -> Standing:
    """Make the account's roles, units and headships what its groups give."""
    standing = standing_for(group_object_ids)

    managed = {group.name: group for group in Group.objects.filter(name__in=Role.ALL)}
    for name in standing.roles - set(managed):
        managed[name], _created = Group.objects.get_or_create(name=name)
    held = set(user.groups.filter(name__in=list(managed)).values_list("name", flat=True))
    user.groups.remove(*[managed[name] for name in held - standing.roles])
    user.groups.add(*[managed[name] for name in standing.roles - held])

    memberships = {m.unit_id: m for m in UnitMembership.objects.filter(user=user)}
    for unit_id, membership in memberships.items():
        if unit_id not in standing.units:
            membership.delete()
        elif membership.role != standing.units[unit_id]:
            membership.role = standing.units[unit_id]
            membership.save(update_fields=["role"])
    UnitMembership.objects.bulk_create(
        [
            UnitMembership(unit_id=unit_id, user=user, role=role)
            for unit_id, role in standing.units.items()
            if unit_id not in memberships
        ]
    )

    headed = set(Department.heads.through.objects.filter(user=user).values_list("department_id", flat=True))
    Department.heads.through.objects.filter(user=user, department_id__in=headed - standing.departments).delete()
    Department.heads.through.objects.bulk_create(
        [Department.heads.through(user=user, department_id=dept) for dept in standing.departments - headed]
    )

    admin_site = ADMIN_SITE_ROLE in standing.roles
    if user.is_staff != admin_site or user.is_superuser != admin_site:
        user.is_staff = user.is_superuser = admin_site
        user.save(update_fields=["is_staff", "is_superuser"])
    return standing
