"""Staff sign-in through the loopback Entra-shaped OpenID Connect provider
(tests/entra_idp.py), over HTTP with Kontakt in the live server: accounts
keyed by tenant and object id, roles and units from the groups claim at
every sign-in, the directory's MFA or a local TOTP code."""

from __future__ import annotations

import uuid

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group

from accounts.models import StaffIdentity, User
from cases.models import UnitMembership
from cases.permissions import Role
from directory.models import DirectoryGroup, GroupMapping
from tests.entra_idp import TENANT_ID, Person
from tests.factories import UserFactory
from tests.integration.directory.conftest import entra_sign_in, main_text

pytestmark = pytest.mark.django_db(transaction=True)

UNIT_GROUP = "11111111-1111-4111-8111-111111111111"
HEAD_GROUP = "22222222-2222-4222-8222-222222222222"
DESK_GROUP = "33333333-3333-4333-8333-333333333333"
DEPT_GROUP = "44444444-4444-4444-8444-444444444444"
UNMAPPED_GROUP = "55555555-5555-4555-8555-555555555555"
REFUSED = "Du kunde inte loggas in"


@pytest.fixture
def mapping(org):
    GroupMapping.objects.create(
        group_object_id=UNIT_GROUP, kind="unit", unit=org.a, unit_role=UnitMembership.Role.OFFICER
    )
    GroupMapping.objects.create(group_object_id=HEAD_GROUP, kind="unit", unit=org.b, unit_role=UnitMembership.Role.HEAD)
    GroupMapping.objects.create(group_object_id=DESK_GROUP, kind="role", role=Role.CITIZEN_SERVICE)
    GroupMapping.objects.create(group_object_id=DEPT_GROUP, kind="department_head", department=org.d2)
    return org


def standing(user: User) -> tuple[set[str], dict[int, str], set[int]]:
    return (
        set(user.groups.values_list("name", flat=True)),
        dict(UnitMembership.objects.filter(user=user).values_list("unit_id", "role")),
        set(user.headed_departments.values_list("pk", flat=True)),
    )


def test_a_mapped_group_gives_its_role_and_units_and_the_account_is_keyed_by_oid(entra, mapping):
    entra.person = Person(groups=[UNIT_GROUP, HEAD_GROUP, DESK_GROUP, DEPT_GROUP, UNMAPPED_GROUP])
    session, page = entra_sign_in(entra)
    # The directory performed MFA (amr), so no TOTP code is asked for.
    assert page.status_code == 200, page.text
    assert page.url == f"{entra.kontakt}/handlaggning/arenden/?queue=new"
    assert "Anna Andersson" in page.text

    identity = StaffIdentity.objects.get()
    user = identity.user
    assert (identity.tenant_id, identity.object_id) == (TENANT_ID, entra.person.object_id)
    assert identity.user_name == "anna.andersson@burlov.example"
    assert (user.kind, user.email, user.first_name, user.last_name) == (
        User.Kind.STAFF,
        "anna.andersson@burlov.example",
        "Anna",
        "Andersson",
    )
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == f"{TENANT_ID}/{entra.person.object_id}"
    groups, units, departments = standing(user)
    assert groups == {Role.CITIZEN_SERVICE}
    assert units == {mapping.a.pk: "officer", mapping.b.pk: "head"}
    assert departments == {mapping.d2.pk}
    # The groups Kontakt now knows of, mapped or not.
    assert set(DirectoryGroup.objects.values_list("object_id", flat=True)) == {
        UNIT_GROUP,
        HEAD_GROUP,
        DESK_GROUP,
        DEPT_GROUP,
        UNMAPPED_GROUP,
    }


def test_leaving_a_group_removes_the_right_at_the_next_sign_in(entra, mapping):
    entra.person = Person(groups=[UNIT_GROUP, DESK_GROUP, DEPT_GROUP])
    entra_sign_in(entra)
    user = StaffIdentity.objects.get().user
    assert standing(user) == ({Role.CITIZEN_SERVICE}, {mapping.a.pk: "officer"}, {mapping.d2.pk})

    entra.person.groups = [UNIT_GROUP]
    entra_sign_in(entra)
    assert standing(user) == (set(), {mapping.a.pk: "officer"}, set())

    # No mapped group at all: still the same member of staff, with no role and no unit.
    entra.person.groups = [UNMAPPED_GROUP]
    session, page = entra_sign_in(entra)
    assert User.objects.filter(kind=User.Kind.STAFF, staff_identity__isnull=False).count() == 1
    user.refresh_from_db()
    assert user.is_active and standing(user) == (set(), {}, set())


def test_manual_roles_of_a_directory_account_follow_the_directory_but_other_groups_stay(entra, mapping):
    entra.person = Person(groups=[UNIT_GROUP])
    entra_sign_in(entra)
    user = StaffIdentity.objects.get().user
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR), Group.objects.create(name="Bokcirkel"))
    UnitMembership.objects.create(unit=mapping.c, user=user)
    entra_sign_in(entra)
    assert standing(user) == ({"Bokcirkel"}, {mapping.a.pk: "officer"}, set())


