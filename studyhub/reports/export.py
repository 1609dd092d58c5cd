"""Writing report tables as aligned text, CSV, Excel, Markdown or JSON.

Every format carries each table's title, its rows and its definitions (what each figure
counts), so a figure never travels without its denominator. No CSV or Excel cell can start a
formula (:func:`studyhub.render.safe_cell`). A path is written atomically: a failure leaves
no half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from studyhub.errors import InputError
from studyhub.i18n import msg, t
from studyhub.render import render_rows, safe_cell
from studyhub.reports.table import ReportMeta, ReportTable
from studyhub.reports.xlsx import sheet_names

__all__ = ["EXPORT_FORMATS", "render_tables", "sheet_names", "write_tables"]

EXPORT_FORMATS = ("table", "csv", "xlsx", "md", "json", "docx")


def write_tables(
    tables: Sequence[ReportTable],
    fmt: str,
    output: str | Path | IO[bytes],
    *,
    meta: ReportMeta | None = None,
    chart_png: bytes | None = None,
) -> None:
    """Write ``tables`` in ``fmt`` (table, csv, xlsx, md, json, docx) to ``output``: a path
    (written atomically) or a binary stream."""
    data = render_tables(tables, fmt, meta=meta, chart_png=chart_png)
    if isinstance(output, str | Path):
        from studyhub.fileio import atomic_output

        with atomic_output(output) as stream:
            stream.write(data)
    else:
        output.write(data)
        if hasattr(output, "flush"):
            output.flush()


def render_tables(
    tables: Sequence[ReportTable],
    fmt: str,
    *,
    meta: ReportMeta | None = None,
    chart_png: bytes | None = None,
) -> bytes:
    """The bytes :func:`write_tables` writes. ``meta`` (the as-of and source lines) and
    ``chart_png`` (a chart of the figures) go into the xlsx and docx documents."""
    if fmt == "table":
        return _text(tables).encode("utf-8")
    if fmt == "csv":
        return _csv(tables).encode("utf-8-sig")
    if fmt == "xlsx":
        from studyhub.reports.xlsx import render_xlsx

        return render_xlsx(tables, meta, chart_png)
    if fmt == "docx":
        from studyhub.reports.docx_writer import render_docx

        title = tables[0].title if tables else t("report.docx.title")
        return render_docx(tables, meta, title=title, chart_png=chart_png)
    if fmt == "md":
        return _markdown(tables).encode("utf-8")
    if fmt == "json":
        return _json(tables).encode("utf-8")
    choices = ", ".join(EXPORT_FORMATS)
    raise InputError(
        msg("unknown format {fmt} (expected one of {choices})", fmt=fmt, choices=choices)
    )


# --- values ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell value for text formats: None -> "", lists joined, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "、".join(str(_plain(v)) for v in value)
    return value


def _text_of(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _definition_lines(table: ReportTable) -> list[tuple[str, str]]:
    """(label, text) of each definition; the label is the column heading when it is one."""
    return table.definition_lines()


# --- aligned text ------------------------------------------------------------------------------


def _text(tables: Sequence[ReportTable]) -> str:
    parts = []
    for table in tables:
        lines = [table.title]
        if table.rows:
            lines.append(render_rows(table.rows, table.columns, "table"))
        else:
            lines.append("-")
        lines.extend(f"{label}：{text}" for label, text in _definition_lines(table))
        lines.extend(table.notes)
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


# --- CSV ---------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    """Text is made formula-safe; numbers (a negative index too) stay numbers."""
    value = _plain(value)
    if isinstance(value, str):
        return str(safe_cell(value))
    return _text_of(value)


def _csv(tables: Sequence[ReportTable]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(table.title)])
        writer.writerow([safe_cell(heading) for _, heading in table.columns])
        for row in table.shown_rows():
            writer.writerow([_csv_cell(row.get(key)) for key, _ in table.columns])
        for label, text in _definition_lines(table):
            writer.writerow([safe_cell(f"{label}：{text}")])
        for note in table.notes:
            writer.writerow([safe_cell(note)])
    return buffer.getvalue()


# --- Markdown ----------------------------------------------------------------------------------


#: Markdown's own characters: a name or title from a file may not make a link, an image,
#: HTML, emphasis or code of itself
_MD_SPECIAL = set("\\`*_[]()|~")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: str) -> str:
    """``text`` as literal Markdown: HTML characters as entities, Markdown's link, emphasis,
    code and table characters backslash-escaped, line breaks as ``<br>``, control
    characters shown escaped."""
    from studyhub.render import printable

    text = printable(text).replace("\r", "")
    escaped = "".join(
        _MD_ENTITIES.get(ch) or (f"\\{ch}" if ch in _MD_SPECIAL else ch) for ch in text
    )
    return escaped.replace("\n", "<br>")


def _md_cell(value: Any) -> str:
    return md_escape(_text_of(value))


def _markdown(tables: Sequence[ReportTable]) -> str:
    parts = []
    for table in tables:
        lines = [f"## {_md_cell(table.title)}", ""]
        lines.append("| " + " | ".join(_md_cell(h) for _, h in table.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
        for row in table.shown_rows():
            lines.append(
                "| " + " | ".join(_md_cell(row.get(key)) for key, _ in table.columns) + " |"
            )
        definitions = _definition_lines(table)
        if definitions:
            lines.append("")
            lines.extend(
                f"- **{_md_cell(label)}**：{_md_cell(text)}" for label, text in definitions
            )
        if table.notes:
            lines.append("")
            lines.extend(_md_cell(note) for note in table.notes)
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


# --- JSON --------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _json(tables: Sequence[ReportTable]) -> str:
    import json

    data = [
        {
            "title": table.title,
            "columns": [{"key": key, "heading": heading} for key, heading in table.columns],
            "rows": [
                {key: _json_value(row.get(key)) for key, _ in table.columns} for row in table.rows
            ],
            "definitions": dict(table.definitions),
            "notes": list(table.notes),
        }
        for table in tables
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
