"""The list's excerpt with the search's matches marked (cases.search.highlight)."""

from django import template
from django.utils.safestring import SafeString

from cases import search

register = template.Library()


@register.filter
def highlighted(text: str, marks: search.Marks | None = None) -> SafeString:
    """Escaped, shortened, each match in <mark>: `{{ case.excerpt|highlighted:marks }}`."""
    return search.highlight(text or "", marks or search.Marks())
