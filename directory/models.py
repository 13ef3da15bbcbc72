"""What Kontakt keeps of the directory: its groups (from tokens and from
SCIM), the administrator's mapping of groups to roles and units, and the
SCIM bearer tokens (hashed)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffIdentity
from cases.models import Department, Unit, UnitMembership
from cases.permissions import Role


class DirectoryGroup(models.Model):
    """A group in Entra ID, known from a sign-in's `groups` claim or from
    provisioning. `members` is the directory's membership as Kontakt last
    heard it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, unique=True)
    display_name = models.CharField(_("name"), max_length=256, blank=True)
    members = models.ManyToManyField(
        StaffIdentity, blank=True, related_name="directory_groups", verbose_name=_("members")
    )
    provisioned = models.BooleanField(_("provisioned by SCIM"), default=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["display_name", "object_id"]
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")

    def __str__(self):
        return self.display_name or self.object_id


def role_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in Role.ALL]


class GroupMapping(models.Model):
    """An Entra group gives its members one thing in Kontakt: a role, a unit
    membership (case officer or unit head), or the headship of a department.
    Applied at every sign-in and every provisioning change."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role")
        UNIT = "unit", _("Unit membership")
        DEPARTMENT_HEAD = "department_head", _("Department head")

    group_object_id = models.CharField(
        _("Entra group object id"),
        max_length=64,
        help_text=_("The group's Object ID in Entra ID, e.g. 0b1e2c3d-4a5b-6c7d-8e9f-0a1b2c3d4e5f."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("gives"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=150, blank=True, choices=role_choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("unit"))
    unit_role = models.CharField(_("role in the unit"), max_length=10, choices=UnitMembership.Role.choices, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("department")
    )

    class Meta:
        ordering = ["group_object_id", "kind"]
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (
                        models.Q(kind="role", unit__isnull=True, department__isnull=True, unit_role="")
                        & ~models.Q(role="")
                    )
                    | (
                        models.Q(kind="unit", unit__isnull=False, department__isnull=True, role="")
                        & ~models.Q(unit_role="")
                    )
                    | models.Q(
                        kind="department_head", unit__isnull=True, department__isnull=False, role="", unit_role=""
                    )
                ),
                name="group_mapping_target_matches_kind",
            )
        ]

    def __str__(self):
        return f"{self.group_object_id} → {self.target_label()}"

    def target_label(self) -> str:
        if self.kind == self.Kind.ROLE:
            return self.role
        if self.kind == self.Kind.UNIT:
            return f"{self.unit} ({self.get_unit_role_display()})"
        return f"{_('Department head')}, {self.department}"


class ProvisioningToken(models.Model):
    """A bearer token the SCIM client (Entra's provisioning service) sends.
    Only its SHA-256 digest is stored; the token is shown once, when made."""

    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")

    def __str__(self):
        return self.name
