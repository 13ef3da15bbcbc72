"""The statistics as tables: the same objects are rendered as HTML and
written to CSV and Excel, so the page and the files always agree.

Small numbers: a count of 1 or 2 in a cell that describes part of the
municipality (a row of a breakdown, or any figure once a filter narrows
the selection) is shown as "<3", since together with what a reader knows
it could point at a person. A percentage or a number of working days
computed over fewer than 3 cases, or whose count of cases in time is
masked, is not shown ("–"). Totals for the whole municipality are shown
as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stats.periods import Period
from stats.selectors import BreakdownRow, Dimension, Figures, Filters, ImprovementFigures, TrendMonth, _month_end

MASK = "<3"
NOT_SHOWN = "–"
BACKOFFICE_LIST_PATH = "/handlaggning/arenden/"


def backoffice_url(params: dict[str, str]) -> str:
    """The back-office case list (url name "cases:list") with filters. The
    one place that knows the list's address and parameters."""
    return f"{BACKOFFICE_LIST_PATH}?{urlencode(params)}"


@dataclass
class Cell:
    value: object  # what the files get: int, float, str or None
    text: str  # what the page shows
    href: str = ""
    masked: bool = False
    header: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    footer: list[list[Cell]] = field(default_factory=list)


def _is_small(n: int) -> bool:
    return 0 < n < 3


def count_cell(n: int, *, mask: bool, href: str = "") -> Cell:
    if mask and _is_small(n):
        return Cell(MASK, MASK, href, masked=True)
    return Cell(n, number_format(n, force_grouping=True), href)


def pct_cell(n: int, base: int, pct: float | None, *, mask: bool) -> Cell:
    if pct is None or (mask and (base < 3 or _is_small(n))):
        return Cell(None, NOT_SHOWN)
    return Cell(pct, f"{number_format(pct, 1)} %")


def days_cell(value: float | None, base: int, *, mask: bool) -> Cell:
    if value is None or (mask and base < 3):
        return Cell(None, NOT_SHOWN)
    value = round(value, 1)
    return Cell(value, number_format(value, 0 if value == int(value) else 1))


def mean_cell(value: float | None, base: int, *, mask: bool) -> Cell:
    """A mean score, to one decimal; not shown over fewer than 3 answers."""
    if value is None or (mask and base < 3):
        return Cell(None, NOT_SHOWN)
    value = round(value, 1)
    return Cell(value, number_format(value, 1))


FIGURE_COLUMNS = None  # filled lazily: translated headers need an active language


def figure_headers() -> list[str]:
    return [
        pgettext("statistics", "Received"),
        pgettext("statistics", "Answered"),
        pgettext("statistics", "Closed"),
        pgettext("statistics", "Still open"),
        pgettext("statistics", "Overdue now"),
        pgettext("statistics", "Answered in time"),
        _("Answered in time, %"),
        pgettext("statistics", "Closed in time"),
        _("Closed in time, %"),
        _("Working days to answer, median"),
        _("Working days to answer, 90th percentile"),
        _("Working days to closing, median"),
        _("Working days to closing, 90th percentile"),
        pgettext("statistics", "Due date extended"),
        _("Answered in time, original due date, %"),
        _("Closed in time, original due date, %"),
        _("Asked in the satisfaction survey"),
        _("Survey answers"),
        _("Survey response rate, %"),
        _("Satisfied (4–5), %"),
        _("Mean satisfaction (1–5)"),
        _("Got an answer to what they asked, %"),
    ]


def figure_cells(f: Figures, *, mask: bool, drill: dict[str, str] | None) -> list[Cell]:
    """One row of figures. drill holds the back-office parameters that select
    the row's cases (None: no links for this reader)."""

    def link(**extra) -> str:
        return backoffice_url({**drill, **extra}) if drill is not None else ""

    return [
        count_cell(f.received, mask=mask, href=link()),
        count_cell(f.answered, mask=mask),
        count_cell(f.closed, mask=mask, href=link(status="closed")),
        count_cell(f.open, mask=mask, href=link(queue="open")),
        count_cell(f.overdue, mask=mask, href=link(queue="overdue")),
        count_cell(f.answered_in_time, mask=mask),
        pct_cell(f.answered_in_time, f.answer_base, f.answered_in_time_pct, mask=mask),
        count_cell(f.closed_in_time, mask=mask),
        pct_cell(f.closed_in_time, f.close_base, f.closed_in_time_pct, mask=mask),
        days_cell(f.answer_median, f.answered, mask=mask),
        days_cell(f.answer_p90, f.answered, mask=mask),
        days_cell(f.close_median, f.closed, mask=mask),
        days_cell(f.close_p90, f.closed, mask=mask),
        count_cell(f.extended, mask=mask),
        pct_cell(f.answered_in_time_original, f.answer_base_original, f.answered_in_time_original_pct, mask=mask),
        pct_cell(f.closed_in_time_original, f.close_base_original, f.closed_in_time_original_pct, mask=mask),
        count_cell(f.survey_asked, mask=mask),
        count_cell(f.survey_responses, mask=mask),
        pct_cell(f.survey_responses, f.survey_asked, f.survey_response_pct, mask=mask),
        pct_cell(f.survey_satisfied, f.survey_responses, f.survey_satisfied_pct, mask=mask),
        mean_cell(f.survey_mean, f.survey_responses, mask=mask),
        pct_cell(f.survey_got_answer, f.survey_responses, f.survey_got_answer_pct, mask=mask),
    ]


