"""Who may see and do what, in one place. List views filter with
cases_visible_to(user); detail views use get_object_or_404 on it, so a case
someone may not see answers 404. The portal uses cases_of_citizen(user)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from accounts.models import User
from cases.models import AccessGrant, Attachment, Case, Department, SecrecyMark, Unit, UnitMembership
from core.access import is_staff_user
from core.memo import PerObject

# Who is asking: a member of staff, a citizen or an anonymous visitor
# (request.user); every rule answers for each of them.
Viewer = User | AnonymousUser


class Role:
    """Django group names. Unit roles (officer, head) come from UnitMembership,
    department heads from Department.heads.

    EMPLOYEE is every employee's role: an account with it (and nothing
    else) registers cases received orally and follows them on "Ärenden jag
    registrerat". Staff signing in from the directory with no mapped group
    get it. PROCESS_OWNER is the communications department's: the public
    texts, subject areas, templates, pause periods and the staff guide,
    never users, secrecy or disposal."""

    ADMINISTRATOR = "Administratör"
    CITIZEN_SERVICE = "Medborgarservice"
    STATISTICS_READER = "Statistikläsare"
    EMPLOYEE = "Medarbetare"
    PROCESS_OWNER = "Processägare"

    ALL = (ADMINISTRATOR, CITIZEN_SERVICE, STATISTICS_READER, EMPLOYEE, PROCESS_OWNER)


# What the process owner may change in the admin: (app label, model) with
# the actions allowed. Everything else there (users, units, secrecy
# provisions, holds and disposal) answers 403.
PROCESS_OWNER_ADMIN_MODELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cases", "category"): ("view", "add", "change"),
    ("cases", "answertemplate"): ("view", "add", "change", "delete"),
    ("cases", "pauseperiod"): ("view", "add", "change", "delete"),
    ("cases", "excludedmatter"): ("view", "add", "change"),
    ("notifications", "messagetemplate"): ("view", "change"),
    ("portal", "page"): ("view", "change"),
    # The subject area's default unit is chosen from this list (autocomplete).
    ("cases", "unit"): ("view",),
}


@dataclass(frozen=True)
class _Standing:
    """What the user's roles rest on: their groups, the units they are a
    member of and those they head, the units of the departments they head,
    and the cases they were given the right to read."""

    groups: frozenset[str] = frozenset()
    member: frozenset[int] = frozenset()
    head: frozenset[int] = frozenset()
    department: frozenset[int] = frozenset()
    grants: frozenset[int] = frozenset()


def _standing_sql() -> str:
    groups = User.groups.through._meta
    heads = Department.heads.through._meta
    return f"""
        SELECT 'group', 0, g.name FROM {Group._meta.db_table} g
            JOIN {groups.db_table} ug ON ug.{groups.get_field("group").column} = g.id
            WHERE ug.{groups.get_field("user").column} = %s
        UNION ALL
        SELECT 'member', m.unit_id, m.role FROM {UnitMembership._meta.db_table} m WHERE m.user_id = %s
        UNION ALL
        SELECT 'department', u.id, '' FROM {Unit._meta.db_table} u
            JOIN {heads.db_table} h ON h.{heads.get_field("department").column} = u.department_id
            WHERE h.{heads.get_field("user").column} = %s
        UNION ALL
        SELECT 'grant', a.case_id, '' FROM {AccessGrant._meta.db_table} a
            WHERE a.user_id = %s AND a.revoked_at IS NULL
    """


def _read_standing(user: Viewer) -> _Standing:
    """One query, once per user object (core.memo), i.e. once per request."""
    if not (user and user.is_authenticated):
        return _Standing()
    found: dict[str, set[Any]] = {"group": set(), "member": set(), "head": set(), "department": set(), "grant": set()}
    with connection.cursor() as cursor:
        cursor.execute(_standing_sql(), [user.pk] * 4)
        for source, number, text in cursor.fetchall():
            if source == "group":
                found["group"].add(text)
                continue
            found[source].add(number)
            if source == "member" and text == UnitMembership.Role.HEAD:
                found["head"].add(number)
    return _Standing(
        groups=frozenset(found["group"]),
        member=frozenset(found["member"]),
        head=frozenset(found["head"]),
        department=frozenset(found["department"]),
        # Only staff read secret cases by a grant.
        grants=frozenset(found["grant"]) if is_staff_user(user) else frozenset(),
    )


_standing = PerObject(_read_standing)


def _groups(user: Viewer) -> frozenset[str]:
    return _standing(user).groups


def is_administrator(user: Viewer) -> bool:
    return is_staff_user(user) and (user.is_superuser or Role.ADMINISTRATOR in _groups(user))


def is_citizen_service(user: Viewer) -> bool:
    return is_staff_user(user) and Role.CITIZEN_SERVICE in _groups(user)


def is_process_owner(user: Viewer) -> bool:
    return is_staff_user(user) and Role.PROCESS_OWNER in _groups(user)


def is_employee(user: Viewer) -> bool:
    return is_staff_user(user) and Role.EMPLOYEE in _groups(user)


def can_edit_content(user: Viewer) -> bool:
    """The public texts, service messages and the staff guide."""
    return is_process_owner(user) or is_administrator(user)


def can_read_statistics(user: Viewer) -> bool:
    return is_staff_user(user)


def _unit_ids(user: Viewer) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(units the user is a member of, units they head, units of departments
    they head), read once per request (_standing)."""
    standing = _standing(user)
    return standing.member, standing.head, standing.department


