"""CSV and Excel files of the statistics tables. Each file starts with
header rows naming the table, the municipality, the period and the filters,
then the table as on the page (masked cells as "<3").

CSV follows Swedish spreadsheet habits: semicolons, decimal comma, UTF-8
with a byte-order mark. Text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading
apostrophe, in both formats."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stats.tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


@dataclass
class FileHeader:
    title: str
    municipality: str
    period: str
    filters: list[tuple[str, str]]

    def rows(self) -> list[list[str]]:
        filters = "; ".join(f"{k}: {v}" for k, v in self.filters) or pgettext("statistics", "None")
        return [
            [pgettext("statistics", "Table"), self.title],
            [pgettext("statistics", "Municipality"), self.municipality],
            [_("Period (date of receipt)"), self.period],
            [pgettext("statistics", "Filters"), filters],
            [pgettext("statistics", "Created"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [pgettext("statistics", "Note"), _("Counts of 1 or 2 in a part of the municipality are shown as <3.")],
        ]


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def table_csv(table: Table, header: FileHeader) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in header.rows():
        writer.writerow([safe_text(str(v)) for v in row])
    writer.writerow([])
    writer.writerow([safe_text(str(c)) for c in table.columns])
    for cells in [*table.rows, *table.footer]:
        writer.writerow([_csv_value(cell.value) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table, header: FileHeader) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    for row in header.rows():
        sheet.append([safe_text(str(v)) for v in row])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([])
    sheet.append([safe_text(str(c)) for c in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for cells in [*table.rows, *table.footer]:
        values = []
        for table_cell in cells:
            v = table_cell.value
            values.append(safe_text(v) if isinstance(v, str) else v)
        sheet.append(values)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
