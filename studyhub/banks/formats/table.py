"""CSV and Excel (.xlsx) question banks.

Two table layouts are read, told apart by their header row. The header is matched by its
text after trimming, NFKC and case folding (white space and a ``*`` marking a required
column are ignored); it may follow instruction rows: the first of the first 10 rows with at
least two known headers, or with the question column, is the header row. An unknown header
is an error; columns with an empty header are ignored.

1. **Wide layout**, one row per question: ``题型`` (单选/多选/判断/填空/不定项...),
   ``题干``, ``选项A``..``选项H`` (also ``A``..``H``, ``option A``), ``答案``, ``解析``, ``难度``
   (1-5 or 易/较易/中/较难/难), ``出处``, ``标签`` and ``知识点`` (both go to the tags, split on
   ``, ， 、 ; ；``), ``编号`` (the external id) and ``分值``; English headers too. The answer
   of a choice question is its letters (``ABD``, ``A,B,D``, ``A、B``); of a judge question a
   word such as 正确/错误, 对/错, √/×, T/F, 是/否 or the letter A (正确) or B (错误); of a fill
   question the accepted answers: ``|`` between the alternatives of one blank and ``；`` or
   ``;`` between blanks (``北京|北平；上海``); a backslash makes the next ``| ｜ ; ； \\``
   literal. Blanks in a fill stem are written ``____``, ``（  ）``, ``(  )`` or a run of three
   or more underscores. Without a 题型 the type is inferred from the answer.
2. **Row-per-option layout** of Chinese exam systems: ``题目序号``, ``题目类型`` (1 = 单选,
   2 = 多选, 3 = 判断, or the words), ``题目内容``, ``整体解析``, ``是否正确项`` (0/1),
   ``选项内容`` and optionally ``分值``, ``难度``, ``出处``, ``标签``, ``知识点``, ``选项序号``.
   Consecutive rows with the same 题目序号 (or an empty one, as left by merged cells) form
   one question; its fields come from the first row, the options from the rows in order.
   The 题目序号 is only a position in the file, not an external id.

CSV files are UTF-8 (with or without BOM) or else GB18030 (GBK); the delimiter (``,`` ``;``
or tab) is the one under which the header row is found. Every sheet of a workbook with a
header row is read. Rows are numbered as Excel shows them (CSV: one per physical CSV
record, quoted line breaks included); a CSV row with values beyond the header's last
column is reported (an unquoted delimiter shifts the columns). A cell starting
with a single quote ``'`` whose rest would start a formula (``= + - @``, tab, CR) loses that
quote: the exporter writes such text with a leading quote so that neither Excel nor openpyxl
takes it for a formula, and the round trip holds.

The parts live in their own modules: :mod:`~studyhub.banks.formats.table_read` reads the rows
of CSV files and workbooks, :mod:`~studyhub.banks.formats.table_cells` finds the header row and
reads the cells both layouts share, :mod:`~studyhub.banks.formats.table_wide` and
:mod:`~studyhub.banks.formats.table_options` build the questions of each layout. This module
holds the entry points :func:`parse_csv`, :func:`parse_xlsx` and :func:`export_xlsx`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.formats.table_cells import (
    Rows,
    _find_header,
    _join_tags,
    _make_header,
    _neutralise,
)
from studyhub.banks.formats.table_options import _rows_records
from studyhub.banks.formats.table_read import (
    _csv_delimiter,
    _csv_encoding,
    _csv_rows,
    _open_workbook,
    _xlsx_rows,
)
from studyhub.banks.formats.table_wide import _join_blanks, _wide_records
from studyhub.banks.record import LETTERS, BankHeader, QuestionRecord
from studyhub.errors import InputError
from studyhub.i18n import msg
from studyhub.values import describe

__all__ = ["export_xlsx", "parse_csv", "parse_xlsx"]


#: the sheet the exporter writes
EXPORT_SHEET = "题库"
NO_HEADER = msg("no header row found (expected 题干 or 题目内容 in one of the first 10 rows)")
_EXPORT_TYPES = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}


# --------------------------------------------------------------------------- a sheet


def _sheet_records(
    ctx: ParseContext, rows: Rows, sheet: str | None
) -> Generator[QuestionRecord, None, bool]:
    """The questions of one sheet (or CSV file); returns whether it had a header row."""
    found = _find_header(rows)
    if found is None:
        return False
    row, cells, layout = found
    header = _make_header(ctx, layout, row, cells, sheet)
    if header is None:
        return True
    if layout == "wide":
        yield from _wide_records(ctx, header, rows, sheet)
    else:
        yield from _rows_records(ctx, header, rows, sheet)
    return True


def _check_size(ctx: ParseContext) -> None:
    try:
        size = ctx.path.stat().st_size
    except OSError as exc:
        raise ctx.fail(
            ctx.at(), msg("cannot read the file: {detail}", detail=describe(exc))
        ) from None
    if size > MAX_FILE_BYTES:
        raise ctx.fail(
            ctx.at(),
            msg(
                "the file is too large ({size} bytes; at most {limit})",
                size=size,
                limit=MAX_FILE_BYTES,
            ),
        )


# --------------------------------------------------------------------------- CSV


def parse_csv(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a CSV file (UTF-8 with or without BOM, or GB18030/GBK)."""
    _check_size(ctx)
    encoding = _csv_encoding(ctx)
    rows = _csv_rows(ctx, encoding, _csv_delimiter(ctx, encoding))
    with contextlib.closing(rows):
        found = yield from _sheet_records(ctx, rows, None)
    if not found:
        ctx.error(ctx.at(1, row=True), NO_HEADER)


