"""The organisation's drop-downs (subject areas, departments, units) as
ready (value, label) pairs per language, kept in the cache: every case list
shows all three, and they change only when an administrator changes the
organisation. Saving or deleting a department, unit or subject area forgets
them (connected in CasesConfig.ready()), at once and again after the commit,
so a request that read the old rows meanwhile cannot keep them. Without a
working cache they are read from the database (core.cache)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language

from cases.models import Category, Department, Unit
from core.cache import cached, forget

# Version the key when the shape of the value changes.
_KEY = "cases:organisation-choices:1:{language}"
# The longest a value is kept: bounds how stale it can be if the cache was
# unreachable when a change tried to forget it.
TIMEOUT_SECONDS = 3600

Pairs = list[tuple[str, str]]


class OrganisationChoices(TypedDict):
    categories: Pairs
    departments: Pairs
    units: Pairs


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        language = language.split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def _read(language: str) -> OrganisationChoices:
    return {
        "categories": [(str(c.pk), c.localized_name(language)) for c in Category.objects.all()],
        "departments": [(str(pk), name) for pk, name in Department.objects.values_list("pk", "name")],
        "units": [(str(pk), name) for pk, name in Unit.objects.values_list("pk", "name")],
    }


def organisation_choices() -> OrganisationChoices:
    """The three lists in the current language, in the models' order."""
    language = _language()
    return cached(_KEY.format(language=language), lambda: _read(language), timeout=TIMEOUT_SECONDS)


def organisation_changed(**_kwargs: Any) -> None:
    """A receiver for post_save and post_delete of the three models."""
    keys = [_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    forget(*keys)
    transaction.on_commit(lambda: forget(*keys))
