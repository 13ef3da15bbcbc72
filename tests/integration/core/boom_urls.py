"""Kontakt's URLs plus one page that fails, to see the 500 page's headers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kontakt.urls import urlpatterns as kontakt_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault inside a page")


urlpatterns = [path("boom/", boom), *kontakt_urlpatterns]