def period_drill(period: Period, filters: Filters) -> dict[str, str]:
    return {"received_from": period.start.isoformat(), "received_to": period.end.isoformat(), **filters.drill()}


def overview_table(f: Figures, *, period: Period, filters: Filters, links: bool) -> Table:
    drill = period_drill(period, filters) if links else None
    cells = figure_cells(f, mask=bool(filters), drill=drill)
    table = Table(
        "oversikt",
        pgettext("statistics", "Overview"),
        [pgettext("statistics", "Figure"), pgettext("statistics", "Value")],
    )
    for header, cell in zip(figure_headers(), cells, strict=True):
        table.rows.append([Cell(header, header, header=True), cell])
    return table


def breakdown_table(
    rows: list[BreakdownRow], total: Figures, *, dimension: Dimension, period: Period, filters: Filters, links: bool
) -> Table:
    table = Table(
        dimension.slug,
        _("By %(dimension)s") % {"dimension": str(dimension.title).lower()},
        [str(dimension.title), *figure_headers()],
    )
    for row in rows:
        drill = None
        if links:
            extra = {dimension.drill_param: str(row.key)} if row.key != "" else {"queue": "open"}
            drill = {**period_drill(period, filters), **extra}
        label = f"{row.label} ({row.detail})" if row.detail else row.label
        table.rows.append([Cell(label, label, header=True), *figure_cells(row.figures, mask=True, drill=drill)])
    total_label = pgettext("statistics", "Total")
    table.footer.append(
        [
            Cell(total_label, total_label, header=True),
            *figure_cells(total, mask=bool(filters), drill=period_drill(period, filters) if links else None),
        ]
    )
    return table


def trend_table(months: list[TrendMonth], *, filters: Filters, links: bool) -> Table:
    table = Table(
        "trend",
        _("Received, closed in time and satisfaction per month"),
        [
            pgettext("statistics", "Month"),
            pgettext("statistics", "Received"),
            pgettext("statistics", "Closed in time"),
            _("Closed in time, %"),
            _("Survey answers"),
            _("Satisfied (4–5), %"),
            _("Mean satisfaction (1–5)"),
        ],
    )
    mask = bool(filters)
    for m in months:
        drill = None
        if links:
            drill = {
                "received_from": m.month.isoformat(),
                "received_to": _month_end(m.month).isoformat(),
                **filters.drill(),
            }
        label = date_format(m.month, "F Y").capitalize()
        table.rows.append(
            [
                Cell(m.month.strftime("%Y-%m"), label, header=True),
                count_cell(m.received, mask=mask, href=backoffice_url(drill) if drill else ""),
                count_cell(m.closed_in_time, mask=mask),
                pct_cell(m.closed_in_time, m.close_base, m.closed_in_time_pct, mask=mask),
                count_cell(m.survey_responses, mask=mask),
                pct_cell(m.survey_satisfied, m.survey_responses, m.survey_satisfied_pct, mask=mask),
                mean_cell(m.survey_mean, m.survey_responses, mask=mask),
            ]
        )
    return table


def improvements_table(f: ImprovementFigures) -> Table:
    """Improvements are not about people: their counts are shown as they are."""
    table = Table(
        "forbattringar",
        _("Improvements"),
        [pgettext("statistics", "Figure"), pgettext("statistics", "Value")],
    )
    for header, n in [
        (_("Improvements created"), f.created),
        (_("of them proposed now"), f.proposed),
        (_("of them planned now"), f.planned),
        (_("of them done now"), f.done),
        (_("Improvements done"), f.done_in_period),
        (_("of them published"), f.published),
    ]:
        table.rows.append([Cell(header, header, header=True), count_cell(n, mask=False)])
    return table
