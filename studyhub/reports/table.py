"""The shape every report hands to the exporters: titled tables of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studyhub.i18n import N_, t
from studyhub.labels import VOCABULARY_COLUMNS, label

__all__ = ["ReportTable"]

#: the words for definitions that are not of a column
DEFINITION_WORDS = {
    "list": N_("report.def.list"),
    "order": N_("report.def.order"),
    "class": N_("report.def.class"),
}


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

    def definition_lines(self) -> list[tuple[str, str]]:
        """(heading, text) of each definition: the column's heading, or the word for it."""
        headings = dict(self.columns)
        lines = []
        for key, text in self.definitions.items():
            heading = headings.get(key) or (
                t(DEFINITION_WORDS[key]) if key in DEFINITION_WORDS else key
            )
            lines.append((heading, text))
        return lines

    def shown_rows(self) -> list[dict[str, Any]]:
        """The rows as a reader sees them: vocabulary keys (roles, types, the group "all")
        as their words in the UI language. (JSON keeps the keys.)"""
        shown = [key for key, _ in self.columns if key in VOCABULARY_COLUMNS]
        if not shown:
            return self.rows
        return [{**row, **{key: label(row.get(key)) for key in shown}} for row in self.rows]