def test_the_administrator_role_opens_the_admin_and_goes_with_the_group(entra, org):
    admin_group = str(uuid.uuid4())
    GroupMapping.objects.create(group_object_id=admin_group, kind="role", role=Role.ADMINISTRATOR)
    entra.person = Person(groups=[admin_group.upper()])
    session, _page = entra_sign_in(entra)
    user = StaffIdentity.objects.get().user
    assert user.is_staff and user.is_superuser
    assert session.get(f"{entra.kontakt}/admin/").status_code == 200
    entra.person.groups = []
    entra_sign_in(entra)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_a_token_without_mfa_asks_for_the_local_totp_code(entra, mapping):
    entra.person = Person(groups=[UNIT_GROUP], amr=["pwd"])
    session, page = entra_sign_in(entra)
    # No authenticator yet: the back office sends the person to set one up.
    assert page.url == f"{entra.kontakt}/konto/2fa/totp/activate/"
    assert "Ställ in tvåstegsverifiering" in page.text

    user = StaffIdentity.objects.get().user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    session, page = entra_sign_in(entra)
    assert page.url == f"{entra.kontakt}/konto/2fa/authenticate/"
    assert session.get(f"{entra.kontakt}/handlaggning/", allow_redirects=False).status_code == 302
    csrf = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = session.post(page.url, data={"csrfmiddlewaretoken": csrf, "code": pyotp.TOTP(secret).now()})
    assert answer.url == f"{entra.kontakt}/handlaggning/arenden/?queue=mine"
    assert answer.status_code == 200


def test_mfa_by_the_directory_skips_the_local_code_even_with_totp(entra, mapping):
    entra.person = Person(groups=[UNIT_GROUP])
    entra_sign_in(entra)
    TOTP.activate(StaffIdentity.objects.get().user, generate_totp_secret())
    session, page = entra_sign_in(entra)
    assert page.url == f"{entra.kontakt}/handlaggning/arenden/?queue=mine"
    assert page.status_code == 200


def test_the_account_is_never_found_by_e_mail(entra, org):
    # A local account with the same address is neither taken over nor duplicated.
    entra.person = Person(user_name=org.officer.email, email=org.officer.email)
    session, page = entra_sign_in(entra)
    assert page.status_code == 403
    assert REFUSED in main_text(page)
    assert "redan din e-postadress" in main_text(page)
    assert not StaffIdentity.objects.exists()
    # Once an administrator links the local account to the Entra identity, it is used.
    StaffIdentity.objects.create(user=org.officer, tenant_id=TENANT_ID, object_id=entra.person.object_id)
    session, page = entra_sign_in(entra)
    assert page.status_code == 200
    assert session.get(f"{entra.kontakt}/handlaggning/").status_code == 200
    assert StaffIdentity.objects.get().user == org.officer


def test_a_new_e_mail_address_in_the_directory_keeps_the_account(entra, org):
    entra.person = Person()
    entra_sign_in(entra)
    entra.person.email = entra.person.user_name = "anna.berg@burlov.example"
    entra.person.family_name = "Berg"
    entra_sign_in(entra)
    identity = StaffIdentity.objects.get()
    assert (identity.user.email, identity.user.last_name, identity.user_name) == (
        "anna.berg@burlov.example",
        "Berg",
        "anna.berg@burlov.example",
    )


@pytest.mark.parametrize(
    ("person", "words"),
    [
        (lambda: Person(tenant_id=str(uuid.uuid4())), "annan organisation"),
        (
            lambda: Person(extra={"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {}}}),
            "för många grupper",
        ),
    ],
    ids=["other-tenant", "group-overage"],
)
def test_refused_sign_ins_say_why_and_create_nothing(entra, org, person, words):
    entra.person = person()
    session, page = entra_sign_in(entra)
    assert page.status_code == 403
    assert REFUSED in main_text(page)
    assert words in main_text(page)
    assert not StaffIdentity.objects.exists()
    assert "_auth_user_id" not in session.cookies.get_dict()


def test_a_deactivated_account_cannot_sign_in(entra, org):
    entra.person = Person()
    entra_sign_in(entra)
    user = StaffIdentity.objects.get().user
    user.is_active = False
    user.save()
    session, page = entra_sign_in(entra)
    assert page.status_code == 403
    assert "avaktiverats" in main_text(page)


def test_password_sign_in_can_be_switched_off_except_for_break_glass_administrators(live_server, org, settings):
    import requests

    settings.KONTAKT_STAFF_PASSWORD_SIGN_IN = False
    settings.KONTAKT_BREAK_GLASS_ACCOUNTS = [org.admin.email.upper()]

    def password_sign_in(email: str):
        session = requests.Session()
        page = session.get(f"{live_server.url}/konto/login/")
        csrf = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        return session.post(
            f"{live_server.url}/konto/login/",
            data={"csrfmiddlewaretoken": csrf, "login": email, "password": "correct-horse-battery"},
        )

    refused = password_sign_in(org.officer.email)
    assert "Inloggning med lösenord används inte" in refused.text
    allowed = password_sign_in(org.admin.email)
    assert allowed.url.endswith("/konto/2fa/totp/activate/")


def test_a_directory_account_never_signs_in_with_a_password(org, client):
    user = UserFactory(email="dir@burlov.example")
    StaffIdentity.objects.create(user=user, tenant_id=TENANT_ID, object_id=str(uuid.uuid4()))
    response = client.post("/konto/login/", {"login": "dir@burlov.example", "password": "correct-horse-battery"})
    assert "Inloggning med lösenord används inte" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_provisioned_by_scim_is_the_one_the_sign_in_finds(entra, mapping, scim):
    object_id = str(uuid.uuid4())
    response = scim.request(
        "POST",
        "/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "externalId": object_id.upper(),
            "userName": "anna.andersson@burlov.example",
            "active": True,
            "emails": [{"type": "work", "value": "anna.andersson@burlov.example"}],
            "name": {"givenName": "Anna", "familyName": "Andersson"},
        },
    )
    assert response.status_code == 201
    entra.person = Person(object_id=object_id, groups=[UNIT_GROUP])
    session, page = entra_sign_in(entra)
    assert page.status_code == 200
    identity = StaffIdentity.objects.get()
    assert identity.last_signed_in_at is not None
    assert standing(identity.user)[1] == {mapping.a.pk: "officer"}
    assert SocialAccount.objects.get().user == identity.user
