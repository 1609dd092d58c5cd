"""A report cell as a reader sees it, shared by the document writers (xlsx, docx).

:func:`reading_text` writes a typed value (see :data:`studyhub.reports.table.KINDS`) the way
a printed report shows it: a rate ``0.9833`` as ``98.33%`` (two decimals, truncated, as the
figures are), a score as ``72.50``, a count as ``58``, nothing as ``-``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from studyhub.labels import VOCABULARY_COLUMNS, label
from studyhub.reports.table import ReportTable

__all__ = ["body_rows", "plain", "reading_text"]

_CENT = Decimal("0.01")


def plain(value: Any) -> Any:
    """None stays None; a list is joined with 、; anything else as it is."""
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value if v is not None)
    return value


def body_rows(table: ReportTable) -> list[dict[str, Any]]:
    """The rows as a reader sees them (vocabulary keys as words), then the 合计 row."""
    rows = table.shown_rows()
    if table.total is None:
        return list(rows)
    shown = [key for key, _ in table.columns if key in VOCABULARY_COLUMNS]
    total = {**table.total, **{key: label(table.total.get(key)) for key in shown}}
    return [*rows, total]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _trimmed(number: Decimal) -> str:
    """2.50 -> "2.5", 100 -> "100" (never "1E+2")."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def reading_text(value: Any, kind: str = "text") -> str:
    """``value`` of a column of ``kind`` as text for reading (see the module doc)."""
    from studyhub.i18n import t

    value = plain(value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return t("rates.yes") if value else t("rates.no")
    number = _number(value)
    if number is None:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)
    if kind == "rate":
        return f"{(number * 100).quantize(_CENT, rounding=ROUND_DOWN)}%"
    if kind == "score":
        return str(number.quantize(_CENT, rounding=ROUND_DOWN))
    if kind == "count" and number == number.to_integral_value():
        return str(int(number))
    return _trimmed(number)
