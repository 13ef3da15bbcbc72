"""How long a signed-in session lasts, by the kind of user.

- Citizens (Mina sidor, often on a shared computer): the session cookie has no
  expiry, so it ends when the browser closes, and the session ends after
  KONTAKT_CITIZEN_IDLE_MINUTES without a request (default 30).
- Staff: the session ends after KONTAKT_STAFF_IDLE_MINUTES without a request
  (default 60) and at the latest KONTAKT_STAFF_SESSION_HOURS after sign-in
  (default 8: one working day).

A page warns two minutes before the idle limit (static/js/session.js); its
"Continue" button calls keep_alive. Without JavaScript the session still
ends on the server, and the next request lands on the "session ended" page,
which shows back any text that request carried so it can be copied.

Django's login() gives the session a new key at every sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

SIGNED_IN_AT = "kontakt_signed_in_at"
ACTIVE_AT = "kontakt_active_at"
# The last activity is written at most this often, so that a session is not
# saved on every request.
ACTIVITY_RESOLUTION_SECONDS = 30
# Fields never shown back on the "session ended" page.
NOT_SHOWN = ("csrfmiddlewaretoken", "password", "code", "next", "language")


@dataclass(frozen=True)
class SessionPolicy:
    kind: str  # "citizen" or "staff"
    idle_seconds: int
    max_seconds: int | None


def policy_for(user: User) -> SessionPolicy:
    if user.is_citizen:
        return SessionPolicy("citizen", settings.KONTAKT_CITIZEN_IDLE_MINUTES * 60, None)
    return SessionPolicy("staff", settings.KONTAKT_STAFF_IDLE_MINUTES * 60, settings.KONTAKT_STAFF_SESSION_HOURS * 3600)


def session_begin(request: HttpRequest, user: User) -> None:
    """Called right after login(): the clock starts, and a citizen's cookie
    lasts only as long as the browser."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now
    policy = policy_for(user)
    if policy.kind == "citizen":
        request.session.set_expiry(0)
    elif policy.max_seconds:
        request.session.set_expiry(timezone.now() + timedelta(seconds=policy.max_seconds))


def on_signed_in(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Django's user_logged_in: after login() has given the session a new key."""
    if request is not None and hasattr(request, "session") and isinstance(user, User):
        session_begin(request, user)


def session_expired(request: HttpRequest, policy: SessionPolicy, now: float) -> bool:
    signed_in_at = float(request.session.get(SIGNED_IN_AT, now))
    active_at = float(request.session.get(ACTIVE_AT, now))
    if now - active_at >= policy.idle_seconds:
        return True
    return policy.max_seconds is not None and now - signed_in_at >= policy.max_seconds


def _typed_texts(request: HttpRequest) -> list[str]:
    if request.method != "POST":
        return []
    texts = []
    for name, values in request.POST.lists():
        if any(word in name for word in NOT_SHOWN):
            continue
        texts += [value for value in values if isinstance(value, str) and len(value.strip()) > 2]
    return texts


def session_ended_response(request: HttpRequest, policy: SessionPolicy) -> HttpResponse:
    texts = _typed_texts(request)
    next_url = request.get_full_path()
    logout(request)
    if request.method in ("GET", "HEAD"):
        query = urlencode({"kind": policy.kind, "next": next_url})
        return HttpResponseRedirect(f"{reverse('session_ended')}?{query}")
    return _ended_page(request, policy.kind, next_url, texts, status=401)


def _ended_page(request: HttpRequest, kind: str, next_url: str, texts: list[str], *, status: int) -> HttpResponse:
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    if kind == "staff":
        sign_in_url = f"{reverse('account_login')}?{urlencode({'next': next_url})}"
    else:
        sign_in_url = f"{reverse('portal:mina_sidor_sign_in')}?{urlencode({'next': next_url})}"
    context = {
        "kind": kind,
        "sign_in_url": sign_in_url,
        "texts": texts,
        "idle_minutes": settings.KONTAKT_STAFF_IDLE_MINUTES
        if kind == "staff"
        else settings.KONTAKT_CITIZEN_IDLE_MINUTES,
    }
    return render(request, "accounts/session_ended.html", context, status=status)


class SessionTimeoutMiddleware:
    """Ends sessions that have been idle too long (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and isinstance(user, User):
            policy = policy_for(user)
            now = time.time()
            if SIGNED_IN_AT not in request.session:
                # Signed in some other way than the sign-in pages (a forced
                # login): the clock starts now.
                request.session[SIGNED_IN_AT] = now
                request.session[ACTIVE_AT] = now
            elif session_expired(request, policy, now):
                return session_ended_response(request, policy)
            elif now - float(request.session.get(ACTIVE_AT, 0)) >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[ACTIVE_AT] = now
        return self.get_response(request)


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """The warning's "Continue": the middleware has already counted this
    request as activity."""
    if not request.user.is_authenticated or not isinstance(request.user, User):
        return JsonResponse({"signed_in": False}, status=401)
    request.session[ACTIVE_AT] = time.time()
    return JsonResponse({"signed_in": True, "idle_seconds": policy_for(request.user).idle_seconds})


@require_GET
def ended(request: HttpRequest) -> HttpResponse:
    kind = "staff" if request.GET.get("kind") == "staff" else "citizen"
    return _ended_page(request, kind, request.GET.get("next", "/"), [], status=200)
