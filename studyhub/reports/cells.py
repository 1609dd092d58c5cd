"""A report value as text, by the kind of its column (see :mod:`studyhub.reports.table`):
counts as integers, rates and scores as percentages with two decimals (the unit is in the
column heading), points without trailing zeros, nothing as "-"."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

__all__ = ["NUMERIC", "cell_text", "percent", "points_and_percent", "rate_percent"]

#: kinds whose values are numbers (right-aligned in text tables)
NUMERIC = frozenset({"count", "rate", "score", "points", "number"})
_HUNDREDTH = Decimal("0.01")


def rate_percent(value: Decimal) -> Decimal:
    """A rate (fraction 0-1) as a percentage truncated to two decimals: 0.98333 -> 98.33."""
    return (value * 100).quantize(_HUNDREDTH, rounding=ROUND_DOWN)


def percent(value: Decimal | None) -> str:
    """A rate as ``98.33%`` (truncated, never rounded up); "-" without a denominator."""
    return "-" if value is None else f"{rate_percent(value)}%"


def _points(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def points_and_percent(points: Decimal | None, percent_score: Decimal | None) -> str:
    """A person's score as ``72 分（72.00%）``: points and percentage together ("-" for none;
    the percentage alone when the points are not known)."""
    from studyhub.i18n import t

    if percent_score is None:
        return "-"
    shown = f"{percent_score.quantize(_HUNDREDTH, rounding=ROUND_DOWN)}%"
    if points is None:
        return shown
    return t("report.points_and_percent", points=_points(points), percent=shown)


def cell_text(value: Any, kind: str = "text") -> str:
    """``value`` as a text table, CSV, Markdown or Word shows it (see the module text)."""
    if value is None:
        return "-"
    if kind == "rate":
        return str(rate_percent(Decimal(value)))
    if kind == "score":
        return str(Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_DOWN))
    if kind == "points":
        return _points(Decimal(value))
    if isinstance(value, bool):
        from studyhub.i18n import t

        return t("rates.yes") if value else t("rates.no")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return "、".join(cell_text(v) for v in value)
    return str(value)
