"""The gate of the back office. Every view is wrapped in staff_view:

- an unauthenticated visitor is sent to sign-in;
- a citizen gets 404: the back office does not exist for them;
- a member of staff without TOTP is sent to set it up; one whose session did
  not pass the TOTP step is signed out and sent to sign in again;
- a member of staff without case access (a statistics reader) gets 403.
What each person may see and do is decided in cases/permissions.py."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.mfa import has_totp, session_passed_mfa
from cases import permissions


def _signed_in_staff(request):
    """None when the request comes from staff who passed the second factor;
    otherwise the response that sends them where they need to go."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not permissions.is_staff_user(user):
        raise Http404
    if not session_passed_mfa(request):
        if has_totp(user):
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        messages.info(request, _("Set up two-factor authentication before you continue."))
        return redirect("mfa_activate_totp")
    return None


def staff_view(view):
    """Back-office views: staff with case access."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (response := _signed_in_staff(request)) is not None:
            return response
        if not permissions.has_case_access(request.user):
            raise PermissionDenied(_("You do not have access to cases."))
        return view(request, *args, **kwargs)

    return wrapped


def statistics_view(view):
    """Statistics pages: any member of staff, statistics readers included."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (response := _signed_in_staff(request)) is not None:
            return response
        if not permissions.can_read_statistics(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
