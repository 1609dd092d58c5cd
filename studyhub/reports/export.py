"""Writing reports as aligned text, CSV, Excel, Markdown or JSON.

An output states first what its figures are as a whole (:class:`ReportMeta`: the day they
are counted to, provisional or not, the database), then each table (its 合计 row last), and
ends with the definitions of the figures shown, each once. A CSV is one header row and the
data, for other programs (definitions only when asked, as trailing comment lines). No CSV or
Excel cell can start a formula (:func:`studyhub.render.safe_cell`). A path is written
atomically: a failure leaves no half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from studyhub.errors import InputError
from studyhub.i18n import msg, t
from studyhub.render import display_width, safe_cell
from studyhub.reports.cells import NUMERIC, body_rows, cell_text
from studyhub.reports.table import ReportMeta, ReportTable, all_definitions
from studyhub.reports.xlsx import sheet_names

__all__ = ["EXPORT_FORMATS", "md_escape", "render_tables", "sheet_names", "write_tables"]

EXPORT_FORMATS = ("table", "csv", "xlsx", "md", "json", "docx")
#: the width text output is wrapped to when it does not go to a terminal
TEXT_WIDTH = 100


def write_tables(tables: Sequence[ReportTable], fmt: str, output: str | Path | IO[bytes],
                 meta: ReportMeta | None = None, **options: Any) -> None:  # fmt: skip
    """Write ``tables`` in ``fmt`` (table, csv, xlsx, md, json, docx) to ``output``: a path
    (written atomically) or a binary stream. ``options``: see :func:`render_tables`."""
    data = render_tables(tables, fmt, meta, **options)
    if isinstance(output, str | Path):
        from studyhub.fileio import atomic_output

        with atomic_output(output) as stream:
            stream.write(data)
    else:
        output.write(data)
        if hasattr(output, "flush"):
            output.flush()


def render_tables(tables: Sequence[ReportTable], fmt: str, meta: ReportMeta | None = None, *,
                  wide: bool = False, with_definitions: bool = False, width: int | None = None,
                  chart_png: bytes | None = None) -> bytes:  # fmt: skip
    """The bytes :func:`write_tables` writes. ``wide``: the text table shows every column
    (by default those a reader needs; exports always have them all); ``with_definitions``:
    a CSV ends with the definitions as comment lines; ``width``: the text is wrapped to it;
    ``chart_png``: a chart of the figures, put into the xlsx and docx documents."""
    meta = meta or ReportMeta()
    if fmt == "table":
        return _text(tables, meta, wide, width or TEXT_WIDTH).encode("utf-8")
    if fmt == "csv":
        return _csv(tables, meta, with_definitions).encode("utf-8-sig")
    if fmt == "xlsx":
        from studyhub.reports.xlsx import render_xlsx

        return render_xlsx(tables, meta, chart_png)
    if fmt == "docx":
        from studyhub.reports.docx_writer import render_docx

        title = tables[0].title if tables else t("report.docx.title")
        return render_docx(tables, meta, title=title, chart_png=chart_png)
    if fmt == "md":
        return _markdown(tables, meta).encode("utf-8")
    if fmt == "json":
        return _json(tables, meta).encode("utf-8")
    choices = ", ".join(EXPORT_FORMATS)
    raise InputError(
        msg("unknown format {fmt} (expected one of {choices})", fmt=fmt, choices=choices)
    )


# --- values ------------------------------------------------------------------------------------


def _cells(table: ReportTable, row: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return [cell_text(row.get(key), table.kind(key)) for key in keys]


# --- aligned text ------------------------------------------------------------------------------


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` display columns (Chinese characters count
    two), continued lines indented by ``indent``."""
    lines, line = [], ""
    for ch in text:
        if display_width(line + ch) > width and line.strip():
            lines.append(line)
            line = indent
        line += ch
    lines.append(line)
    return lines


def _definitions_text(tables: Sequence[ReportTable], width: int, wide: bool) -> list[str]:
    """The definitions of the figures shown (without --wide, not those of hidden columns)."""
    if not wide:
        tables = [
            replace(table, definitions={
                key: text for key, text in table.definitions.items() if key not in table.wide})
            for table in tables
        ]  # fmt: skip
    lines = []
    for heading, text in all_definitions(list(tables)):
        lines.extend(wrap("  " + t("report.definition_line", heading=heading, text=text), width,
                          "    "))  # fmt: skip
    return [t("report.definitions"), *lines] if lines else []


def _tabulate(body: list[Any], headers: list[str], align: list[str]) -> str:
    """An aligned table with two spaces between columns and none around the headings
    (tabulate pads each heading by two more: 14 columns of a 100-column screen)."""
    import tabulate as module

    saved, module.MIN_PADDING = module.MIN_PADDING, 0
    try:
        return module.tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True,
                               colalign=align)  # fmt: skip
    finally:
        module.MIN_PADDING = saved


