"""Reads the portal's views share."""
from __future__ import annotations

from django.db.models import QuerySet

from cases.models import Case, Category


def categories_for_intake() -> QuerySet[Category]:
    """The subject areas a citizen can choose: active ones whose default unit
    is active, in the administrator's order."""
    return Category.objects.filter(is_active=True, default_unit__is_active=True).order_by("position", "name")


def case_for_receipt(public_id) -> Case | None:
    """The case a receipt page shows, with what the page reads in one query."""
    return (
        Case.objects.select_related("category", "unit", "contact")
        .filter(public_id=public_id)
        .first()
    )
