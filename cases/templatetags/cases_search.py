"""The list's excerpt with the search's matches marked (cases.search.highlight)."""

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from cases import search

register = template.Library()


@register.filter
def highlighted(text: str, words: Sequence[str] = ()) -> SafeString:
    """Escaped, shortened, each match in <mark>: `{{ case.excerpt|highlighted:search_words }}`."""
    return search.highlight(text or "", words)