# --------------------------------------------------------------------------- Excel


def parse_xlsx(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from every sheet of an Excel workbook that has a header row."""
    _check_size(ctx)
    workbook = _open_workbook(ctx)
    try:
        found = False
        for sheet in workbook.worksheets:
            rows = _xlsx_rows(ctx, sheet)
            with contextlib.closing(rows):
                found = (yield from _sheet_records(ctx, rows, str(sheet.title))) or found
        if not found:
            ctx.error(ctx.at(1, row=True), NO_HEADER)
    finally:
        with contextlib.suppress(Exception):
            workbook.close()


# --------------------------------------------------------------------------- export


def _answer_text(record: QuestionRecord) -> str:
    if record.type in ("single", "multiple"):
        return "".join(LETTERS[i] for i in sorted(record.correct) if 0 <= i < len(LETTERS))
    if record.type == "judge":
        return "" if record.truth is None else ("正确" if record.truth else "错误")
    return _join_blanks(record.blanks)


def _points_cell(points: Decimal | None) -> int | float | str | None:
    """A number cell where a float holds the value exactly, else text."""
    if points is None:
        return None
    if points == points.to_integral_value() and abs(points) < 2**53:
        return int(points)
    number = float(points)
    return number if Decimal(repr(number)) == points else str(points)


def _export_row(record: QuestionRecord, width: int) -> list[Any]:
    def text(value: str | None) -> str | None:
        return _neutralise(value) if value else None

    options = record.options if record.type in ("single", "multiple") else []
    cells: list[Any] = [
        text(record.external_id),
        _EXPORT_TYPES.get(record.type, record.type),
        text(record.stem),
    ]
    cells += [text(options[i]) if i < len(options) else None for i in range(width)]
    cells += [
        text(_answer_text(record)),
        text(record.explanation),
        record.difficulty,
        text(record.source),
        text(_join_tags(record.tags)),
        _points_cell(record.points),
    ]
    return cells


def export_xlsx(records: Iterable[QuestionRecord], header: BankHeader, stream: BinaryIO) -> None:
    """Write the records as one sheet 题库 in the wide layout with Chinese headers."""
    from openpyxl import Workbook

    items = list(records)
    width = max((len(r.options) for r in items if r.type in ("single", "multiple")), default=0)
    if width > len(LETTERS):
        raise InputError(
            msg(
                "a question has {count} options; an Excel bank holds at most {most} (A-H)",
                count=width,
                most=len(LETTERS),
            )
        )
    workbook = Workbook(write_only=True)
    if header.title:
        workbook.properties.title = _neutralise(header.title)
    sheet = workbook.create_sheet(EXPORT_SHEET)
    sheet.append(
        ["编号", "题型", "题干"]
        + [f"选项{LETTERS[i]}" for i in range(width)]
        + ["答案", "解析", "难度", "出处", "标签", "分值"]
    )
    for record in items:
        sheet.append(_export_row(record, width))
    workbook.save(stream)
