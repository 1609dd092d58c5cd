"""Reading rows from the CSV and Excel files admins keep (rosters, results, study records).

Columns are matched by header text (Chinese or English, case and width folded); the header
may sit below instruction rows (the first of the first 10 rows that names a required column).
CSV may be UTF-8 (with or without BOM) or GBK/GB18030, separated by , ; or tab. Every row
knows its number as the spreadsheet shows it, so errors can name file, sheet, row and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyhub.errors import InputError, LocatedError, Location
from studyhub.i18n import Lazy, msg
from studyhub.values import NUL_MESSAGE, normalise_code

__all__ = ["Column", "ReadThenWrite", "Row", "read_rows"]

HEADER_SCAN_ROWS = 10


def _limit() -> int:
    from studyhub.config import max_file_bytes

    return max_file_bytes()


#: files larger than this are refused (50 MB unless configured)
MAX_BYTES = _limit()


@dataclass(frozen=True)
class Column:
    """A column: its canonical name and the header texts that mean it."""

    name: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass
class Row:
    """One data row: values by canonical column name, and where it is."""

    number: int
    values: dict[str, Any]
    file: str
    sheet: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """The cell as trimmed text ('' when empty or absent)."""
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
        return unicodedata.normalize("NFC", str(value)).strip()

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def at(self, name: str | None = None) -> Location:
        """The location of this row (and of one of its fields, by its header as written)."""
        return Location(
            self.file,
            self.number,
            self.sheet,
            self.headers.get(name, name) if name else None,
            "row",
        )

    def error(self, name: str | None, message: str | Lazy) -> LocatedError:
        return LocatedError(self.at(name), message)


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "*：:")


def read_rows(
    path: str | Path,
    columns: Sequence[Column],
    *,
    display: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Row]:
    """The data rows of a CSV or XLSX file; raises LocatedError for a file it cannot use
    (no header, missing or unknown columns, undecodable text). ``progress(done, total)`` is
    told the rows read (every 100 rows and at the end; total: the file's lines or the
    workbook's rows, counted first)."""
    rows = _read_rows(path, columns, display)
    if progress is None:
        yield from rows
        return
    total = _row_total(Path(path))
    number = 0
    for number, row in enumerate(rows, 1):
        yield row
        if number % 100 == 0:
            progress(min(row.number, total), total)
    progress(total, total)


class ReadThenWrite:
    """The progress of an import that reads its rows, then writes them, as one bar: reading
    fills its first half, writing the second, so that the bar ends when the import does
    (not when the file has been read). Without a ``progress`` callback it does nothing."""

    STEPS = 200  # writing reports at most this often

    def __init__(self, progress: Callable[[int, int], None] | None) -> None:
        self.progress = progress
        self.rows = 0
        self._step = -1

    @property
    def reading(self) -> Callable[[int, int], None] | None:
        """The callback to give :func:`read_rows`."""
        return None if self.progress is None else self._read

    def _read(self, done: int, total: int) -> None:
        assert self.progress is not None
        self.rows = total
        self.progress(done, 2 * total)

    def written(self, done: int, count: int) -> None:
        """``done`` of ``count`` units (rows, attendances...) written."""
        if self.progress is None or count <= 0 or self.rows <= 0:
            return
        step = done * self.STEPS // count
        if step != self._step or done >= count:
            self._step = step
            self.progress(self.rows + min(done, count) * self.rows // count, 2 * self.rows)


def _row_total(path: Path) -> int:
    """The lines of a CSV file, the rows of a workbook's sheets (cheap to count)."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                return sum(sheet.max_row or 0 for sheet in book.worksheets)
            finally:
                book.close()
        with path.open("rb") as stream:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except Exception:  # the reader reports a file it cannot read
        return 0


def _read_rows(path: str | Path, columns: Sequence[Column], display: str | None) -> Iterator[Row]:
    path = Path(path)
    name = display or str(path)
    if not path.is_file():
        raise InputError(msg("{file}: no such file", file=name))
    if path.stat().st_size > MAX_BYTES:
        raise LocatedError(
            Location(name), msg("file is larger than {limit} MB", limit=MAX_BYTES // 2**20)
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx(path, name, columns)
    elif suffix in (".csv", ".txt", ".tsv"):
        yield from _table(_csv_rows(path, name), name, None, columns)
    else:
        raise InputError(msg("{file}: expected a .csv or .xlsx file", file=name))


def _match_header(
    cells: list[Any], columns: Sequence[Column], name: str, sheet: str | None, number: int
) -> tuple[dict[int, str], dict[str, str]]:
    lookup = {
        _fold(alias): column.name for column in columns for alias in (column.name, *column.aliases)
    }
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        canonical = lookup.get(_fold(text))
        where = Location(name, number, sheet, text, "row")
        if canonical is None:
            raise LocatedError(where, msg("unknown column {column}", column=text))
        if canonical in headers:
            raise LocatedError(where, msg("column {column} appears twice", column=text))
        positions[index] = canonical
        headers[canonical] = text
    for column in columns:
        if column.required and column.name not in headers:
            wanted = column.aliases[0] if column.aliases else column.name
            raise LocatedError(
                Location(name, number, sheet, None, "row"),
                msg("missing column {column}", column=wanted),
            )
    return positions, headers


def _looks_like_header(cells: list[Any], columns: Sequence[Column]) -> bool:
    required = {_fold(a) for c in columns if c.required for a in (c.name, *c.aliases)}
    known = {_fold(a) for c in columns for a in (c.name, *c.aliases)}
    folded = {_fold(str(c)) for c in cells if c is not None and str(c).strip()}
    return bool(folded & required) or len(folded & known) >= 2


def _table(
    rows: Iterator[tuple[int, list[Any]]], name: str, sheet: str | None, columns: Sequence[Column]
) -> Iterator[Row]:
    positions: dict[int, str] | None = None
    headers: dict[str, str] = {}
    for number, cells in rows:
        if positions is None:
            if number > HEADER_SCAN_ROWS:
                break
            if any(isinstance(c, str) and "\x00" in c for c in cells):
                raise LocatedError(Location(name, number, sheet, None, "row"), NUL_MESSAGE)
            if _looks_like_header(cells, columns):
                positions, headers = _match_header(cells, columns, name, sheet, number)
            continue
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and "\x00" in cell:
                field = headers.get(positions.get(index, ""))
                if field is None:
                    where = Location(name, number, sheet, None, "row")
                    raise LocatedError(
                        where,
                        msg("column {column} {problem}", column=index + 1, problem=NUL_MESSAGE),
                    )
                raise LocatedError(Location(name, number, sheet, field, "row"), NUL_MESSAGE)
        extra = [c for i, c in enumerate(cells) if i not in positions and c not in (None, "")]
        if extra:
            raise LocatedError(
                Location(name, number, sheet, None, "row"),
                msg("more values than columns (an unquoted comma?)"),
            )
        values = {positions[i]: c for i, c in enumerate(cells) if i in positions}
        if isinstance(values.get("staff_no"), str):
            values["staff_no"] = normalise_code(values["staff_no"])
        yield Row(number, values, name, sheet, headers)
    if positions is None:
        names = ", ".join(c.aliases[0] if c.aliases else c.name for c in columns if c.required)
        raise LocatedError(
            Location(name, 1, sheet, None, "row"),
            msg("no header row found (expected {columns})", columns=names),
        )


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LocatedError(Location(name), msg("cannot decode the file (expected UTF-8 or GBK text)"))


def _csv_rows(path: Path, name: str) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(path.read_bytes(), name)
    sample = text[:4096]
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max(",;\t", key=lambda d: first_line.count(d)) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as err:
        raise LocatedError(
            Location(name, reader.line_num, None, None, "row"),
            msg("bad CSV: {detail}", detail=str(err)),
        ) from None


def _xlsx(path: Path, name: str, columns: Sequence[Column]) -> Iterator[Row]:
    from openpyxl import load_workbook

    from studyhub.fileio import check_archive

    check_archive(path, name)  # parts that unpack past the limit (Python's zipfile never
    # unpacks an entry past the size the archive declares), encrypted entries
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zip, zlib, XML errors; RuntimeError for encrypted entries
        raise LocatedError(
            Location(name),
            msg("not a readable .xlsx workbook ({detail})", detail=type(err).__name__),
        ) from None
    try:
        found = False
        errors: list[LocatedError] = []
        for sheet in book.worksheets:
            rows = _sheet_rows(sheet, name)
            try:
                for row in _table(rows, name, sheet.title, columns):
                    found = True
                    yield row
            except LocatedError as err:
                if "no header row found" not in str(err.message):
                    raise
                errors.append(err)
        if not found and errors:
            raise errors[0]
    finally:
        book.close()


_ZERO_PADDED = re.compile(r"^0+$")


def _displayed(cell: Any) -> Any:
    """A cell's value; a whole number shown with leading zeros (number format ``0000``, as
    Excel codes are often kept) becomes the text shown, so 工号 0002 stays "0002"."""
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        fmt = str(getattr(cell, "number_format", "") or "")
        if _ZERO_PADDED.match(fmt) and float(value).is_integer():
            return f"{int(value):0{len(fmt)}d}"
    return value


def _sheet_rows(sheet: Any, name: str) -> Iterator[tuple[int, list[Any]]]:
    """A sheet's rows, numbered; a damaged sheet (openpyxl reads it lazily, so the damage
    shows only now: zlib, XML, zip errors...) is a LocatedError naming the row."""
    number = 0
    try:
        sheet.reset_dimensions()  # never pad rows to a (possibly absurd) declared size
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_displayed(cell) for cell in cells]
    except Exception:  # openpyxl raises many kinds of errors for damage
        raise LocatedError(
            Location(name, number + 1, str(sheet.title), None, "row"),
            msg("cannot read the sheet (damaged workbook)"),
        ) from None
