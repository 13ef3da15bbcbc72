"""Template helpers for the back office."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def select(bound_field):
    """A <select> rendered in Python: Django's widget templates render each
    option through a template, which dominates a list page with a hundred
    subject areas and fifty units."""
    widget = bound_field.field.widget
    attrs = {**widget.attrs, "name": bound_field.html_name, "id": bound_field.auto_id}
    value = bound_field.value()
    selected = "" if value in (None, "") else str(value)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((str(v), " selected" if str(v) == selected else "", label) for v, label in bound_field.field.choices),
    )
    return format_html("<select{}>{}</select>", flatatt(attrs), options)
