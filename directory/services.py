"""Changes from the directory: a sign-in through Entra ID (just-in-time
accounts keyed by tenant and object id) and SCIM provisioning (users,
groups, membership). Every change ends with the group mapping applied
(directory/mapping.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import StaffIdentity, User
from accounts.services import user_sessions_end
from directory.errors import StaffSignInRefused
from directory.mapping import standing_apply
from directory.models import DirectoryGroup

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_guid(value: object) -> bool:
    return isinstance(value, str) and bool(GUID.match(value))


@dataclass(frozen=True)
class StaffClaims:
    """What a sign-in through Entra ID says about the employee."""

    tenant_id: str
    object_id: str
    user_name: str = ""
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    groups: tuple[str, ...] = ()
    mfa: bool = False
    extra: dict = field(default_factory=dict)


class EmailTaken(Exception):
    """Another member of staff has this e-mail address."""


def _email_free(email: str, user: User | None) -> bool:
    if not email:
        return True
    taken = User.objects.annotate(email_lower=Lower("email")).filter(kind=User.Kind.STAFF, email_lower=email.lower())
    if user is not None and user.pk is not None:
        taken = taken.exclude(pk=user.pk)
    return not taken.exists()


def _username(tenant_id: str, object_id: str) -> str:
    return f"entra-{tenant_id.lower()}-{object_id.lower()}"[:150]


def identity_find(tenant_id: str, object_id: str) -> StaffIdentity | None:
    return (
        StaffIdentity.objects.select_related("user")
        .filter(tenant_id__iexact=tenant_id, object_id__iexact=object_id)
        .first()
    )


def _user_fields_set(user: User, *, email: str, given_name: str, family_name: str) -> list[str]:
    changed = []
    for name, value in (("email", email), ("first_name", given_name), ("last_name", family_name)):
        value = (value or "")[:150] if name != "email" else (value or "")[:254]
        if value and getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    return changed


def groups_set(identity: StaffIdentity, object_ids: Iterable[str]) -> list[str]:
    """The identity's directory groups become exactly these (groups not
    yet known are recorded by object id). Returns the object ids."""
    ids = sorted({gid.strip().lower() for gid in object_ids if gid and gid.strip()})
    known = {group.object_id.lower(): group for group in DirectoryGroup.objects.filter(object_id__in=ids)}
    for gid in ids:
        if gid not in known:
            known[gid], _created = DirectoryGroup.objects.get_or_create(object_id=gid)
    identity.directory_groups.set([known[gid] for gid in ids])
    return ids


def identity_group_ids(identity: StaffIdentity) -> list[str]:
    return list(identity.directory_groups.values_list("object_id", flat=True))


@transaction.atomic
def staff_sign_in(claims: StaffClaims) -> User:
    """The account for a sign-in through Entra ID: found by tenant and
    object id, or created (just in time); names and e-mail updated from the
    token; groups from the token applied. Raises StaffSignInRefused."""
    identity = identity_find(claims.tenant_id, claims.object_id)
    now = timezone.now()
    if identity is None:
        if not _email_free(claims.email, None):
            raise StaffSignInRefused(StaffSignInRefused.EMAIL_TAKEN, "e-mail address of another account")
        user = User(kind=User.Kind.STAFF, username=_username(claims.tenant_id, claims.object_id))
        _user_fields_set(user, email=claims.email, given_name=claims.given_name, family_name=claims.family_name)
        user.set_unusable_password()
        user.save()
        identity = StaffIdentity.objects.create(
            user=user,
            tenant_id=claims.tenant_id.lower(),
            object_id=claims.object_id.lower(),
            user_name=claims.user_name[:256],
            last_signed_in_at=now,
        )
    else:
        user = identity.user
        if user.is_citizen:
            raise StaffSignInRefused(StaffSignInRefused.NOT_STAFF, "identity linked to a citizen")
        if not user.is_active:
            raise StaffSignInRefused(StaffSignInRefused.DEACTIVATED, "account deactivated")
        email = claims.email if _email_free(claims.email, user) else ""
        changed = _user_fields_set(user, email=email, given_name=claims.given_name, family_name=claims.family_name)
        if changed:
            user.save(update_fields=changed)
        identity.last_signed_in_at = now
        fields = ["last_signed_in_at"]
        if claims.user_name and identity.user_name != claims.user_name:
            identity.user_name = claims.user_name[:256]
            fields.append("user_name")
        identity.save(update_fields=fields)
    standing_apply(user, groups_set(identity, claims.groups))
    return user


# --------------------------------------------------------------- provisioning


@dataclass
class ProvisionedUser:
    """A SCIM User as Kontakt keeps it."""

    object_id: str
    user_name: str
    active: bool = True
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    email_type: str = ""


def user_provision(*, tenant_id: str, data: ProvisionedUser, identity: StaffIdentity | None = None) -> StaffIdentity:
    """Create (identity None) or update a provisioned account. Deactivation
    (active false) ends the person's sessions; the account and everything
    it did on cases stay. Raises EmailTaken."""
    with transaction.atomic():
        now = timezone.now()
        if identity is None:
            if not _email_free(data.email, None):
                raise EmailTaken(data.email)
            user = User(kind=User.Kind.STAFF, username=_username(tenant_id, data.object_id))
            user.set_unusable_password()
        else:
            user = identity.user
            if not _email_free(data.email, user):
                raise EmailTaken(data.email)
        user.email = data.email[:254]
        user.first_name = data.given_name[:150]
        user.last_name = data.family_name[:150]
        was_active = user.is_active if user.pk else True
        user.is_active = data.active
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise EmailTaken(data.email)
        if identity is None:
            identity = StaffIdentity.objects.create(
                user=user,
                tenant_id=tenant_id.lower(),
                object_id=data.object_id.lower(),
                user_name=data.user_name[:256],
                email_type=data.email_type,
                provisioned_at=now,
            )
            standing_apply(user, [])
        else:
            identity.object_id = data.object_id.lower()
            identity.user_name = data.user_name[:256]
            identity.email_type = data.email_type
            identity.provisioned_at = now
            identity.deprovisioned_at = None
            identity.save(update_fields=["object_id", "user_name", "email_type", "provisioned_at", "deprovisioned_at"])
        if was_active and not data.active:
            user_sessions_end(user=user)
    return identity


@transaction.atomic
def user_deprovision(*, identity: StaffIdentity) -> None:
    """SCIM DELETE: the account is deactivated, never removed, so its
    history on cases stays; its sessions end and its roles and units go."""
    user = identity.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    identity.provisioned_at = identity.deprovisioned_at = timezone.now()
    identity.save(update_fields=["provisioned_at", "deprovisioned_at"])
    identity.directory_groups.clear()
    standing_apply(user, [])
    user_sessions_end(user=user)


def _members_apply(identities: Iterable[StaffIdentity]) -> None:
    for identity in identities:
        standing_apply(identity.user, identity_group_ids(identity))


@transaction.atomic
def group_provision(
    *, object_id: str, display_name: str, member_ids: Iterable[str] | None, group: DirectoryGroup | None = None
) -> DirectoryGroup:
    """Create or update a provisioned group; member_ids (StaffIdentity ids)
    None leaves the membership as it is. A group first seen in a token is
    taken over by its object id."""
    object_id = object_id.strip().lower()
    if group is None:
        group = DirectoryGroup.objects.filter(object_id=object_id).first() or DirectoryGroup(object_id=object_id)
    else:
        group.object_id = object_id
    group.display_name = display_name[:256]
    group.provisioned = True
    group.save()
    if member_ids is not None:
        group_members_set(group=group, member_ids=member_ids)
    return group


def group_members_set(*, group: DirectoryGroup, member_ids: Iterable[str]) -> None:
    before = set(group.members.all())
    after = set(StaffIdentity.objects.select_related("user").filter(pk__in=list(member_ids)))
    group.members.set(after)
    _members_apply(before ^ after)


def group_members_change(*, group: DirectoryGroup, add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
    added = list(StaffIdentity.objects.select_related("user").filter(pk__in=list(add)))
    removed = list(StaffIdentity.objects.select_related("user").filter(pk__in=list(remove)))
    group.members.add(*added)
    group.members.remove(*removed)
    _members_apply(set(added) | set(removed))


@transaction.atomic
def group_deprovision(*, group: DirectoryGroup) -> None:
    members = list(group.members.select_related("user"))
    group.delete()
    _members_apply(members)


@transaction.atomic
def mapping_reapply() -> int:
    """After the administrator changed the mapping: every account from the
    directory gets what its known groups now give. Returns how many."""
    count = 0
    for identity in StaffIdentity.objects.select_related("user").filter(user__is_active=True):
        standing_apply(identity.user, identity_group_ids(identity))
        count += 1
    return count
