"""Departments ranked by 参考率, 合格率 and 优秀率 over a year's exams, as county templates do."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.reports.rates import rate, rates

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["CLASSES", "RankRow", "ranking"]

#: (class, lowest 参考率, lowest 合格率): the first a department reaches is its class
CLASSES = [("一类", Decimal("0.95"), Decimal("0.95")), ("二类", Decimal("0.90"), Decimal("0.85"))]
OTHER_CLASS = "三类"


@dataclass
class RankRow:
    rank: int
    tie: str
    department: str
    name: str
    required: int
    participants: int
    passed: int
    excellent: int
    participation_rate: Decimal | None
    pass_rate: Decimal | None
    excellent_rate: Decimal | None
    klass: str

    def as_json(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "rank": self.rank, "tie": self.tie, "department": self.department,
            "name": self.name, "required": self.required, "participants": self.participants,
            "passed": self.passed, "excellent": self.excellent,
            "participation_rate": text(self.participation_rate),
            "pass_rate": text(self.pass_rate), "excellent_rate": text(self.excellent_rate),
            "class": self.klass,
        }  # fmt: skip


def _class(participation: Decimal | None, passing: Decimal | None) -> str:
    for name, low_participation, low_pass in CLASSES:
        if (participation or 0) >= low_participation and (passing or 0) >= low_pass:
            return name
    return OTHER_CLASS


def ranking(
    database: Database, *, year: int, include_subdepartments: bool = False
) -> list[RankRow]:
    """Each department's figures summed over the year's exams, ranked by 参考率, then 合格率,
    then 优秀率; departments with the same three rates share a rank (并列)."""
    totals: dict[str, list[Any]] = {}
    for row in rates(database, year=year, by="department",
                     include_subdepartments=include_subdepartments):  # fmt: skip
        entry = totals.setdefault(row.group, [row.group_name, 0, 0, 0, 0])
        entry[1] += row.required
        entry[2] += row.participants
        entry[3] += row.passed
        entry[4] += row.excellent
    rows = []
    for code, (name, required, participants, passed, excellent) in totals.items():
        if required == 0:
            continue
        participation = rate(participants, required)
        passing = rate(passed, participants)
        rows.append(RankRow(0, "", code, name, required, participants, passed, excellent,
                            participation, passing, rate(excellent, participants),
                            _class(participation, passing)))  # fmt: skip

    def key(row: RankRow) -> tuple[Decimal, Decimal, Decimal]:
        return (row.participation_rate or Decimal(-1), row.pass_rate or Decimal(-1),
                row.excellent_rate or Decimal(-1))  # fmt: skip

    rows.sort(key=lambda r: (tuple(-v for v in key(r)), r.department))
    previous = None
    for position, row in enumerate(rows, start=1):
        if previous is not None and key(previous) == key(row):
            row.rank = previous.rank
            row.tie = "并列：参考率、合格率、优秀率均相同"
            previous.tie = previous.tie or row.tie
        else:
            row.rank = position
        previous = row
    return rows
