"""Back-office test helpers: an organisation with every role, and a signed-in
client whose session passed the second factor (as after allauth's TOTP step)."""

from __future__ import annotations

import time
from types import SimpleNamespace

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from cases.models import UnitMembership
from cases.permissions import Role, ensure_groups
from cases.services import ContactData
from tests.factories import CategoryFactory, DepartmentFactory, UnitFactory, UserFactory, member, register_case


def signed_in(user, client: Client | None = None, *, mfa: bool = True) -> Client:
    client = client or Client()
    client.force_login(user)
    if mfa:
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "type": "totp", "at": time.time()}]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def case_page(case) -> str:
    """The back-office case page as a new case officer of the case's unit sees it."""
    officer = member(UserFactory(), case.unit)
    response = signed_in(officer).get(f"/handlaggning/arenden/{case.number}/")
    assert response.status_code == 200
    return response.content.decode()


def build_org():
    """Two departments; units A and B in the first, C in the second."""
    ensure_groups()
    d1, d2 = DepartmentFactory(), DepartmentFactory()
    a, b, c = UnitFactory(department=d1), UnitFactory(department=d1), UnitFactory(department=d2)
    desk_unit = UnitFactory(department=d2)
    cat_a, cat_b, cat_c = (
        CategoryFactory(default_unit=a),
        CategoryFactory(default_unit=b),
        CategoryFactory(default_unit=c),
    )
    officer = member(UserFactory(first_name="Olle", last_name="Officer"), a)
    colleague = member(UserFactory(first_name="Cilla", last_name="Kollega"), a)
    head = member(UserFactory(first_name="Hedda", last_name="Chef"), a, UnitMembership.Role.HEAD)
    officer_c = member(UserFactory(), c)
    dept_head = UserFactory()
    d1.heads.add(dept_head)
    desk = member(UserFactory(), desk_unit)
    desk.groups.add(Group.objects.get(name=Role.CITIZEN_SERVICE))
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    stats = UserFactory()
    stats.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    citizen = UserFactory(kind=User.Kind.CITIZEN)
    return SimpleNamespace(
        d1=d1,
        d2=d2,
        a=a,
        b=b,
        c=c,
        desk_unit=desk_unit,
        cat_a=cat_a,
        cat_b=cat_b,
        cat_c=cat_c,
        officer=officer,
        colleague=colleague,
        head=head,
        officer_c=officer_c,
        dept_head=dept_head,
        desk=desk,
        admin=admin,
        stats=stats,
        citizen=citizen,
    )


def contact(**kw) -> ContactData:
    kw.setdefault("name", "Anna Andersson")
    kw.setdefault("email", "anna@example.se")
    kw.setdefault("phone", "+46701234567")
    return ContactData(**kw)


def case_in(category, **kw):
    kw.setdefault("contact", contact())
    return register_case(category=category, **kw)
