"""{% staff_nav %} and {% staff_home_url %}: the one staff menu and the site
name's link, rendered by every staff base template (templates/cases/base.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse

from cases import navigation
from core.access import is_staff_user
from core.mfa import session_passed_mfa

register = template.Library()


def _staff_request(context: template.Context) -> HttpRequest | None:
    """The request of a member of staff, None for anyone else."""
    request = context.get("request")
    if isinstance(request, HttpRequest) and is_staff_user(getattr(request, "user", None)):
        return request
    return None


@register.inclusion_tag("cases/_staff_nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    request = _staff_request(context)
    if request is None:
        return {"links": [], "signed_in": False}
    # Until the second factor is passed (setting up TOTP) only "Sign out" is offered.
    links = navigation.staff_links(request.user, request.path) if session_passed_mfa(request) else []
    return {"links": links, "signed_in": True, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def staff_home_url(context: template.Context) -> str:
    """The site name leads each member of staff to their own start page."""
    request = _staff_request(context)
    if request is not None and session_passed_mfa(request):
        return navigation.landing_url(request.user)
    return reverse("cases:home")
