"""SCIM provisioning as Entra's provisioning service drives it: the
requests are the examples Microsoft publishes for its SCIM client (create,
filter by userName, PATCH with capitalised ops and string booleans,
members added and removed through the value), sent with scim2-client to
Kontakt's WSGI application."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import StaffIdentity, User
from cases.models import UnitMembership
from cases.permissions import Role
from directory.models import DirectoryGroup, GroupMapping, ProvisioningToken
from directory.scim.auth import digest
from tests.entra_idp import TENANT_ID
from tests.integration.cases.helpers import signed_in
from tests.integration.directory.conftest import SCIM_TOKEN

pytestmark = pytest.mark.django_db

USER_SCHEMAS = [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
]
PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]


def entra_user(object_id: str, user_name: str = "ebba.ek@burlov.example") -> dict:
    """Entra's create request, with objectId mapped to externalId."""
    return {
        "schemas": USER_SCHEMAS,
        "externalId": object_id,
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Ebba Ek", "familyName": "Ek", "givenName": "Ebba"},
        "roles": [],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Kultur och fritid"},
    }


def _raw(scim, method: str, path: str, body: dict | None, params: dict):
    """The raw exchange (status and JSON), through the SCIM client's engine."""
    kwargs: dict = {}
    if body is not None:
        kwargs["json"] = body
    if params:
        kwargs["params"] = params
    response = scim.request(method, path, **kwargs)
    return response.status_code, (response.json() if response.text else None)


