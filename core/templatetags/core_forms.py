"""Template helpers of the accessible form system (core/forms.py)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.forms import BoundField
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.forms import FIELD_TEMPLATE

register = template.Library()


@register.simple_tag
def field(bound_field: BoundField, wrapper_class: str = "") -> SafeString:
    """One field through the form system's crispy field template, for pages
    that place fields themselves rather than through a crispy layout."""
    return render_to_string(FIELD_TEMPLATE, {"field": bound_field, "wrapper_class": wrapper_class})


@lru_cache(maxsize=512)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, the option, the option selected) for each choice, escaped once
    per process for a given list (the lists of a page repeat on every request)."""
    rendered = []
    for value, label in choices:
        start, rest = f'<option value="{escape(value)}"', f">{escape(label)}</option>"
        rendered.append((value, start + rest, start + " selected" + rest))
    return tuple(rendered)


@register.simple_tag
def select(bound_field: BoundField) -> SafeString:
    """A <select> rendered in Python: Django's widget templates render each
    option through a template, which dominates a list page with a hundred
    subject areas and fifty units. Its attributes come from Django as for any
    widget (aria-describedby, aria-invalid, required)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({"class": "form-select", **widget.attrs})
    attrs.update({"name": bound_field.html_name, "id": bound_field.auto_id})
    value = bound_field.value()
    selected = "" if value in (None, "") else str(value)
    choices = tuple((str(v), str(label)) for v, label in bound_field.field.choices)  # type: ignore[attr-defined]
    options = "".join(plain if v != selected else chosen for v, plain, chosen in _options(choices))
    return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))  # escaped in _options


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """mapping[key], or "" when missing (for per-option hints)."""
    if not mapping:
        return ""
    return mapping.get(key, "")
