"""Admin bases every app may use."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are only ever appended by services: the admin may read
    them, never add, change or delete them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LabelledListEditableAdmin(admin.ModelAdmin):
    """The fields a list lets one edit in place (`list_editable`) have no
    label of their own in Django's admin: name each one for screen readers
    after its column and its row ("position – Gatubelysning")."""

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        base = super().get_changelist_form(request, **kwargs)

        class Labelled(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label} – {self.instance}")

        return Labelled
