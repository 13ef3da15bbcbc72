"""The floor of a back-office request: a view that does nothing behind the
same middleware and the same staff gate (session, user, second factor, the
permission context) as the case list and the case page. What a page costs
above this is its own work: queries, permission checks, templates.

The benchmarks put this module in front of the project's URLs for their run
(override_settings(ROOT_URLCONF="bench.floor")); the project never serves it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from cases.views.access import StaffRequest, staff_view
from kontakt.urls import urlpatterns as project_urlpatterns

FLOOR_URL = "/bench/bare/"


@staff_view
def bare(request: StaffRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(FLOOR_URL.strip("/") + "/", bare), *project_urlpatterns]
