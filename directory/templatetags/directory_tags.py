from typing import Any

from allauth.socialaccount.adapter import get_adapter
from django import template

from directory.entra.views import PROVIDER_ID

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_sign_in_provider(context: dict[str, Any]) -> Any:
    """The Entra ID provider when it is configured, else None."""
    request = context.get("request")
    if request is None:
        return None
    for provider in get_adapter().list_providers(request):
        if provider.id == PROVIDER_ID:
            return provider
    return None
