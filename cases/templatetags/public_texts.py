"""The process owner's texts on the portal's pages (cases/texts.py): read
from the cache, so a page gains no database query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from cases import texts
from cases.models import Case

register = template.Library()


@register.simple_tag
def public_text(key: str) -> SafeString:
    """{% public_text "start_handled" %}: a text in the current language."""
    return texts.text_html(key)


@register.simple_tag
def receipt_text(case: Case) -> SafeString:
    """The receipt page's text for the case's type."""
    return texts.receipt_html(case.subtype)


@register.inclusion_tag("portal/_service_messages.html")
def service_messages() -> dict[str, Any]:
    """The service messages shown now, at the top of every portal page."""
    return {"service_messages": texts.service_messages_now()}
