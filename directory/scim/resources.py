"""Kontakt's accounts and directory groups as SCIM resources, and back."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from pydantic import Field
from scim2_models import (
    URN,
    CaseExact,
    ComplexAttribute,
    Context,
    InvalidValueException,
    Meta,
    Mutability,
    Reference,
    Required,
    Resource,
    ResponseParameters,
    ScimPolicy,
    Uniqueness,
)

from accounts.models import StaffIdentity
from directory.models import DirectoryGroup
from directory.services import ProvisionedUser, is_guid


class KontaktName(ComplexAttribute):
    """The parts of a name Kontakt keeps."""

    given_name: str | None = None
    family_name: str | None = None


class KontaktEmail(ComplexAttribute):
    """The one e-mail address Kontakt keeps, with its type (Entra's
    `primary` is dropped: the one address is the primary one)."""

    value: str | None = None
    type: Annotated[str | None, CaseExact.false] = Field(None, examples=["work", "home", "other"])


class KontaktUser(Resource[Any]):
    """The SCIM User as Kontakt keeps it: the core User schema's attributes
    that an account needs, and no more. /Schemas publishes exactly these;
    anything else Entra sends (the enterprise extension, phone numbers,
    addresses) is dropped (POLICY)."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The user principal name in Entra ID."""

    name: KontaktName | None = None

    display_name: Annotated[str | None, Mutability.read_only] = None
    """Made from the given and family names."""

    active: Annotated[bool | None, Required.true] = None
    """False deactivates the account and ends its sessions."""

    emails: list[KontaktEmail] | None = None
    """The work address (or the first) is kept."""


class KontaktGroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    # "User" names the SCIM resource type (scim2-models), not a Python class.
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(  # type: ignore[name-defined]  # noqa: F821, UP037
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])


class KontaktGroup(Resource[Any]):
    """A group of the directory: its name and its members (users only)."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")

    display_name: Annotated[str | None, Required.true] = None
    members: list[KontaktGroupMember] | None = None


UserResource = KontaktUser
GroupResource = KontaktGroup

# What Kontakt tolerates from Entra's provisioning service: attributes it does
# not know are dropped, and a remove operation may name the members to
# remove in its value, as Entra sends it.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
)


def _location(request: HttpRequest, name: str, pk: Any) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"resource_id": str(pk)}))


def user_resource(request: HttpRequest, identity: StaffIdentity) -> Any:
    user = identity.user
    changed = max(filter(None, [identity.created_at, identity.provisioned_at, identity.last_signed_in_at]))
    resource = UserResource(
        id=str(identity.pk),
        external_id=identity.object_id,
        user_name=identity.user_name or user.email or identity.object_id,
        display_name=user.get_full_name() or None,
        name=KontaktName(given_name=user.first_name or None, family_name=user.last_name or None)
        if (user.first_name or user.last_name)
        else None,
        active=user.is_active,
        emails=[KontaktEmail(value=user.email, type=identity.email_type or "work")] if user.email else None,
        meta=Meta(
            resource_type="User",
            created=identity.created_at,
            last_modified=changed,
            location=_location(request, "scim:user", identity.pk),
        ),
    )
    return resource


def provisioned_user(resource: Any) -> ProvisionedUser:
    """What Kontakt keeps of a SCIM User; raises InvalidValueException."""
    if not is_guid(resource.external_id):
        raise InvalidValueException(
            detail="externalId must be the user's Entra object id: map objectId to externalId in the provisioning"
        )
    email = ""
    emails = resource.emails or []
    chosen = next((e for e in emails if str(e.type or "") == "work"), None) or (emails[0] if emails else None)
    email_type = ""
    if chosen is not None and chosen.value:
        email, email_type = str(chosen.value), str(chosen.type or "")
    name = resource.name
    return ProvisionedUser(
        object_id=str(resource.external_id),
        user_name=str(resource.user_name or ""),
        active=resource.active is not False,
        email=email.strip().lower(),
        given_name=str(getattr(name, "given_name", None) or ""),
        family_name=str(getattr(name, "family_name", None) or ""),
        email_type=email_type[:20],
    )


def group_resource(request: HttpRequest, group: DirectoryGroup, *, with_members: bool = True) -> KontaktGroup:
    members = None
    if with_members:
        members = [
            KontaktGroupMember(
                value=str(identity.pk), type="User", ref=Reference(_location(request, "scim:user", identity.pk))
            )
            for identity in group.members.order_by("created_at")
        ]
    return GroupResource(
        id=str(group.pk),
        external_id=group.object_id,
        display_name=group.display_name or group.object_id,
        members=members or None,
        meta=Meta(
            resource_type="Group",
            last_modified=group.updated_at,
            location=_location(request, "scim:group", group.pk),
        ),
    )


def member_ids(resource: KontaktGroup) -> list[str]:
    ids = []
    for member in resource.members or []:
        if member.type and str(member.type) != "User":
            raise InvalidValueException(detail="only users can be members of a group in Kontakt")
        if member.value:
            ids.append(str(member.value))
    return ids


def response_parameters(attributes: list[str] | None, excluded: list[str] | None) -> ResponseParameters | None:
    if not attributes and not excluded:
        return None
    return ResponseParameters.model_validate({"attributes": attributes, "excludedAttributes": excluded})


def dump(resource: Any, *, attributes: list[str] | None = None, excluded: list[str] | None = None) -> dict:
    return resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=response_parameters(attributes, excluded)
    )
