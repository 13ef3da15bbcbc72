"""Middleware every response and request passes: the Permissions-Policy header
and the refusal of input no page can use (README, "Security")."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.urls import get_resolver

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PermissionsPolicyMiddleware:
    """Switches off the browser features no page uses (KONTAKT_PERMISSIONS_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.KONTAKT_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.KONTAKT_PERMISSIONS_POLICY)
        return response


class AdminStylesMiddleware:
    """Lets the Django admin's own widgets set inline styles (the change
    list's filter, the autocomplete widget): `style-src 'unsafe-inline'` on
    the admin's pages only. Scripts stay 'self' everywhere, and no page a
    citizen or case officer uses gets the exception. Placed after
    csp.middleware.CSPMiddleware, so it marks the response before the policy
    is written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(settings.KONTAKT_ADMIN_PATH):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}  # type: ignore[attr-defined]  # django-csp reads it
        return response


class BadInput(SuspiciousOperation):
    """A request carrying text no page can use; the message names the place,
    never the content."""


class RejectBadInputMiddleware:
    """Answers 400 when a NUL byte or a byte sequence that is not UTF-8 sits
    in the path, the query string, a header, a cookie or posted form data.

    No page needs them, and further in they cause errors rather than
    messages: PostgreSQL refuses NUL in text, so a NUL in a case number
    reached the database as a 500. Checked on the raw bytes, before Django
    quietly replaces broken UTF-8 with U+FFFD. Multipart form fields are
    decoded by Django's parser with replacement, so only NUL is refused there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        problem = bad_input(request)
        if problem:
            # The project's 400 page (handler400), logged as a warning without a
            # traceback: a probe, not a fault of Kontakt.
            exception = BadInput(f"Refused a request with a NUL byte or broken UTF-8 in the {problem}.")
            logger.warning("%s", exception)
            handler: Callable[..., HttpResponseBase] = get_resolver().resolve_error_handler(400)
            return handler(request, exception)
        return self.get_response(request)


def _raw(value: str) -> bytes:
    """The bytes behind a WSGI string (latin-1 by the WSGI rule)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _bad_bytes(raw: bytes, encoding: str = "utf-8") -> bool:
    if b"\x00" in raw:
        return True
    try:
        raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return True
    return False


# NUL or a lone surrogate (what undecodable bytes become in a str).
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def _bad_text(value: str) -> bool:
    return _BAD_TEXT.search(value) is not None


def bad_input(request: HttpRequest) -> str:
    """Where the request carries bad text ("path", "query string", ...), or ""."""
    meta = request.META
    if _bad_bytes(_raw(meta.get("PATH_INFO", ""))) or _bad_text(request.path):
        return "path"
    if _bad_bytes(unquote_to_bytes(_raw(meta.get("QUERY_STRING", "")).replace(b"+", b" "))):
        return "query string"
    for key, value in meta.items():
        if key.startswith("HTTP_") and isinstance(value, str) and _bad_bytes(_raw(value)):
            return "headers"
    if any(_bad_text(name) or _bad_text(value) for name, value in request.COOKIES.items()):
        return "cookies"
    if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
        encoding = (request.content_params or {}).get("charset") or settings.DEFAULT_CHARSET
        try:
            if request.content_type == "application/x-www-form-urlencoded":
                if _bad_bytes(unquote_to_bytes(request.body.replace(b"+", b" ")), encoding):
                    return "form data"
            elif any(
                _bad_text(name) or any(_bad_text(value) for value in values) for name, values in request.POST.lists()
            ) or any(_bad_text(upload.name or "") for _, uploads in request.FILES.lists() for upload in uploads):
                return "form data"
        except MultiPartParserError:
            return "form data"
    return ""
