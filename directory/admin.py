"""The administrator's pages: the group mapping (Entra group → role, unit or
department headship), the groups Kontakt knows of, and the SCIM tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from directory import services
from directory.models import DirectoryGroup, GroupMapping, ProvisioningToken
from directory.scim.auth import digest, token_new


class GroupMappingForm(forms.ModelForm):
    class Meta:
        model = GroupMapping
        fields = ("group_object_id", "description", "kind", "role", "unit", "unit_role", "department")

    def clean_group_object_id(self) -> str:
        value = self.cleaned_data["group_object_id"].strip().lower()
        if not services.is_guid(value):
            raise forms.ValidationError(
                _(
                    "Enter the group's Object ID from Entra ID: 32 hexadecimal digits in five groups, like 0b1e2c3d-4a5b-6c7d-8e9f-0a1b2c3d4e5f."
                )
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == GroupMapping.Kind.ROLE:
            if not data.get("role"):
                self.add_error("role", _("Choose the role the group gives."))
            data["unit"], data["unit_role"], data["department"] = None, "", None
        elif kind == GroupMapping.Kind.UNIT:
            if not data.get("unit"):
                self.add_error("unit", _("Choose the unit the group gives membership of."))
            if not data.get("unit_role"):
                self.add_error("unit_role", _("Choose the role in the unit."))
            data["role"], data["department"] = "", None
        elif kind == GroupMapping.Kind.DEPARTMENT_HEAD:
            if not data.get("department"):
                self.add_error("department", _("Choose the department whose head the group's members become."))
            data["role"], data["unit"], data["unit_role"] = "", None, ""
        for name in ("role", "unit", "unit_role", "department"):
            setattr(self.instance, name, data.get(name))
        return data


def _reapplied(request: HttpRequest) -> None:
    count = services.mapping_reapply()
    messages.info(
        request,
        ngettext(
            "The mapping was applied to %(n)d account from the directory.",
            "The mapping was applied to %(n)d accounts from the directory.",
            count,
        )
        % {"n": count},
    )


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    form = GroupMappingForm
    list_display = ("group_object_id", "group_name", "description", "kind", "target")
    list_filter = ("kind",)
    search_fields = ("group_object_id", "description")
    autocomplete_fields = ("unit", "department")

    @admin.display(description=_("name in the directory"))
    def group_name(self, obj: GroupMapping) -> str:
        group = DirectoryGroup.objects.filter(object_id=obj.group_object_id).first()
        return group.display_name if group and group.display_name else "–"

    @admin.display(description=_("gives"))
    def target(self, obj: GroupMapping) -> str:
        return obj.target_label()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _reapplied(request)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        _reapplied(request)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        _reapplied(request)


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(ReadOnlyAdmin):
    list_display = ("object_id", "display_name", "provisioned", "member_count", "updated_at")
    list_filter = ("provisioned",)
    search_fields = ("object_id", "display_name")
    fields = ("object_id", "display_name", "provisioned", "updated_at")

    @admin.display(description=_("members"))
    def member_count(self, obj: DirectoryGroup) -> int:
        return obj.members.count()


class ProvisioningTokenForm(forms.ModelForm):
    class Meta:
        model = ProvisioningToken
        fields = ("name", "is_active")


@admin.register(ProvisioningToken)
class ProvisioningTokenAdmin(admin.ModelAdmin):
    form = ProvisioningTokenForm
    list_display = ("name", "is_active", "created_at", "last_used_at")
    readonly_fields = ("created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            token = token_new()
            obj.digest = digest(token)
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _("The token is shown only now. Copy it to Entra ID's provisioning (Secret Token): %(token)s")
                % {"token": token},
            )
            return
        super().save_model(request, obj, form, change)
