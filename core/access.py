"""The gate of every staff page. A view wrapped in staff_view:

- an unauthenticated visitor is sent to sign-in;
- a citizen gets 404: the back office does not exist for them;
- a member of staff without TOTP is sent to set it up; one whose session did
  not pass the TOTP step is signed out and sent to sign in again;
- a member of staff for whom the page's rule (`require`) says no gets 403.

The kernel knows nothing of cases or roles: an app passes its own rule in,
for example `staff_view(require=permissions.has_case_access)` in cases."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.mfa import has_totp, session_passed_mfa

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
UserRule = Callable[[Any], bool]


def is_staff_user(user: Any) -> bool:
    """Signed in, active and not a citizen. The user model says who is a
    citizen with its `is_citizen` flag; the kernel reads the flag by name so
    that it never imports the accounts app."""
    return bool(user and user.is_authenticated and user.is_active and not getattr(user, "is_citizen", False))


def signed_in_staff(request: HttpRequest) -> HttpResponseBase | None:
    """None when the request comes from staff who passed the second factor;
    otherwise the response that sends them where they need to go."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not is_staff_user(user):
        raise Http404
    if not session_passed_mfa(request):
        if has_totp(user):
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        messages.info(request, _("Set up two-factor authentication before you continue."))
        return redirect("mfa_activate_totp")
    return None


@overload
def staff_view(view: View, /) -> View: ...
@overload
def staff_view(*, require: UserRule | None = None, denied_message: str | Promise = "") -> Callable[[View], View]: ...
def staff_view(
    view: View | None = None, /, *, require: UserRule | None = None, denied_message: str | Promise = ""
) -> View | Callable[[View], View]:
    """`@staff_view` lets in any member of staff who passed the second
    factor; `staff_view(require=rule)` builds a gate that also asks the
    app's rule and answers 403 (with `denied_message`) when it says no."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if (response := signed_in_staff(request)) is not None:
                return response
            if require is not None and not require(request.user):
                raise PermissionDenied(denied_message)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate
