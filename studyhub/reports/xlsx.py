"""Report tables as an Excel workbook that other tools can read.

One sheet per table, named after its title: exactly one header row (bold, filled), frozen
below it, an autofilter over the data, then the 合计 row in bold. Numbers stay numbers:
counts as integers, rates (fractions 0-1) with the number format ``0.00%``, scores (percent
0-100) with ``0.00``; an empty figure is an empty cell. Text cannot start a formula
(:func:`studyhub.render.safe_cell`). Column widths follow the display width of the text (a
Chinese character takes two). A sheet 说明 carries each table's title, the as-of and source
lines and every definition once; with a chart, a sheet 图表 shows it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.i18n import t
from studyhub.render import display_width, safe_cell
from studyhub.reports.cells import body_rows, cell_text, plain
from studyhub.reports.table import ReportMeta, ReportTable, all_definitions

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["NUMBER_FORMATS", "render_xlsx", "sheet_names"]

#: Excel's limit on sheet names, and the characters it refuses in them
SHEET_NAME_MAX = 31
_SHEET_BAD = set("[]:*?/\\")
_HEADER_FILL = "DDEBF7"
#: column kind -> Excel number format
NUMBER_FORMATS = {"count": "0", "rate": "0.00%", "score": "0.00"}
#: the widest a column gets (in characters of "0"); longer text wraps in the cell
WIDTH_MAX = 60


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Excel sheet names for ``titles``: without the characters Excel refuses, at most 31
    characters, unique (a suffix such as ``(2)`` keeps repeats apart)."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = "".join("_" if ch in _SHEET_BAD else ch for ch in title).strip().strip("'")
        base = base or "Sheet"
        name = base[:SHEET_NAME_MAX].rstrip()
        number = 2
        while name.casefold() in taken:
            suffix = f"({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _text(value: Any) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value))))


def cell_value(value: Any, kind: str) -> tuple[Any, str | None]:
    """What goes into a cell of a column of ``kind``, and its number format (None: leave
    Excel's). A count is an int, any other number a number; text is made safe."""
    value = plain(value)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return cell_text(value, kind), None
    if isinstance(value, int | float | Decimal):
        if kind == "count" and value == int(value):
            return int(value), NUMBER_FORMATS["count"]
        return value, NUMBER_FORMATS.get(kind)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.isoformat(), None
        return value, "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return value, "yyyy-mm-dd"
    return _text(value), None


def render_xlsx(
    tables: Sequence[ReportTable], meta: ReportMeta | None = None, chart_png: bytes | None = None
) -> bytes:
    """The workbook of ``tables`` (see the module doc) as bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    notes_name, chart_name = t("report.xlsx.notes"), t("report.xlsx.chart")
    # the 说明 and 图表 sheets keep their names; a table titled the same gets a suffix
    fixed = [notes_name, chart_name] if chart_png else [notes_name]
    names = sheet_names([*fixed, *(table.title for table in tables)])[len(fixed) :]
    for table, name in zip(tables, names, strict=True):
        _table_sheet(workbook.create_sheet(name), table)
    _notes_sheet(workbook.create_sheet(notes_name), tables, names, meta)
    if chart_png:
        _chart_sheet(workbook.create_sheet(chart_name), chart_png)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet: Worksheet, table: ReportTable) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill(fill_type="solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
    keys = [key for key, _ in table.columns]
    kinds = [table.kind(key) for key in keys]
    sheet.append([_text(heading) for _, heading in table.columns])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [display_width(str(heading)) for _, heading in table.columns]
    rows = body_rows(table)
    for number, row in enumerate(rows, start=2):
        for column, (key, kind) in enumerate(zip(keys, kinds, strict=True), start=1):
            value, number_format = cell_value(row.get(key), kind)
            cell = sheet.cell(row=number, column=column, value=value)
            if number_format:
                cell.number_format = number_format
            if table.total is not None and number == len(rows) + 1:
                cell.font = bold
            if value is not None:
                widths[column - 1] = max(
                    widths[column - 1], display_width(cell_text(row.get(key), kind))
                )
    if not keys:
        return
    sheet.freeze_panes = "A2"
    last_data = len(table.rows) + 1  # the 合计 row stays out of the filter (and of sorting)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(last_data, 1)}"
    for column, width in enumerate(widths, start=1):
        # the filter button takes about two characters; a cap keeps long text readable
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width, 4) + 4, WIDTH_MAX)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and display_width(cell.value) > WIDTH_MAX:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _notes_sheet(
    sheet: Worksheet, tables: Sequence[ReportTable], names: Sequence[str], meta: ReportMeta | None
) -> None:
    """Titles (and each table's notes), the meta lines, then the definitions each once."""
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    lines: list[tuple[str, str, bool]] = [(t("report.xlsx.tables"), "", True)]
    for table, name in zip(tables, names, strict=True):
        lines.append((table.title, t("report.xlsx.sheet", name=name), False))
        lines.extend((note, "", False) for note in table.notes)
    if meta is not None and meta.lines():
        lines.append(("", "", False))
        lines.extend((line, "", False) for line in meta.lines())
    definitions = all_definitions(list(tables))
    if definitions:
        lines.append(("", "", False))
        lines.append((t("report.xlsx.definitions"), "", True))
        lines.extend((heading, text, False) for heading, text in definitions)
    for first, second, heading in lines:
        sheet.append([_text(first) if first else None, _text(second) if second else None])
        if heading:
            sheet.cell(row=sheet.max_row, column=1).font = bold
    first_width = max((display_width(a) for a, b, _ in lines if b), default=10)
    sheet.column_dimensions["A"].width = min(max(first_width, 10) + 2, 40)
    sheet.column_dimensions["B"].width = 80
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 2, vertical="top")


def _chart_sheet(sheet: Worksheet, png: bytes) -> None:
    """The chart as a picture (openpyxl needs Pillow for it: matplotlib, which draws the
    chart, depends on Pillow, so it is there whenever a chart is)."""
    from openpyxl.drawing.image import Image

    try:
        image = Image(io.BytesIO(png))
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        sheet["A1"] = t("report.xlsx.no_image")
        return
    sheet.add_image(image, "A1")
