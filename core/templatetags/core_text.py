"""Small filters for showing stored values: phone numbers and ISO times."""

from __future__ import annotations

from datetime import datetime

from django import template

from core.validators import is_mobile as _is_mobile
from core.validators import phone_display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+46406256000 as 040-625 60 00."""
    return phone_display(value or "")


@register.filter
def is_mobile(value: str) -> bool:
    return _is_mobile(value or "")


@register.filter
def iso_datetime(value: str) -> datetime | str:
    """An ISO 8601 moment stored as text (a timeline event's details), as a
    datetime for the date filter, which shows it in local time."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
