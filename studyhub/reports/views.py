"""Report tables for the rates, the people behind them and the ranking."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyhub.i18n import t
from studyhub.reports.rates import DEFINITIONS, RateRow, percent_text
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from studyhub.reports.people import PersonRow
    from studyhub.reports.ranking import RankRow

__all__ = ["people_table", "ranking_table", "rates_table"]

RATE_KEYS = ("exam", "year", "group", "group_name", "required", "participants", "passed",
             "excellent", "exempt", "participation_rate", "pass_rate", "pass_rate_of_required",
             "excellent_rate", "average", "highest")  # fmt: skip


def _columns(keys: Sequence[str]) -> list[tuple[str, str]]:
    return [(key, t(f"rates.col.{key}")) for key in keys]


def rates_table(rows: Sequence[RateRow], *, title: str | None = None) -> ReportTable:
    shown = []
    for row in rows:
        data = row.as_json()
        for key in ("participation_rate", "pass_rate", "pass_rate_of_required", "excellent_rate"):
            data[key] = percent_text(getattr(row, key))
        for key in ("average", "highest"):
            data[key] = "-" if getattr(row, key) is None else str(getattr(row, key))
        shown.append(data)
    return ReportTable(title or t("rates.title"), _columns(RATE_KEYS), shown, dict(DEFINITIONS))


PEOPLE_KEYS = ("staff_no", "name", "department", "department_name", "attempts", "score", "band",
               "passed")  # fmt: skip


def people_table(kind: str, exam: str, rows: Sequence[PersonRow]) -> ReportTable:
    keys = list(PEOPLE_KEYS)
    if kind == "exempt":
        keys = ["staff_no", "name", "department", "department_name", "reason"]
    shown = []
    for row in rows:
        data = row.as_json()
        data["passed"] = t("rates.yes") if row.passed else t("rates.no")
        data["score"] = "-" if row.score is None else str(row.score)
        data["band"] = row.band or "-"
        shown.append(data)
    return ReportTable(t(f"rates.list.{kind}", exam=exam), _columns(keys), shown,
                       {"list": t(f"rates.def.{kind}")})  # fmt: skip


RANK_KEYS = ("rank", "department", "name", "required", "participants", "passed", "excellent",
             "participation_rate", "pass_rate", "excellent_rate", "class", "tie")  # fmt: skip


def ranking_table(year: int, rows: Sequence[RankRow]) -> ReportTable:
    shown = []
    for row in rows:
        data = row.as_json()
        for key in ("participation_rate", "pass_rate", "excellent_rate"):
            data[key] = percent_text(getattr(row, key))
        shown.append(data)
    return ReportTable(
        t("rates.ranking", year=year), _columns(RANK_KEYS), shown,
        {"order": t("rates.def.ranking"), "class": t("rates.def.classes")},
    )  # fmt: skip
