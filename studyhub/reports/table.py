"""The shape every report hands to the exporters: titled tables of typed rows, and what an
output says about all of its figures (:class:`ReportMeta`).

Values keep their type so that every format can write them as what they are (numbers stay
numbers in Excel and JSON); each column says what its values are (:data:`KINDS`):

* ``count``: an int (people, sessions...);
* ``rate``: a fraction 0-1 as a Decimal truncated to 4 places (0.9833 is 98.33%), None when
  there is no denominator;
* ``score``: a percentage 0-100 as a Decimal with two decimals, None when there is none;
* ``points``: points as a Decimal;
* ``number``: any other number (hours, an index);
* ``text`` (the default): anything else, shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studyhub.i18n import N_, t
from studyhub.labels import VOCABULARY_COLUMNS, label

__all__ = ["KINDS", "ReportMeta", "ReportTable", "all_definitions"]

KINDS = ("count", "rate", "score", "points", "number", "text")

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
    #: column key -> one of KINDS (a column not listed is "text")
    kinds: dict[str, str] = field(default_factory=dict)
    #: columns the terminal table leaves out unless --wide (every export has them all)
    wide: frozenset[str] = frozenset()
    #: the 合计 row (same keys as the rows), written after them
    total: dict[str, Any] | None = None

    def kind(self, key: str) -> str:
        return self.kinds.get(key, "text")

    def definition_lines(self) -> list[tuple[str, str]]:
        """(heading, text) of each definition: the column's heading, the word for it, or (a
        key that is neither) the key itself, which then is the heading in words."""
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


@dataclass
class ReportMeta:
    """What an output says about all of its figures, before them: the day they are counted
    to (and, for an exam still open, that they are provisional), the database they come
    from (a file name, or server and database, never a password), and sentences such as
    "2025 年没有考试。" that stand for a table with nothing to show."""

    as_of: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [line for line in (self.as_of, self.source, *self.notes) if line]


def all_definitions(tables: list[ReportTable]) -> list[tuple[str, str]]:
    """The (heading, text) of every definition of ``tables``, each once, in order of first
    appearance: an output ends with these."""
    seen: set[tuple[str, str]] = set()
    lines = []
    for table in tables:
        for line in table.definition_lines():
            if line not in seen:
                seen.add(line)
                lines.append(line)
    return lines
