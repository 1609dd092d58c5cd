"""Report tables for the rates, the people behind them and the ranking: typed values, the
columns a terminal shows by default (the rest with --wide and in every export), a 合计 row,
and the definitions of what each figure counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from studyhub.i18n import N_, t
from studyhub.reports.rates import RateRow, definitions
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from studyhub.reports.people import PersonRow
    from studyhub.reports.ranking import RankRow

__all__ = ["people_table", "ranking_table", "rates_table", "rates_tables"]

#: (key, kind, only with --wide) of the rates tables, in display order
RATE_COLUMNS = (
    ("group", "text", True),
    ("group_name", "text", False),
    ("required", "count", False),
    ("participants", "count", False),
    ("participation_rate", "rate", False),
    ("passed", "count", False),
    ("pass_rate", "rate", False),
    ("excellent", "count", True),
    ("excellent_rate", "rate", False),
    ("exempt", "count", True),
    ("pass_rate_of_required", "rate", True),
    ("average", "score", True),
    ("highest", "score", True),
)
#: the title of a grouped table
TITLES = {"department": N_("rates.title.department"), "topic": N_("rates.title.topic")}
#: the headings of the group columns, by grouping
GROUP_HEADINGS = {
    "department": (N_("rates.col.group"), N_("rates.col.group_name")),
    "topic": (N_("rates.col.topic"), N_("rates.col.topic_name")),
    "none": (N_("rates.col.exam"), N_("rates.col.exam_title")),
}


def _rate_values(row: RateRow) -> dict[str, Any]:
    return {
        "group": row.group, "group_name": row.group_name, "required": row.required,
        "participants": row.participants, "passed": row.passed, "excellent": row.excellent,
        "exempt": row.exempt, "participation_rate": row.participation_rate,
        "pass_rate": row.pass_rate, "pass_rate_of_required": row.pass_rate_of_required,
        "excellent_rate": row.excellent_rate, "average": row.average, "highest": row.highest,
    }  # fmt: skip


def _rates_table(
    title: str, by: str, rows: Sequence[RateRow], total: RateRow | None
) -> ReportTable:
    code, name = GROUP_HEADINGS[by]
    headings = {"group": t(code), "group_name": t(name)}
    columns = [(key, headings.get(key) or t(f"rates.col.{key}")) for key, _, _ in RATE_COLUMNS]
    shown = [key for key, _ in columns]
    if by != "department":
        shown.remove("group_name")  # a topic or an exam is not a department
    table = ReportTable(
        title,
        columns,
        [_rate_values(row) for row in rows],
        definitions(shown),
        kinds={key: kind for key, kind, _ in RATE_COLUMNS},
        wide=frozenset(key for key, _, wide in RATE_COLUMNS if wide),
    )
    if total is not None:
        table.total = _rate_values(replace(total, group="", group_name=t("rates.total")))
    return table


def rates_tables(rows: Sequence[RateRow], by: str, totals: dict[str, RateRow] | None = None,
                 *, title: str | None = None) -> list[ReportTable]:  # fmt: skip
    """The rates as tables: ``by`` "none", one table of the exams (with a 合计 over them
    when there are several); by department or topic, one table per exam, each ending with
    the exam's whole figures (``totals``, by exam key) as its 合计 row."""
    from studyhub.reports.rates import total_row

    if not rows:
        return []
    if by == "none":
        shown = [replace(row, group=row.exam, group_name=row.title) for row in rows]
        total = total_row(list(rows)) if len(rows) > 1 else None
        table = _rates_table(title or t("rates.title"), by, shown, total)
        table.notes = _provisional_notes(rows)
        return [table]
    tables = []
    for exam in dict.fromkeys(row.exam for row in rows):
        mine = [row for row in rows if row.exam == exam]
        heading = title or t(TITLES[by], title=mine[0].title, exam=exam)
        table = _rates_table(heading, by, mine, (totals or {}).get(exam))
        table.notes = _provisional_notes(mine[:1])
        tables.append(table)
    return tables


def rates_table(rows: Sequence[RateRow], *, title: str | None = None) -> ReportTable:
    """The exams of ``rows`` as one table, one line each (see :func:`rates_tables`)."""
    found = rates_tables(rows, "none", title=title)
    return found[0] if found else _rates_table(title or t("rates.title"), "none", [], None)


def _provisional_notes(rows: Sequence[RateRow]) -> list[str]:
    """A line per exam still open: its figures are provisional."""
    return [
        t("rates.provisional", exam=row.exam)
        for row in dict((r.exam, r) for r in rows).values()
        if row.provisional
    ]


