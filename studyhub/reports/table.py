"""The shape every report hands to the exporters: titled tables of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ReportTable"]


@dataclass
class ReportTable:
    """One table of a report.

    ``columns`` is ``[(key, heading), ...]`` in display order; each row is a dict keyed by
    those keys (values: str, int, Decimal, date, None...). ``definitions`` says in words what
    each figure counts (the denominators), and goes with the table into every export.
    """

    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