def _text(tables: Sequence[ReportTable], meta: ReportMeta, wide: bool, width: int) -> str:
    from tabulate import SEPARATING_LINE

    parts = ["\n".join(line for text in meta.lines() for line in wrap(text, width))]
    for table in tables:
        keys = [key for key, _ in table.columns if wide or key not in table.wide]
        headings = dict(table.columns)
        body: list[Any] = [_cells(table, row, keys) for row in table.shown_rows()]
        if table.total is not None:
            body += [SEPARATING_LINE, _cells(table, table.total, keys)]
        lines = [table.title]
        if body:
            align = ["right" if table.kind(key) in NUMERIC else "left" for key in keys]
            lines.append(_tabulate(body, [headings[key] for key in keys], align))
        else:
            lines.append(t("report.no_rows"))
        lines.extend(line for note in table.notes for line in wrap(note, width))
        parts.append("\n".join(lines))
    parts.append("\n".join(_definitions_text(tables, width, wide)))
    return "\n\n".join(part for part in parts if part) + "\n"


# --- CSV ---------------------------------------------------------------------------------------


def _csv_cell(value: Any, kind: str) -> str:
    """Numbers as plain numbers (a rate as its percentage: 98.33); text made formula-safe."""
    if value is None:
        return ""
    if kind in NUMERIC:
        return cell_text(value, kind)
    return str(safe_cell(cell_text(value, kind)))


def _csv(tables: Sequence[ReportTable], meta: ReportMeta, with_definitions: bool) -> str:
    """One header row, then the data (with a 合计 row last); several tables follow each
    other after an empty line, each with its own header (a table's title is in no cell:
    give one table per file to another program)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(heading) for _, heading in table.columns])
        for row in body_rows(table):
            writer.writerow([_csv_cell(row.get(key), table.kind(key)) for key, _ in table.columns])
    if with_definitions:
        for line in meta.lines():
            writer.writerow([safe_cell(f"# {line}")])
        for heading, text in all_definitions(list(tables)):
            line = t("report.definition_line", heading=heading, text=text)
            writer.writerow([safe_cell(f"# {line}")])
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


def _md_cell(value: Any, kind: str = "text") -> str:
    return md_escape(cell_text(value, kind))


def _markdown(tables: Sequence[ReportTable], meta: ReportMeta) -> str:
    """A title, the as-of and source lines, each table, the definitions."""
    parts = []
    if tables:
        parts.append(f"# {md_escape(tables[0].title)}")
    if meta.lines():
        parts.append("\n".join(f"{md_escape(line)}  " for line in meta.lines()).rstrip())
    for table in tables:
        keys = [key for key, _ in table.columns]
        lines = [f"## {md_escape(table.title)}", ""]
        lines.append("| " + " | ".join(md_escape(h) for _, h in table.columns) + " |")
        rule = [" ---: " if table.kind(key) in NUMERIC else " --- " for key in keys]
        lines.append("|" + "|".join(rule) + "|")
        for row in table.shown_rows():
            cells = [_md_cell(row.get(k), table.kind(k)) for k in keys]
            lines.append("| " + " | ".join(cells) + " |")
        if table.total is not None:
            cells = [f"**{_md_cell(table.total.get(k), table.kind(k))}**" for k in keys]
            lines.append("| " + " | ".join(cells) + " |")
        if table.notes:
            lines.append("")
            lines.extend(md_escape(note) for note in table.notes)
        parts.append("\n".join(lines))
    definitions = all_definitions(list(tables))
    if definitions:
        lines = [f"## {md_escape(t('report.definitions').rstrip('：:'))}", ""]
        lines.extend(
            "- " + t("report.definition_line", heading=f"**{md_escape(h)}**", text=md_escape(text))
            for h, text in definitions
        )
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


# --- JSON --------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """Numbers as numbers (a Decimal as a float: rates keep their 4 places), dates as ISO
    text, None as null."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _json(tables: Sequence[ReportTable], meta: ReportMeta) -> str:
    """One object: as_of, source, notes, the tables (columns with their kind, rows, total,
    notes) and the definitions under one key."""
    import json

    def row(values: dict[str, Any], table: ReportTable) -> dict[str, Any]:
        return {key: _json_value(values.get(key)) for key, _ in table.columns}

    data = {
        "as_of": meta.as_of or None,
        "source": meta.source or None,
        "notes": list(meta.notes),
        "tables": [
            {
                "title": table.title,
                "columns": [
                    {"key": key, "heading": heading, "kind": table.kind(key)}
                    for key, heading in table.columns
                ],
                "rows": [row(values, table) for values in table.rows],
                "total": None if table.total is None else row(table.total, table),
                "notes": list(table.notes),
            }
            for table in tables
        ],
        "definitions": [
            {"figure": heading, "definition": text}
            for heading, text in all_definitions(list(tables))
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