PEOPLE_KEYS = ("staff_no", "name", "department", "department_name", "attempts", "score", "band",
               "passed")  # fmt: skip
PEOPLE_KINDS = {"attempts": "count", "score": "text", "passed": "text"}
#: what each list is, as the heading of its definition
LIST_NAMES = {
    "absentees": N_("rates.listname.absentees"), "failed": N_("rates.listname.failed"),
    "exempt": N_("rates.listname.exempt"), "not_passed": N_("rates.listname.not_passed"),
    "scores": N_("rates.listname.scores"),
}  # fmt: skip
PEOPLE_HEADINGS = {
    "staff_no": N_("rates.col.person.staff_no"), "name": N_("rates.col.person.name"),
    "department": N_("rates.col.person.department"),
    "department_name": N_("rates.col.person.department_name"),
    "attempts": N_("rates.col.person.attempts"), "score": N_("rates.col.person.score"),
    "band": N_("rates.col.person.band"), "passed": N_("rates.col.person.passed"),
    "reason": N_("rates.col.person.reason"),
}  # fmt: skip


def people_table(
    kind: str, exam: str, rows: Sequence[PersonRow], total: int | None = None
) -> ReportTable:
    """The people behind a figure: the score as points and percentage, the band (未达到任何
    等次 below the lowest band, as the quiz says), whether they passed. ``total``: how many
    there are when ``rows`` are only the first of them (the title says so)."""
    from studyhub.reports.cells import points_and_percent

    keys = list(PEOPLE_KEYS)
    if kind == "exempt":
        keys = ["staff_no", "name", "department", "department_name", "reason"]
    shown = []
    for row in rows:
        data = row.as_json()
        data["passed"] = t("rates.yes") if row.passed else t("rates.no")
        data["score"] = points_and_percent(row.points, row.score)
        data["band"] = row.band or (t("quiz.result.no_band") if row.score is not None else None)
        if row.score is None:
            data["passed"] = None
        shown.append(data)
    columns = [(key, t(PEOPLE_HEADINGS[key])) for key in keys]
    title = t(f"rates.list.{kind}", exam=exam)
    if total is not None and total > len(rows):
        title = t("rates.list.first", title=title, shown=len(rows), total=f"{total:,}")
    return ReportTable(title, columns, shown,
                       {t(LIST_NAMES[kind]): t(f"rates.def.{kind}")}, kinds=PEOPLE_KINDS,
                       wide=frozenset({"department"}))  # fmt: skip


RANK_COLUMNS = (
    ("rank", "count", False), ("department", "text", True), ("name", "text", False),
    ("required", "count", False), ("participants", "count", False), ("passed", "count", True),
    ("excellent", "count", True), ("participation_rate", "rate", False),
    ("pass_rate", "rate", False), ("excellent_rate", "rate", False), ("class", "text", False),
    ("tie", "text", True),
)  # fmt: skip


RANK_HEADINGS = {
    "rank": N_("rates.col.rank.rank"), "department": N_("rates.col.rank.department"),
    "name": N_("rates.col.rank.name"), "required": N_("rates.col.rank.required"),
    "participants": N_("rates.col.rank.participants"), "passed": N_("rates.col.rank.passed"),
    "excellent": N_("rates.col.rank.excellent"),
    "participation_rate": N_("rates.col.rank.participation_rate"),
    "pass_rate": N_("rates.col.rank.pass_rate"),
    "excellent_rate": N_("rates.col.rank.excellent_rate"), "class": N_("rates.col.rank.class"),
    "tie": N_("rates.col.rank.tie"),
}  # fmt: skip


def ranking_table(year: int, rows: Sequence[RankRow]) -> ReportTable:
    shown = []
    for row in rows:
        data: dict[str, Any] = row.as_json()
        for key in ("participation_rate", "pass_rate", "excellent_rate"):
            data[key] = getattr(row, key)
        shown.append(data)
    columns = [(key, t(RANK_HEADINGS[key])) for key, _, _ in RANK_COLUMNS]
    return ReportTable(
        t("rates.ranking", year=year), columns, shown,
        {"rank": t("rates.def.ranking"), "class": t("rates.def.classes")},
        kinds={key: kind for key, kind, _ in RANK_COLUMNS},
        wide=frozenset(key for key, _, wide in RANK_COLUMNS if wide),
    )  # fmt: skip
