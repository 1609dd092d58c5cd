"""Reading the rows of a table bank: CSV files (encoding and delimiter detection) and the
sheets of an Excel workbook, as (row number, cleaned cell texts)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import itertools
import warnings
import zipfile
from typing import Any

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.table_cells import (
    HEADER_SCAN_ROWS,
    Rows,
    _cell_text,
    _classify,
    _clean,
)
from studyhub.errors import LocatedError
from studyhub.i18n import Lazy, msg
from studyhub.values import describe

#: Excel's row limit; a sheet claiming more rows is refused
MAX_SHEET_ROWS = 1_048_576
CSV_DELIMITERS = (",", ";", "\t")


# --------------------------------------------------------------------------- CSV


def _first_bad_line(ctx: ParseContext, encoding: str) -> int | None:
    """The line of the first byte the encoding cannot decode, None if it decodes it all."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    try:
        with open(ctx.path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return newlines + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                newlines += chunk.count(b"\n")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return newlines + 1
    except OSError as exc:
        raise ctx.fail(
            ctx.at(), msg("cannot read the file: {detail}", detail=describe(exc))
        ) from None
    return None


def _csv_encoding(ctx: ParseContext) -> str:
    if _first_bad_line(ctx, "utf-8") is None:
        return "utf-8-sig"
    line = _first_bad_line(ctx, "gb18030")
    if line is None:
        return "gb18030"
    raise ctx.fail(
        ctx.at(line), msg("cannot decode the file: it is neither UTF-8 nor GB18030 (GBK)")
    )


def _csv_problem(exc: csv.Error) -> Lazy:
    if "unexpected end of data" in str(exc):
        return msg('a quoted value is never closed (missing ")')
    return msg("malformed CSV: {detail}", detail=str(exc))


def _csv_rows(ctx: ParseContext, encoding: str, delimiter: str, strict: bool = True) -> Rows:
    """The CSV records as (record number, cleaned values)."""
    row = 0
    try:
        with open(ctx.path, encoding=encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=delimiter, strict=strict)
            for row, values in enumerate(reader, 1):
                yield row, [_clean(value) for value in values]
    except csv.Error as exc:
        if strict:
            raise ctx.fail(ctx.at(row + 1, row=True), _csv_problem(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ctx.fail(
            ctx.at(row + 1, row=True), msg("cannot read the file: {detail}", detail=str(exc))
        ) from None


def _csv_delimiter(ctx: ParseContext, encoding: str) -> str:
    """The delimiter among , ; and tab under which the first rows show the best header."""
    best, best_score = CSV_DELIMITERS[0], 0
    for delimiter in CSV_DELIMITERS:
        rows = _csv_rows(ctx, encoding, delimiter, strict=False)
        with contextlib.closing(rows):
            for _row, cells in itertools.islice(rows, HEADER_SCAN_ROWS):
                layout, score = _classify(cells)
                if layout is not None:
                    if score > best_score:
                        best, best_score = delimiter, score
                    break
    return best


# --------------------------------------------------------------------------- Excel


def _damaged(exc: Exception) -> Lazy:
    if isinstance(exc, zipfile.BadZipFile):
        return msg("not an Excel .xlsx workbook (not a zip archive)")
    return msg("not a readable Excel .xlsx workbook (damaged or another format)")


def _open_workbook(ctx: ParseContext) -> Any:
    import openpyxl

    from studyhub.errors import LocatedError
    from studyhub.fileio import check_archive

    try:
        check_archive(ctx.path, ctx.display)  # parts that unpack past the limit, encryption
    except LocatedError as err:
        message = err.message
        if str(message).startswith("not an Office"):
            message = _damaged(zipfile.BadZipFile())
        raise ctx.fail(ctx.at(), message) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise ctx.fail(ctx.at(), _damaged(exc)) from None


def _xlsx_rows(ctx: ParseContext, sheet: Any) -> Rows:
    """The rows of a sheet as (Excel row number, cleaned texts)."""
    title = str(sheet.title)
    row = 0
    try:
        sheet.reset_dimensions()  # never pad rows to a (possibly absurd) declared size
        for row, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if row > MAX_SHEET_ROWS:
                raise ctx.fail(
                    ctx.at(row, sheet=title, row=True),
                    msg("the sheet has more than {limit} rows", limit=MAX_SHEET_ROWS),
                )
            yield row, [_clean(_cell_text(value)) for value in values]
    except LocatedError:
        raise
    except Exception:  # a damaged sheet: openpyxl raises many kinds of errors
        raise ctx.fail(
            ctx.at(row + 1, sheet=title, row=True), msg("cannot read the sheet (damaged workbook)")
        ) from None
