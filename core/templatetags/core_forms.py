"""Template helpers of the accessible form system (core/forms.py)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.forms import FIELD_TEMPLATE

register = template.Library()


# Rendered fields by everything their HTML depends on (_signature): a page
# shows the same filter and action fields request after request, and the
# template engine is most of such a page's time.
_RENDERED: dict[tuple[Any, ...], SafeString] = {}
_RENDERED_KEPT = 2000
# Longer values are rendered every time, not kept.
_LONGEST_KEPT_VALUE = 200


def _signature(bound: BoundField, wrapper_class: str) -> tuple[Any, ...] | None:
    """Everything the field template reads from a field, or None when the
    field is rendered afresh every time: it has errors, typed text or a
    long value, or options still to be read."""
    if bound.errors:
        return None
    value = bound.value()
    if value is not None and not isinstance(value, str | int | bool | date):
        return None
    if isinstance(value, str) and len(value) > _LONGEST_KEPT_VALUE:
        return None
    field, widget, form = bound.field, bound.field.widget, bound.form
    if field.show_hidden_initial:
        return None
    choices = getattr(widget, "choices", None)  # what the widget renders
    if isinstance(choices, ModelChoiceIterator):
        return None  # reading the options would be one more query
    if isinstance(value, str) and value and choices is None and not widget.is_hidden:
        return None  # typed text (search words, names) is not kept
    return (
        get_language(),
        type(form).__module__,
        type(form).__qualname__,
        form.use_required_attribute,
        form.empty_permitted,
        bound.html_name,
        bound.auto_id,
        wrapper_class,
        type(value).__name__,
        str(value),
        str(bound.label),
        str(field.help_text),
        field.required,
        field.disabled,
        field.localize,
        type(widget).__module__,
        type(widget).__qualname__,
        tuple(sorted((k, str(v)) for k, v in widget.attrs.items())),
        tuple((str(v), str(label)) for v, label in choices) if choices is not None else None,
        getattr(bound, "show_optional_marker", None),
        tuple((k, str(v)) for k, v in getattr(bound, "option_hints", {}).items()),
        getattr(bound, "legend_is_heading", None),
        str(getattr(bound, "legend", "")),
        getattr(bound, "reselect_notice", None),
    )


def _render_field(bound: BoundField, wrapper_class: str = "") -> SafeString:
    key = _signature(bound, wrapper_class)
    if key is not None and (html := _RENDERED.get(key)) is not None:
        return html
    html = render_to_string(FIELD_TEMPLATE, {"field": bound, "wrapper_class": wrapper_class})
    if key is not None:
        if len(_RENDERED) >= _RENDERED_KEPT:
            _RENDERED.clear()
        _RENDERED[key] = html
    return html


@register.simple_tag
def field(bound_field: BoundField, wrapper_class: str = "") -> SafeString:
    """One field through the form system's crispy field template, for pages
    that place fields themselves rather than through a crispy layout."""
    return _render_field(bound_field, wrapper_class)


@register.simple_tag
def fields(form: BaseForm) -> SafeString:
    """Every field of a form without a layout, hidden ones included, through
    the same field template as `{% crispy form %}` uses, without crispy's
    machinery around it. Errors that belong to no field are in the error
    summary (core/_error_summary.html)."""
    return mark_safe("".join(_render_field(bound) for bound in form))


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