def member_unit_ids(user: Viewer) -> frozenset[int]:
    return _unit_ids(user)[0]


def headed_unit_ids(user: Viewer) -> frozenset[int]:
    """The units the user is head of."""
    return _unit_ids(user)[1]


def visible_unit_ids(user: Viewer) -> frozenset[int]:
    """The units whose every case the user may read (the 'my units' queue)."""
    member, _head, department = _unit_ids(user)
    return member | department


def has_case_access(user: Viewer) -> bool:
    """False for a statistics reader with no unit, department or desk role,
    and for citizens."""
    if not is_staff_user(user):
        return False
    if is_administrator(user) or is_citizen_service(user):
        return True
    return bool(visible_unit_ids(user))


def can_register(user: Viewer) -> bool:
    """Every employee (Role.EMPLOYEE) and every member of staff who works on
    cases may register one received by phone, visit, letter, e-mail or social
    media. Department heads and statistics readers only read, unless they
    also have the employee role."""
    return is_administrator(user) or is_citizen_service(user) or is_employee(user) or bool(member_unit_ids(user))


def ids_in(field: str, values: Iterable[int]) -> Q:
    """field IN values, with the ids as bigint literals (the type of the case
    table's keys) on PostgreSQL. A plain integer parameter is an int4
    literal, which btree indexes compare across types but the GIN index of
    search (unit, case officer, search vector; btree_gin) cannot use: typed,
    a search within someone's units or cases finds its matches there."""
    values = sorted(values)
    if not values or connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    listed = Func(*(Cast(Value(value), BigIntegerField()) for value in values), template="%(expressions)s")
    return Q(Func(F(field), listed, template="%(expressions)s)", arg_joiner=" IN (", output_field=BooleanField()))


def cases_visible_to(user: Viewer) -> QuerySet[Case]:
    """Case officer and unit head: their units' cases and the cases assigned
    to them. Department head: every case of the department's units.
    Medborgarservice: in addition every new case and the cases it registered.
    Administrator: everything. Anyone else (statistics readers): nothing.

    The user's units are read once, so the filter is plain indexed
    conditions on the case table, fast at a million cases."""
    if not is_staff_user(user):
        return Case.objects.none()
    if is_administrator(user):
        return Case.objects.all()
    rule = ids_in("assignee_id", [user.pk] if user.pk is not None else [])
    units = visible_unit_ids(user)
    if units:
        rule |= ids_in("unit_id", units)
    if is_citizen_service(user):
        # The desk triages every new case and follows what it registered.
        rule |= Q(status=Case.Status.NEW) | Q(registered_by=user)
    granted = granted_case_ids(user)
    if granted:
        # Someone given the right to read a secret case finds it too.
        rule |= Q(pk__in=sorted(granted))
    return Case.objects.filter(rule)


def can_work_on_by_role(user: Viewer, case: Case) -> bool:
    """can_work_on without the secrecy right, for an action whose service
    checks that under its lock (cases.services._lock with a reader)."""
    if not is_staff_user(user):
        return False
    if is_administrator(user) or case.assignee_id == user.pk:
        return True
    if is_citizen_service(user) and (case.status == Case.Status.NEW or case.registered_by_id == user.pk):
        return True
    return case.unit_id in member_unit_ids(user)


def can_work_on(user: Viewer, case: Case) -> bool:
    """Route, note, answer, close, reopen. Department heads read only. A
    secret case is worked on only by those who may read it."""
    return can_work_on_by_role(user, case) and can_see_content(user, case)


def is_unit_head(user: Viewer, unit_id: int) -> bool:
    return is_staff_user(user) and unit_id in _unit_ids(user)[1]


def can_reassign(user: Viewer, case: Case) -> bool:
    """Give a case that someone else holds to another person: the unit's
    head, Medborgarservice while the case is new, and administrators."""
    if is_administrator(user) or is_unit_head(user, case.unit_id):
        return True
    return is_citizen_service(user) and case.status == Case.Status.NEW


def can_assign(user: Viewer, case: Case) -> bool:
    """Take an unassigned case or hand on one's own; reassignment otherwise."""
    if not can_work_on(user, case):
        return False
    if case.assignee_id is None or case.assignee_id == user.pk:
        return True
    return can_reassign(user, case)


