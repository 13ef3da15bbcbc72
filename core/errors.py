"""Kontakt's own error pages: 400, 403, 404, 405, 500 and a refused form
(CSRF). Each says in plain words what happened and where to go next, and
shows nothing of the request or the stack.

The 500 page is rendered from a plain context, without the request and its
context processors: when the server fails, the database or the session may
be the reason, and the error page must not fail too."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils import translation


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("errors/400.html", request=request))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("errors/403.html", request=request))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("errors/404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    context = {
        "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
    }
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was refused because its token was missing
    or old (often a page left open for long, or cookies blocked)."""
    return HttpResponseForbidden(loader.render_to_string("errors/403_csrf.html", request=request))


class MethodNotAllowedPage:
    """`require_POST` and its kin answer 405 with an empty body: give that
    answer the 405 page, keeping its Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        page = HttpResponse(loader.render_to_string("errors/405.html", request=request), status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
