"""The rates as a report: the tables (one per exam when grouped, each with its 合计 row)
and what the output says about them (:mod:`studyhub.reports.meta`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.reports.meta import rates_meta
from studyhub.reports.rates import RateRow, rates, total_row
from studyhub.reports.views import rates_tables

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.reports.table import ReportMeta, ReportTable

__all__ = ["RatesReport", "rates_report", "totals_of"]


def totals_of(database: Database, rows: list[RateRow], *, year: int | None, exam: str | None,
              by: str, include_subdepartments: bool = False, today: dt.date | None = None,
              as_of: dt.date | None = None) -> dict[str, RateRow]:  # fmt: skip
    """Each exam's whole figures, by exam key, for the 合计 row of a grouped table: the sum
    of its departments (they split its people), or, where groups overlap (topics, or
    departments with their sub-departments), the ungrouped figures themselves."""
    if by == "none" or not rows:
        return {}
    if by == "department" and not include_subdepartments:
        exams = dict.fromkeys(row.exam for row in rows)
        return {key: total_row([row for row in rows if row.exam == key]) for key in exams}
    whole = rates(database, year=year, exam=exam, by="none", today=today, as_of=as_of)
    return {row.exam: row for row in whole}


@dataclass
class RatesReport:
    """The rows of the rates, the tables made of them and what the output says about them."""

    rows: list[RateRow]
    tables: list[ReportTable]
    meta: ReportMeta


def rates_report(database: Database, *, year: int | None = None, exam: str | None = None,
                 by: str = "none", include_subdepartments: bool = False,
                 today: dt.date | None = None, as_of: dt.date | None = None,
                 title: str | None = None) -> RatesReport:  # fmt: skip
    """The rates of a year's exams (or one exam) by ``by``, as tables and their meta."""
    sub = include_subdepartments
    rows = rates(database, year=year, exam=exam, by=by, include_subdepartments=sub,
                 today=today, as_of=as_of)  # fmt: skip
    totals = totals_of(database, rows, year=year, exam=exam, by=by,
                       include_subdepartments=include_subdepartments, today=today,
                       as_of=as_of)  # fmt: skip
    tables = rates_tables(rows, by, totals, title=title)
    return RatesReport(rows, tables, rates_meta(database, rows, year=year))
