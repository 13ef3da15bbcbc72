"""The back office's improvements ("Du sa – vi gjorde", cases.improvements):
the list with filters and a CSV export, a new item (from an answer's
suggested improvement, or on its own), and an item's page where it is
changed, published and linked to more cases. Every member of staff with case
access reads them; who may change what is in cases.permissions."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import improvements, permissions
from cases.forms import (
    ImprovementChangeForm,
    ImprovementChooseForm,
    ImprovementFilterForm,
    ImprovementForm,
    ImprovementLinkForm,
    ImprovementPublishForm,
)
from cases.models import Answer, Improvement
from cases.views.access import StaffRequest, staff_view

PAGE_SIZE = 50
# Text a spreadsheet would run as a formula gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filters(request: StaffRequest) -> tuple[ImprovementFilterForm, improvements.ImprovementFilters]:
    form = ImprovementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, improvements.ImprovementFilters(
        status=data.get("status") or "",
        unit=data.get("unit"),
        department=data.get("department"),
        q=(data.get("q") or "").strip(),
    )


@require_GET
@staff_view
def improvement_list(request: StaffRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = Paginator(improvements.improvements_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/improvements/list.html",
        {"form": form, "page": page, "query_string": params.urlencode()},
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@require_GET
@staff_view
def improvement_export(request: StaffRequest) -> HttpResponse:
    """The filtered list as CSV (semicolons, UTF-8 with BOM, like the
    statistics' files). Linked cases the reader may not see are counted but
    not named."""
    _form, filters = _filters(request)
    items = list(improvements.improvements_list(filters))
    numbers = improvements.improvement_case_numbers(items, permissions.cases_visible_to(request.user))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Id"),
            _("Title"),
            _("Status"),
            _("Owning unit"),
            _("Department"),
            _("Created"),
            _("Done on"),
            _("Published"),
            _("Number of cases"),
            _("Cases"),
            _("Description"),
        ]
    )
    for item in items:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    item.pk,
                    item.title,
                    item.get_status_display(),
                    item.unit.name,
                    item.unit.department.name,
                    timezone.localtime(item.created_at).strftime("%Y-%m-%d"),
                    item.done_on.isoformat() if item.done_on else "",
                    timezone.localtime(item.published_at).strftime("%Y-%m-%d") if item.published_at else "",
                    getattr(item, "case_count", 0),
                    ", ".join(numbers.get(item.pk, [])),
                    item.description,
                )
            ]
        )
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forbattringar-{timezone.localdate().isoformat()}.csv"'
    return response


def _answer_for(request: StaffRequest) -> Answer | None:
    """?svar=<id>: an answer of a case the user works on, or None."""
    raw = request.GET.get("svar") or request.POST.get("svar") or ""
    if not raw.isdigit():
        return None
    answer = get_object_or_404(
        Answer.objects.select_related("case", "case__unit"),
        pk=int(raw),
        case__in=permissions.cases_visible_to(request.user),
    )
    if not permissions.can_work_on(request.user, answer.case):
        raise PermissionDenied
    return answer


@staff_view
def improvement_new(request: StaffRequest) -> HttpResponse:
    """A new item. From an answer (?svar=<id>) the owning unit and the
    description start from the case's unit and the suggested improvement,
    and the answer's case is linked; or the case is linked to an item that
    exists already."""
    answer = _answer_for(request)
    initial = {}
    if answer is not None:
        initial = {"unit": answer.case.unit_id, "description": answer.improvement}
    form = ImprovementForm(request.POST if request.POST.get("action") == "create" else None, initial=initial)
    choose = None
    if answer is not None:
        choose = ImprovementChooseForm(request.POST if request.POST.get("action") == "link" else None, prefix="choose")
    if request.method == "POST":
        if request.POST.get("action") == "link" and choose is not None and answer is not None:
            if choose.is_valid():
                item = choose.cleaned_data["improvement"]
                try:
                    improvements.improvement_link(improvement=item, case=answer.case, answer=answer, by=request.user)
                except improvements.ImprovementError as error:
                    choose.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("Case %(number)s is now linked to “%(title)s”.")
                        % {"number": answer.case.number, "title": item.title},
                    )
                    return redirect("cases:improvement", pk=item.pk)
        elif form.is_valid():
            unit = form.cleaned_data["unit"]
            if answer is None and not permissions.can_edit_improvement(request.user, unit.pk):
                form.add_error("unit", _("You can only create improvements for your own units."))
            else:
                item = improvements.improvement_create(
                    title=form.cleaned_data["title"],
                    unit=unit,
                    description=form.cleaned_data["description"],
                    by=request.user,
                    answer=answer,
                )
                messages.success(request, _("The improvement was created."))
                return redirect("cases:improvement", pk=item.pk)
    bound = request.method == "POST"
    return render(
        request,
        "cases/improvements/new.html",
        {"form": form, "choose": choose, "answer": answer},
        status=400 if bound else 200,
    )


def _detail(request: StaffRequest, item: Improvement, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    can_edit = permissions.can_edit_improvement(request.user, item.unit_id)
    can_publish = permissions.can_publish_improvement(request.user, item.unit_id)
    links = list(item.links.select_related("case").filter(case__in=permissions.cases_visible_to(request.user)))
    total = item.links.count()
    forms = {}
    if can_edit:
        forms["change"] = bound.get("change") or ImprovementChangeForm(
            initial={"title": item.title, "unit": item.unit_id, "status": item.status, "description": item.description},
            prefix="change",
        )
        forms["link"] = bound.get("link") or ImprovementLinkForm(prefix="link", user=request.user)
    if can_publish and item.status == Improvement.Status.DONE:
        forms["publish"] = bound.get("publish") or ImprovementPublishForm(
            initial={"public_text": item.public_text}, prefix="publish"
        )
    return render(
        request,
        "cases/improvements/detail.html",
        {
            "item": item,
            "links": links,
            "hidden_links": total - len(links),
            "forms": forms,
            "can_publish": can_publish,
            "has_errors": any(f.errors for f in bound.values()),
        },
        status=status,
    )


def _item(pk: int) -> Improvement:
    return get_object_or_404(Improvement.objects.select_related("unit", "unit__department", "created_by"), pk=pk)


@require_GET
@staff_view
def improvement_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, _item(pk))


@require_POST
@staff_view
def improvement_change(request: StaffRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    if not permissions.can_edit_improvement(request.user, item.unit_id):
        raise PermissionDenied
    form = ImprovementChangeForm(request.POST, prefix="change")
    if not form.is_valid():
        return _detail(request, item, {"change": form}, status=400)
    data = form.cleaned_data
    improvements.improvement_update(
        improvement=item,
        title=data["title"],
        unit=data["unit"],
        status=data["status"],
        description=data["description"],
        by=request.user,
    )
    messages.success(request, _("The improvement was saved."))
    return redirect("cases:improvement", pk=item.pk)


@require_POST
@staff_view
def improvement_link_case(request: StaffRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    if not permissions.can_edit_improvement(request.user, item.unit_id):
        raise PermissionDenied
    form = ImprovementLinkForm(request.POST, prefix="link", user=request.user)
    if form.is_valid():
        try:
            improvements.improvement_link(improvement=item, case=form.case, by=request.user)
        except improvements.ImprovementError as error:
            form.add_error("number", str(error))
    if form.errors:
        return _detail(request, item, {"link": form}, status=400)
    messages.success(request, _("Case %(number)s was linked.") % {"number": form.case.number})
    return redirect("cases:improvement", pk=item.pk)


@require_POST
@staff_view
def improvement_publish(request: StaffRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    if not permissions.can_publish_improvement(request.user, item.unit_id):
        raise PermissionDenied
    if request.POST.get("action") == "unpublish":
        improvements.improvement_unpublish(improvement=item, by=request.user)
        messages.success(request, _("The improvement is no longer shown on the public page."))
        return redirect("cases:improvement", pk=item.pk)
    form = ImprovementPublishForm(request.POST, prefix="publish")
    if form.is_valid():
        try:
            improvements.improvement_publish(
                improvement=item, public_text=form.cleaned_data["public_text"], by=request.user
            )
        except improvements.ImprovementError as error:
            form.add_error(None, str(error))
    if form.errors:
        return _detail(request, item, {"publish": form}, status=400)
    messages.success(request, _("The improvement is published on the public page."))
    return redirect("cases:improvement", pk=item.pk)
