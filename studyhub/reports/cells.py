"""A report value as text, by the kind of its column (see :mod:`studyhub.reports.table`),
for every format that shows text (the terminal, CSV, Markdown, Word): counts as integers,
rates and scores as percentages with two decimals, truncated as the figures are (the unit
is in the column heading: 参考率（%） over 98.33), points without trailing zeros, nothing
as "-"."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from studyhub.labels import VOCABULARY_COLUMNS, label
from studyhub.reports.table import ReportTable

__all__ = [
    "NUMERIC",
    "body_rows",
    "cell_text",
    "percent",
    "plain",
    "points_and_percent",
    "rate_percent",
]

#: kinds whose values are numbers (right-aligned in text tables)
NUMERIC = frozenset({"count", "rate", "score", "points", "number"})
_CENT = Decimal("0.01")
#: kinds whose numbers are written otherwise than as they are
_NUMBER_FORMATS = frozenset({"rate", "score", "points", "number"})


def rate_percent(value: Decimal) -> Decimal:
    """A rate (fraction 0-1) as a percentage truncated to two decimals: 0.98333 -> 98.33."""
    return (value * 100).quantize(_CENT, rounding=ROUND_DOWN)


def percent(value: Decimal | None) -> str:
    """A rate as ``98.33%`` (truncated, never rounded up); "-" without a denominator."""
    return "-" if value is None else f"{rate_percent(value)}%"


def _trimmed(number: Decimal) -> str:
    """2.50 -> "2.5", 100 -> "100" (never "1E+2")."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def points_and_percent(points: Decimal | None, percent_score: Decimal | None) -> str:
    """A person's score as ``72 分（72.00%）``: points and percentage together ("-" for none;
    either alone when the other is not known)."""
    from studyhub.i18n import t

    if percent_score is None:
        return "-" if points is None else t("report.points", points=_trimmed(points))
    shown = f"{percent_score.quantize(_CENT, rounding=ROUND_DOWN)}%"
    if points is None:
        return shown
    return t("report.points_and_percent", points=_trimmed(points), percent=shown)


def plain(value: Any) -> Any:
    """None stays None; a list is joined with 、; anything else as it is."""
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value if v is not None)
    return value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def cell_text(value: Any, kind: str = "text") -> str:
    """``value`` of a column of ``kind`` as text (see the module text)."""
    # the common cells first, as the general rules below would give them (a province's
    # table has 20,000 rows of seven figures)
    exact = type(value)
    if exact is str:
        return value
    if exact is int and kind not in _NUMBER_FORMATS:
        return str(value)
    if exact is Decimal and kind == "rate":
        return str(rate_percent(value))
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
        return str(rate_percent(number))
    if kind == "score":
        return str(number.quantize(_CENT, rounding=ROUND_DOWN))
    if kind == "count" and number == number.to_integral_value():
        return str(int(number))
    if kind in ("points", "number"):
        return _trimmed(number)
    return str(value)


def body_rows(table: ReportTable) -> list[dict[str, Any]]:
    """The rows as a reader sees them (vocabulary keys as words), then the 合计 row."""
    rows = table.shown_rows()
    if table.total is None:
        return list(rows)
    shown = [key for key, _ in table.columns if key in VOCABULARY_COLUMNS]
    total = {**table.total, **{key: label(table.total.get(key)) for key in shown}}
    return [*rows, total]
