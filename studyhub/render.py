"""Plain-text rendering helpers shared by the CLI (Chinese text aligned by display width)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from studyhub.i18n import Lazy
from studyhub.labels import VOCABULARY_COLUMNS, label

__all__ = [
    "display_width",
    "key_value_lines",
    "pad",
    "printable",
    "render_rows",
    "safe_cell",
    "shorten",
    "side_by_side",
    "wrap",
]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    return text + " " * max(0, width - display_width(text))


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` display columns with an ellipsis."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` display columns (its own line breaks
    kept; a Chinese character is never split)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if line and display_width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def side_by_side(left: str, right: str, width: int, gap: str = " │ ") -> list[str]:
    """Two texts in two columns of ``width`` display columns each, line by line."""
    a, b = wrap(left, width), wrap(right, width)
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    return [f"{pad(x, width)}{gap}{y}".rstrip() for x, y in zip(a, b, strict=True)]


def key_value_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """``label: value`` lines with the values aligned."""
    rows = [(printable(str(k)), printable(str(v))) for k, v in rows]
    width = max((display_width(k) for k, _ in rows), default=0)
    return [f"{pad(k + ':', width + 1)} {v}" for k, v in rows]


OUTPUT_FORMATS = ("table", "csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A spreadsheet cell that cannot start a formula (CSV/Excel injection): text starting
    with = + - @ (or a tab / carriage return) gets a leading apostrophe. A lone "-" (the
    mark of an empty denominator) cannot be a formula and stays as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and value != "-":
        return "'" + value
    return value


def _shown(row: dict[str, object], key: str) -> object:
    """A cell as a person reads it: vocabulary keys (employee, open, highest...) as words in
    the UI language (JSON keeps the keys)."""
    value = row.get(key)
    if key in VOCABULARY_COLUMNS:
        return label(value)
    return value


def render_rows(
    rows: Sequence[dict[str, object]],
    columns: Sequence[tuple[str, str]],
    fmt: str = "table",
    *,
    numbers: Sequence[str] = (),
) -> str:
    """``rows`` (dicts) as an aligned table, CSV (formula-safe) or JSON (the dict keys);
    the table and CSV show vocabulary keys as words (:mod:`studyhub.labels`).

    ``columns`` is ``[(key, heading), ...]``: the table and CSV show these, in this order;
    the table right-aligns the columns named in ``numbers``.
    """
    if fmt == "json":
        import json

        return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([heading for _, heading in columns])
        for row in rows:
            writer.writerow([safe_cell(_plain(_shown(row, key))) for key, _ in columns])
        return buffer.getvalue().rstrip("\n")
    from tabulate import tabulate

    return tabulate(
        [[_plain(_shown(row, key)) for key, _ in columns] for row in rows],
        headers=[heading for _, heading in columns],
        tablefmt="simple",
        disable_numparse=True,
        colalign=["right" if key in numbers else "left" for key, _ in columns],
    )


def printable(text: str) -> str:
    """``text`` with control characters (escape sequences, bells...) shown as ``\\x1b``
    instead of acting on the terminal; tabs and line breaks stay."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\t\n" or ch.isprintable() or unicodedata.category(ch) not in ("Cc", "Cf"):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Lazy):  # a message (a problem's reason): in the reader's language
        return printable(value.render())
    if isinstance(value, list | tuple):
        return printable(", ".join(str(v) for v in value))
    if isinstance(value, str):
        return printable(value)
    return value
