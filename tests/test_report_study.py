"""Study totals as report tables (studyhub.reports.study), with hand-computed figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from studyhub.db import Database
from studyhub.i18n import set_language
from studyhub.org.roster import add_department, add_staff
from studyhub.reports.study import study_report
from studyhub.reports.table import ReportTable
from studyhub.study.activities import add_activity, study_totals
from studyhub.study.outreach import add_outreach, outreach_totals


@pytest.fixture
def bureau(database: Database) -> Database:
    """Two departments, four people: A003 leaves on 2026-06-30, A004 joins on 2026-07-01.

    2026 activities (hours; attendees; in post that day):
      03-10 party_group 2h   A001 A002 A003   in post A001 A002 A003      3/3
      05-20 seminar     3h   A001 A003        in post A001 A002 A003      2/3  civil-code
      09-15 seminar     1.5h A001 A002 A004   in post A001 A002 A004      3/3  constitution
      11-01 lecture     2h   A001             in post A001 A002 A004      1/3
    plus one activity on 2025-12-31 and one on 2027-01-01 (other years).
    Hours in 2026: A001 8.5, A002 3.5, A003 5, A004 1.5.
    Laws: 民法典 (spelt two ways), 行政处罚法 (two ways), 宪法: 3 distinct.
    """
    add_department(database, "D1", "办公室")
    add_department(database, "D2", "法规科")
    add_staff(database, "A001", "张三", "D1", in_post_from="2025-01-01")
    add_staff(database, "A002", "李四", "D1", in_post_from="2025-01-01")
    add_staff(database, "A003", "王五", "D2", in_post_from="2025-01-01", in_post_to="2026-06-30")
    add_staff(database, "A004", "赵六", "D2", in_post_from="2026-07-01")
    activities: list[dict[str, Any]] = [
        dict(kind="党组会学习", held_on="2026-03-10", title="党组会学习民法典", hours="2",
             laws=["《中华人民共和国民法典》"], attendees=["A001", "A002", "A003"]),
        dict(kind="专题研讨", held_on="2026-05-20", title="民法典专题研讨", hours="3",
             topics=["civil-code"], laws=["民法典", "中华人民共和国行政处罚法"],
             attendees=["A001", "A003"]),
        dict(kind="seminar", held_on="2026-09-15", title="宪法专题研讨", hours="1.5",
             topics=["constitution"], laws=["宪法"], attendees=["A001", "A002", "A004"]),
        dict(kind="lecture", held_on="2026-11-01", title="行政处罚法讲座", hours="2",
             laws=["《行政处罚法》"], attendees=["A001"]),
        dict(kind="staff_meeting", held_on="2025-12-31", title="年终学习", hours="4",
             laws=["安全生产法"], attendees=["A002"]),
        dict(kind="lecture", held_on="2027-01-01", title="新年讲座", hours="1",
             laws=["消防法"], attendees=["A001"]),
    ]  # fmt: skip
    for activity in activities:
        add_activity(database, **activity)
    add_outreach(database, held_on="2026-06-01", title="民法典宣传月", materials=500,
                 consultations=30, participants=100)  # fmt: skip
    add_outreach(database, held_on="2026-12-04", title="宪法宣传日", materials=200,
                 consultations=12)  # fmt: skip
    add_outreach(database, held_on="2025-12-04", title="去年宪法宣传日", materials=999)
    return database


def by_title(tables: list[ReportTable], start: str) -> ReportTable:
    found = [table for table in tables if table.title.startswith(start)]
    assert len(found) == 1, [table.title for table in tables]
    return found[0]


def test_study_report_figures(bureau: Database) -> None:
    set_language("zh")
    tables = study_report(bureau, 2026, required_hours="4")
    totals = {row["item"]: row["value"] for row in by_title(tables, "2026年学习与普法合计").rows}
    assert totals == {
        "学习活动次数": 4,
        "学习活动学时合计": Decimal("8.50"),
        "参学人次": 9,
        "参学人数": 4,
        "累计学时（人·学时）": Decimal("18.50"),
        "年内在岗人数": 4,
        "人均学时中位数": Decimal("4.25"),
        "学习法律法规（部）": 3,
        "专题研讨（次）": 2,
        "普法宣传活动（场）": 2,
        "发放资料（份）": 700,
        "接受咨询（人次）": 42,
        "参与群众（人）": 100,
    }

    by_kind = by_title(tables, "2026年学习活动")
    kinds = [*by_kind.rows, by_kind.total]  # the 合计 row last
    assert kinds == [
        {"kind": "党组会学习", "activities": 1, "dates": ["2026-03-10"], "hours": Decimal("2.00")},
        {"kind": "专题研讨", "activities": 2, "dates": ["2026-05-20", "2026-09-15"],
         "hours": Decimal("4.50")},
        {"kind": "专题讲座", "activities": 1, "dates": ["2026-11-01"], "hours": Decimal("2.00")},
        {"kind": "合计", "activities": 4, "dates": [], "hours": Decimal("8.50")},
    ]  # fmt: skip

    attendance = by_title(tables, "2026年各次学习参学情况").rows
    assert [(r["title"], r["attendees"], r["present"], r["in_post"], r["rate"])
            for r in attendance] == [
        ("党组会学习民法典", 3, 3, 3, Decimal("1")),
        ("民法典专题研讨", 2, 2, 3, Decimal("0.6666")),  # truncated, never rounded up
        ("宪法专题研讨", 3, 3, 3, Decimal("1")),
        ("行政处罚法讲座", 1, 1, 3, Decimal("0.3333")),
    ]  # fmt: skip

    hours = by_title(tables, "2026年人均学时").rows
    assert hours == [
        {"people": 4, "total_hours": Decimal("18.50"), "min_hours": Decimal("1.50"),
         "median_hours": Decimal("4.25"), "max_hours": Decimal("8.50"), "below": 2},
    ]  # fmt: skip

    below = by_title(tables, "2026年学时不足4.00学时人员").rows
    assert [(r["staff_no"], r["department"], r["hours"], r["shortfall"]) for r in below] == [
        ("A002", "D1", Decimal("3.50"), Decimal("0.50")),
        ("A004", "D2", Decimal("1.50"), Decimal("2.50")),
    ]

    laws = by_title(tables, "2026年学习法律法规（共3部）").rows
    assert sorted(r["law"] for r in laws) == ["宪法", "民法典", "行政处罚法"]
    assert {r["law"]: r["activities"] for r in laws}["民法典"] == 2

    seminars = by_title(tables, "2026年专题研讨（共2次").rows
    assert [(r["topic"], r["seminars"]) for r in seminars] == [
        ("civil-code", 1),
        ("constitution", 1),
    ]
    for table in tables:
        assert table.definitions, table.title


def test_study_report_agrees_with_study_totals(bureau: Database) -> None:
    set_language("en")
    tables = study_report(bureau, 2026)
    totals = study_totals(bureau, 2026)
    outreach = outreach_totals(bureau, 2026)
    figures = {row["item"]: row["value"] for row in tables[0].rows}
    assert figures["study activities"] == totals["activities"]
    assert figures["attendances"] == totals["attendance"]
    assert figures["person-hours"] == totals["person_hours"]
    assert figures["laws and regulations studied"] == totals["laws"]
    assert figures["outreach events"] == outreach["events"]
    assert figures["materials handed out"] == outreach["materials"]
    kinds = {row["kind"]: row for row in tables[1].rows}
    for kind, values in totals["by_kind"].items():
        assert (kinds[kind]["activities"], kinds[kind]["hours"]) == (
            values["activities"],
            values["hours"],
        )
    attendance = tables[2].rows
    assert sum(row["attendees"] for row in attendance) == totals["attendance"]
    # no --required-hours: no "below" column and no list
    assert "below" not in dict(tables[3].columns)
    assert not any(table.title.startswith("Staff below") for table in tables)


def test_study_report_by_department(bureau: Database) -> None:
    set_language("zh")
    tables = study_report(bureau, 2026, by_department=True, required_hours=Decimal("4"))
    table = by_title(tables, "2026年人均学时")
    rows = [*table.rows, table.total]  # the 合计 row last
    assert [(r["department"], r["people"], r["total_hours"], r["min_hours"], r["median_hours"],
             r["max_hours"], r["below"]) for r in rows] == [
        ("D1", 2, Decimal("12.00"), Decimal("3.50"), Decimal("6.00"), Decimal("8.50"), 1),
        ("D2", 2, Decimal("6.50"), Decimal("1.50"), Decimal("3.25"), Decimal("5.00"), 1),
        ("合计", 4, Decimal("18.50"), Decimal("1.50"), Decimal("4.25"), Decimal("8.50"), 2),
    ]  # fmt: skip


def test_other_years_and_an_empty_year(bureau: Database) -> None:
    set_language("zh")
    tables = study_report(bureau, 2025)
    totals = {row["item"]: row["value"] for row in tables[0].rows}
    assert totals["学习活动次数"] == 1 and totals["学习法律法规（部）"] == 1
    assert totals["年内在岗人数"] == 3  # A004 joined in 2026
    assert totals["人均学时中位数"] == Decimal("0.00")  # 0, 0, 4 hours
    empty = study_report(bureau, 2020, required_hours="2")
    rows = by_title(empty, "2020年人均学时").rows
    assert rows == [{"people": 0, "total_hours": Decimal("0.00"), "min_hours": None,
                     "median_hours": None, "max_hours": None, "below": 0}]  # fmt: skip
    assert by_title(empty, "2020年各次学习参学情况").rows == []


def test_bad_required_hours(bureau: Database) -> None:
    from studyhub.errors import InputError

    with pytest.raises(InputError, match="required hours"):
        study_report(bureau, 2026, required_hours="lots")


# --- the command line --------------------------------------------------------------------------


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from studyhub.cli import cli

    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_report_study(bureau: Database, db_url: str, tmp_path: Path) -> None:
    import csv
    import io
    import json

    code, out, err = run(db_url, "report", "study", "--year", "2026", "--format", "json",
                         "--required-hours", "4", "--by", "department")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)["tables"]
    assert data[0]["title"] == "2026年学习与普法合计"
    assert {r["item"]: r["value"] for r in data[0]["rows"]}["学习活动次数"] == 4
    below = next(t for t in data if t["title"].startswith("2026年学时不足"))
    assert [r["staff_no"] for r in below["rows"]] == ["A002", "A004"]
    assert below["rows"][0]["hours"] == 3.5

    code, out, err = run(db_url, "report", "study", "--year", "2026")
    assert code == 0, err
    assert "2026年学习法律法规（共3部）" in out and "民法典" in out

    target = tmp_path / "study.csv"
    code, out, err = run(db_url, "--lang", "en", "report", "study", "--year", "2026",
                         "--format", "csv", "--output", str(target))  # fmt: skip
    assert code == 0, err
    assert str(target) in out
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["item", "value"]  # one header row, then the data

    code, out, err = run(db_url, "report", "study", "--year", "2026", "--required-hours", "x")
    assert code == 1 and err.startswith("错误：要求学时：学时 'x' 有误")
