"""Statistics pages and their exports, for every member of staff
(cases.permissions.can_read_statistics). Citizens and anonymous visitors
never see them. Drill-down links appear only for staff with case access."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.views.access import statistics_view
from stats import selectors, tables
from stats.charts import trend_summary, trend_svg
from stats.exports import FileHeader, table_csv, table_xlsx
from stats.forms import StatisticsForm, with_current_names
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters


def _read_form(request):
    today = timezone.localdate()
    if "period" in request.GET:
        form = StatisticsForm(with_current_names(request.GET), today=today)
        if form.is_valid():
            return form, form.chosen_period, form.chosen_filters, today
        return form, None, None, today
    period = Period.last_full_month(today)
    return StatisticsForm(initial=StatisticsForm.initial_for(period), today=today), period, Filters(), today


def _query(period: Period, filters: Filters) -> str:
    return urlencode({**period.query(), **filters.query()})


def _context(request, form, period, filters) -> dict:
    return {
        "form": form,
        "period": period,
        "filters": filters,
        "filter_list": filters.describe() if filters is not None else [],
        "query": _query(period, filters) if period else "",
        "dimensions": DIMENSIONS.values(),
    }


def _trend(filters: Filters, period: Period, today, links: bool):
    months = selectors.trend(end_month=period.end, filters=filters, today=today)
    return months, tables.trend_table(months, filters=filters, links=links)


@statistics_view
def overview(request):
    form, period, filters, today = _read_form(request)
    context = _context(request, form, period, filters)
    if period is not None:
        links = permissions.has_case_access(request.user)
        figures = selectors.overview(period=period, filters=filters, today=today)
        months, trend = _trend(filters, period, today, links)
        summary = trend_summary(months, mask=bool(filters))
        context.update(
            figures=figures,
            table=tables.overview_table(figures, period=period, filters=filters, links=links),
            trend=trend,
            trend_summary=summary,
            improvements=tables.improvements_table(selectors.improvement_figures(period=period, filters=filters)),
            trend_chart=trend_svg(
                months,
                title_id="trend-title",
                desc_id="trend-desc",
                title=trend.title,
                description=summary,
                mask=bool(filters),
            ),
            today=today,
        )
    return render(request, "stats/overview.html", context, status=200 if period or not form.is_bound else 400)


@statistics_view
def breakdown(request, slug):
    dimension = DIMENSIONS.get(slug)
    if dimension is None:
        raise Http404
    form, period, filters, today = _read_form(request)
    context = _context(request, form, period, filters)
    context["dimension"] = dimension
    if period is not None:
        context["table"] = _breakdown_table(request, dimension, period, filters, today)
    return render(request, "stats/breakdown.html", context, status=200 if period or not form.is_bound else 400)


def _breakdown_table(request, dimension, period, filters, today):
    links = permissions.has_case_access(request.user)
    rows = selectors.breakdown(dimension=dimension, period=period, filters=filters, today=today)
    total = selectors.overview(period=period, filters=filters, today=today)
    return tables.breakdown_table(rows, total, dimension=dimension, period=period, filters=filters, links=links)


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", table_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table_xlsx),
}


@statistics_view
def export(request, slug, fmt):
    if fmt not in EXPORT_FORMATS or (slug not in DIMENSIONS and slug not in ("oversikt", "trend", "forbattringar")):
        raise Http404
    form, period, filters, today = _read_form(request)
    if period is None:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(
            _("The period is not valid: %(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    # Files never carry links into the back office.
    if slug == "oversikt":
        figures = selectors.overview(period=period, filters=filters, today=today)
        table = tables.overview_table(figures, period=period, filters=filters, links=False)
    elif slug == "forbattringar":
        table = tables.improvements_table(selectors.improvement_figures(period=period, filters=filters))
    elif slug == "trend":
        months = selectors.trend(end_month=period.end, filters=filters, today=today)
        table = tables.trend_table(months, filters=filters, links=False)
        period = Period.range(months[0].month, selectors._month_end(months[-1].month))
    else:
        rows = selectors.breakdown(dimension=DIMENSIONS[slug], period=period, filters=filters, today=today)
        total = selectors.overview(period=period, filters=filters, today=today)
        table = tables.breakdown_table(
            rows, total, dimension=DIMENSIONS[slug], period=period, filters=filters, links=False
        )
    header = FileHeader(
        title=str(table.title),
        municipality=settings.KONTAKT_MUNICIPALITY_NAME,
        period=f"{period.label} ({period.dates})" if period.kind != "range" else period.dates,
        filters=filters.describe(),
    )
    content_type, writer = EXPORT_FORMATS[fmt]
    response = HttpResponse(writer(table, header), content_type=content_type)
    filename = f"statistik-{slug}-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
