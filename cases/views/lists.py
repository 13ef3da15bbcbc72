"""The back office's start page and case list (queues, filters, search)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import deadlines, navigation, permissions, selectors
from cases.forms import CaseFilterForm
from cases.views.access import StaffRequest, any_staff_view, staff_view

PAGE_SIZE = 25


@any_staff_view
def home(request: StaffRequest) -> HttpResponse:
    """Where sign-in lands: each role goes on to its own start page (a
    statistics reader, who has no cases, to the statistics)."""
    return redirect(navigation.landing_url(request.user))


@staff_view
def case_list(request: StaffRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        # Keep what is valid (the queue especially) and show the errors.
        filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    today = deadlines.local_date(timezone.now())
    calendar = deadlines.calendar_for_pages()
    listing = selectors.case_list(user=request.user, filters=filters, today=today, calendar=calendar)
    paginator = selectors.CappedPaginator(listing.cases, PAGE_SIZE)
    if filters.get("q") and not paginator.capped:
        sort = filters.get("sort") or ("due" if filters.get("queue") else "-received")
        paginator.object_list = selectors.order_for_few(paginator.object_list, sort)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(case, selectors.deadline_of(case, today, calendar)) for case in page.object_list]
    # A secret case's text and subject are not shown to those who may not read it.
    hidden = {
        case.pk for case, _deadline in rows if case.is_secret and not permissions.has_secrecy_right(request.user, case)
    }
    params = request.GET.copy()
    params.pop("page", None)
    queue = filters.get("queue") or ""
    queues = selectors.queues_for(request.user)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "hidden": hidden,
            "queues": queues,
            "queue": queue,
            "queue_label": dict(queues).get(queue, ""),
            "query_string": params.urlencode(),
            "marks": listing.marks,
            "can_register": permissions.can_register(request.user),
        },
    )