def test_create_find_update_and_deactivate_a_user_as_entra_does(scim, org):
    object_id = str(uuid.uuid4())
    status, created = _raw(scim, "POST", "/Users", entra_user(object_id), {})
    assert status == 201, created
    identity = StaffIdentity.objects.get()
    user = identity.user
    assert created["id"] == str(identity.pk)
    assert created["externalId"] == object_id
    assert (identity.tenant_id, identity.object_id, identity.user_name) == (
        TENANT_ID,
        object_id,
        "ebba.ek@burlov.example",
    )
    assert (user.kind, user.email, user.first_name, user.last_name, user.is_active) == (
        User.Kind.STAFF,
        "ebba.ek@burlov.example",
        "Ebba",
        "Ek",
        True,
    )
    assert not user.has_usable_password()

    status, found = _raw(scim, "GET", "/Users", None, {"filter": 'userName eq "Ebba.Ek@burlov.example"'})
    assert status == 200 and found["totalResults"] == 1 and found["Resources"][0]["id"] == str(identity.pk)
    status, none = _raw(scim, "GET", "/Users", None, {"filter": 'userName eq "nobody@burlov.example"'})
    assert status == 200 and none["totalResults"] == 0

    patch = {
        "schemas": PATCH,
        "Operations": [
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "ebba.ek-larsson@burlov.example"},
            {"op": "Replace", "path": "name.familyName", "value": "Ek Larsson"},
            {"op": "Add", "path": "userName", "value": "ebba.ek-larsson@burlov.example"},
        ],
    }
    status, changed = _raw(scim, "PATCH", f"/Users/{identity.pk}", patch, {})
    assert status == 200, changed
    user.refresh_from_db()
    identity.refresh_from_db()
    assert (user.email, user.last_name, identity.user_name) == (
        "ebba.ek-larsson@burlov.example",
        "Ek Larsson",
        "ebba.ek-larsson@burlov.example",
    )

    # Signed in in two browsers; Entra disables the account ("False" as a string, as it long sent it).
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(user)
    disable = {"schemas": PATCH, "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    status, disabled = _raw(scim, "PATCH", f"/Users/{identity.pk}", disable, {})
    assert status == 200 and disabled["active"] is False
    user.refresh_from_db()
    assert not user.is_active
    for browser in browsers:
        assert "_auth_user_id" not in browser.session
        assert browser.get(reverse("cases:list"))["Location"].startswith(reverse("account_login"))
    # The account and its history stay.
    assert User.objects.filter(pk=user.pk).exists()

    enable = {"schemas": PATCH, "Operations": [{"op": "replace", "value": {"active": True}}]}
    status, enabled = _raw(scim, "PATCH", f"/Users/{identity.pk}", enable, {})
    assert status == 200 and enabled["active"] is True


def test_delete_deactivates_keeps_the_account_and_a_new_create_brings_it_back(scim, org):
    object_id = str(uuid.uuid4())
    _status, created = _raw(scim, "POST", "/Users", entra_user(object_id), {})
    user = StaffIdentity.objects.get().user
    browser = Client()
    browser.force_login(user)
    status, _ = _raw(scim, "DELETE", f"/Users/{created['id']}", None, {})
    assert status == 204
    user.refresh_from_db()
    assert not user.is_active
    assert "_auth_user_id" not in browser.session
    status, gone = _raw(scim, "GET", f"/Users/{created['id']}", None, {})
    assert status == 404 and gone["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    # Hired again: the same account, active again.
    status, again = _raw(scim, "POST", "/Users", entra_user(object_id), {})
    assert status == 201 and again["id"] == created["id"]
    user.refresh_from_db()
    assert user.is_active


def test_bad_users_are_refused_with_scim_errors_and_nothing_is_kept(scim, org):
    status, error = _raw(scim, "POST", "/Users", entra_user("ebba.ek"), {})  # mailNickname, Entra's default
    assert status == 400 and error["scimType"] == "invalidValue"
    assert "objectId" in error["detail"]
    _raw(scim, "POST", "/Users", entra_user(str(uuid.uuid4())), {})
    status, error = _raw(scim, "POST", "/Users", entra_user(str(uuid.uuid4())), {})
    assert status == 409 and error["scimType"] == "uniqueness"
    status, error = _raw(scim, "POST", "/Users", entra_user(str(uuid.uuid4()), user_name=org.officer.email), {})
    assert status == 409 and "e-mail" in error["detail"]
    status, error = _raw(scim, "GET", "/Users", None, {"filter": "userName eq"})
    assert status == 400 and error["scimType"] == "invalidFilter"
    assert StaffIdentity.objects.count() == 1


def test_group_membership_gives_and_takes_the_mapped_rights(scim, org):
    unit_group, desk_group = str(uuid.uuid4()), str(uuid.uuid4())
    GroupMapping.objects.create(group_object_id=unit_group, kind="unit", unit=org.b, unit_role="officer")
    GroupMapping.objects.create(group_object_id=desk_group, kind="role", role=Role.CITIZEN_SERVICE)
    _s, ebba = _raw(scim, "POST", "/Users", entra_user(str(uuid.uuid4())), {})
    user = User.objects.get(staff_identity__pk=ebba["id"])

    group_schemas = [
        "urn:ietf:params:scim:schemas:core:2.0:Group",
        "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
    ]
    status, unit = _raw(
        scim,
        "POST",
        "/Groups",
        {
            "schemas": group_schemas,
            "externalId": unit_group,
            "displayName": "Kontakt – Enhet B",
            "meta": {"resourceType": "Group"},
        },
        {},
    )
    assert status == 201, unit
    status, desk = _raw(
        scim,
        "POST",
        "/Groups",
        {
            "schemas": group_schemas[:1],
            "externalId": desk_group,
            "displayName": "Kontakt – Medborgarservice",
            "members": [{"value": ebba["id"]}],
        },
        {},
    )
    assert status == 201, desk
    assert set(user.groups.values_list("name", flat=True)) == {Role.CITIZEN_SERVICE}

    add = {
        "schemas": PATCH,
        "Operations": [{"op": "Add", "path": "members", "value": [{"$ref": None, "value": ebba["id"]}]}],
    }
    status, _ = _raw(scim, "PATCH", f"/Groups/{unit['id']}", add, {})
    assert status == 200
    assert dict(UnitMembership.objects.filter(user=user).values_list("unit_id", "role")) == {org.b.pk: "officer"}

    status, listed = _raw(
        scim, "GET", "/Groups", None, {"filter": 'displayName eq "Kontakt – Enhet B"', "excludedAttributes": "members"}
    )
    assert listed["totalResults"] == 1 and "members" not in listed["Resources"][0]
    status, member = _raw(
        scim, "GET", "/Groups", None, {"filter": f'id eq "{unit["id"]}" and members[value eq "{ebba["id"]}"]'}
    )
    assert status == 200 and member["totalResults"] == 1

    remove = {"schemas": PATCH, "Operations": [{"op": "Remove", "path": "members", "value": [{"value": ebba["id"]}]}]}
    status, _ = _raw(scim, "PATCH", f"/Groups/{unit['id']}", remove, {})
    assert status == 200
    assert not UnitMembership.objects.filter(user=user).exists()

    rename = {
        "schemas": PATCH,
        "Operations": [{"op": "Replace", "path": "displayName", "value": "Medborgarservice (alla)"}],
    }
    _raw(scim, "PATCH", f"/Groups/{desk['id']}", rename, {})
    assert DirectoryGroup.objects.get(object_id=desk_group).display_name == "Medborgarservice (alla)"
    status, _ = _raw(scim, "DELETE", f"/Groups/{desk['id']}", None, {})
    assert status == 204
    assert not user.groups.filter(name=Role.CITIZEN_SERVICE).exists()
    assert Group.objects.filter(name=Role.CITIZEN_SERVICE).exists()


def test_without_the_bearer_token_nothing_is_answered(scim, settings, org):
    client = Client()
    response = client.get("/scim/v2/Users")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == "401"
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 401
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {SCIM_TOKEN}").status_code == 200


def test_a_token_made_in_the_admin_is_stored_hashed_and_works(scim, settings, org):
    settings.KONTAKT_SCIM_TOKEN_SHA256 = []
    org.admin.is_superuser = True
    org.admin.save()
    admin = signed_in(org.admin)
    response = admin.post(
        "/admin/directory/provisioningtoken/add/", {"name": "Entra ID", "is_active": "on"}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    token = text.split("(Secret Token): ", 1)[1].split("<", 1)[0].strip()
    row = ProvisioningToken.objects.get()
    assert row.digest == digest(token) and token not in row.digest
    assert Client().get("/scim/v2/ServiceProviderConfig", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    row.is_active = False
    row.save()
    assert Client().get("/scim/v2/ServiceProviderConfig", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