def can_extend(user: Viewer, case: Case) -> bool:
    """Give one case a later due date (cases.services.case_extend): a unit
    head of the handling unit, or an administrator, who may work on it."""
    return can_work_on(user, case) and (is_administrator(user) or is_unit_head(user, case.unit_id))


# ------------------------------------------------------------- improvements
# "Du sa – vi gjorde" (cases.improvements): every member of staff with case
# access reads the list; an officer makes an item of a suggestion in an
# answer of a case they work on; the owning unit's members change it; its
# unit head or an administrator publishes it.


def can_edit_improvement(user: Viewer, unit_id: int) -> bool:
    return is_administrator(user) or unit_id in member_unit_ids(user)


def can_publish_improvement(user: Viewer, unit_id: int) -> bool:
    return is_administrator(user) or is_unit_head(user, unit_id)


# ------------------------------------------------------------------ secrecy
# A case or attachment with an active secrecy mark (cases.models.SecrecyMark)
# is read only by the members of the handling unit (case.unit) and those given
# the right explicitly (cases.models.AccessGrant). Everyone else who can see the
# case in a list sees that it exists, its number and dates, never its content.


def granted_case_ids(user: Viewer) -> frozenset[int]:
    """Cases the user was explicitly given the right to read; read once per request."""
    return _standing(user).grants


def _read_marks(case: Case) -> tuple[bool, frozenset[int]]:
    ids = list(SecrecyMark.objects.active().filter(case_id=case.pk).values_list("attachment_id", flat=True))
    return None in ids, frozenset(i for i in ids if i is not None)


# (the case itself is marked, ids of its marked attachments), read once per case object.
_marks = PerObject(_read_marks)


def is_marked(case: Case) -> bool:
    return _marks(case)[0]


def is_attachment_marked(attachment: Attachment) -> bool:
    return attachment.pk in _marks(attachment.case)[1]


def has_secrecy_right(user: Viewer, case: Case) -> bool:
    """A member of the handling unit, or explicitly given the right."""
    return is_staff_user(user) and (case.unit_id in member_unit_ids(user) or case.pk in granted_case_ids(user))


def can_see_content(user: Viewer, case: Case) -> bool:
    """The case's text, place, contact details, attachments, answers and
    timeline texts, for someone who can see the case (cases_visible_to)."""
    return not is_marked(case) or has_secrecy_right(user, case)


def can_see_attachment(user: Viewer, attachment: Attachment) -> bool:
    case = attachment.case
    if not can_see_content(user, case):
        return False
    return not is_attachment_marked(attachment) or has_secrecy_right(user, case)


def content_visible_q(user: Viewer) -> Q:
    """can_see_content as a condition on the case table, for lists and search:
    a marked case's text is neither shown nor searched for those who may not read it."""
    marked = SecrecyMark.objects.filter(case=OuterRef("pk"), attachment__isnull=True, removed_at__isnull=True)
    rule = Q(~Exists(marked))
    units = member_unit_ids(user)
    if units:
        rule |= Q(unit_id__in=sorted(units))
    granted = granted_case_ids(user)
    if granted:
        rule |= Q(pk__in=sorted(granted))
    return rule


def can_mark(user: Viewer, case: Case) -> bool:
    """Mark a case or an attachment as secret: who works on it and may read it."""
    return can_work_on(user, case)


def can_manage_secrecy(user: Viewer, case: Case) -> bool:
    """Remove a mark, give or withdraw the right to read: a unit head of the
    handling unit, or an administrator."""
    return is_administrator(user) or is_unit_head(user, case.unit_id)


def can_read_access_log(user: Viewer, case: Case) -> bool:
    return is_administrator(user) or is_unit_head(user, case.unit_id)


def can_release(user: Viewer, case: Case) -> bool:
    """Produce a copy of the case (utlämnande) or record a refusal."""
    return can_work_on(user, case)


def cases_of_citizen(user: Viewer) -> QuerySet[Case]:
    if not (user and user.is_authenticated and user.is_citizen):
        return Case.objects.none()
    return Case.objects.filter(citizen=user)


def ensure_groups() -> None:
    """The role groups exist after every migrate (and after a test flush),
    and the process owner's group has exactly its admin permissions."""
    for name in Role.ALL:
        Group.objects.get_or_create(name=name)
    for app_label in {app_label for app_label, _model in PROCESS_OWNER_ADMIN_MODELS}:
        # After a migrate the permissions of apps later in INSTALLED_APPS are
        # made after this runs; making them here first is harmless.
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    wanted = Q()
    for (app_label, model), actions in PROCESS_OWNER_ADMIN_MODELS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    group = Group.objects.get(name=Role.PROCESS_OWNER)
    group.permissions.set(Permission.objects.filter(wanted))
