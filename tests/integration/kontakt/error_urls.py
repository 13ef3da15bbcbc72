"""The site's URLs plus views that fail on purpose, for the error page
tests only (never in kontakt/urls.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kontakt.urls import handler400, handler403, handler404, handler500
from kontakt.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret detail of the request")


def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("secret detail of the rule")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of the stack")


urlpatterns = [
    path("test-fel/400/", suspicious),
    path("test-fel/403/", denied),
    path("test-fel/500/", broken),
    *site_urlpatterns,
]
