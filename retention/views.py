"""The right-of-access tool (GDPR article 15) for administrators. The
identifiers are sent by POST only, so a personal number never appears in a
URL, a server log or the browser's history."""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases import permissions
from cases.views.access import staff_view
from retention import exports, selectors
from retention.forms import PersonSearchForm


def administrator_view(view):
    @staff_view
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


FOUND_BY = {"number": _("personal identity number"), "email": _("e-mail address"), "phone": _("phone number")}


def _record(form: PersonSearchForm) -> selectors.PersonRecord:
    data = form.cleaned_data
    record = selectors.person_record(number_hash=data["number"], email=data["email"], phone=data["phone"])
    for case in record.cases:
        case.found_by = [FOUND_BY[how] for how in sorted(record.matched_by.get(case.pk, ()))]
    return record


@never_cache
@require_http_methods(["GET", "POST"])
@administrator_view
def person_search(request):
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    record = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            record = _record(form)
        else:
            status = 400
    return render(request, "retention/person_search.html", {"form": form, "record": record}, status=status)


@never_cache
@require_POST
@administrator_view
def person_export(request):
    form = PersonSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "retention/person_search.html", {"form": form, "record": None}, status=400)
    record = _record(form)
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    if request.POST.get("format") == "text":
        response = HttpResponse(exports.as_text(record), content_type="text/plain; charset=utf-8")
        filename = f"registerutdrag-{stamp}.txt"
    else:
        body = json.dumps(exports.as_data(record), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"registerutdrag-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
