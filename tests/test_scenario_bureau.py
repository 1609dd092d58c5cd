"""A 60-person bureau with 6 departments and a year of study, built through the CLI only
(files written by the test), then counted through the library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import open_database
from studyhub.org.roster import staff_list
from studyhub.study.activities import activity_list, law_titles, study_totals
from studyhub.study.outreach import outreach_totals

DEPTS = ["HQ", "OFF", "LAW", "FIN", "ENF", "ENF1"]
NAMES = {"HQ": "某某局", "OFF": "办公室", "LAW": "法规科", "FIN": "财务科", "ENF": "执法支队",
         "ENF1": "执法一大队"}  # fmt: skip
PARENT = {"HQ": "", "OFF": "HQ", "LAW": "HQ", "FIN": "HQ", "ENF": "HQ", "ENF1": "ENF"}


def cli_ok(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def build_bureau(db_url: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    """Build the bureau through the CLI; returns its people (staff no, name, department)."""
    depts = tmp_path / "departments.csv"
    depts.write_text(
        "部门编码,部门名称,上级部门\n" + "".join(f"{c},{NAMES[c]},{PARENT[c]}\n" for c in DEPTS),
        encoding="utf-8",
    )
    cli_ok(db_url, "dept", "import", str(depts))
    # 10 people per department: staff 0001..0060
    people = [(f"{i:04d}", f"职工{i}", DEPTS[(i - 1) // 10]) for i in range(1, 61)]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "工号,姓名,部门,角色,在岗起\n"
        + "".join(f"{no},{name},{dept},职工,2020-01-01\n" for no, name, dept in people),
        encoding="utf-8",
    )
    out = cli_ok(db_url, "staff", "import", str(roster), "--on", "2026-01-01")
    assert out.startswith("staff: 60 added")
    # mid-year: 0011 moves from OFF to LAW; 0060 leaves on 2026-06-30
    cli_ok(db_url, "staff", "move", "0011", "--to", "LAW", "--on", "2026-07-01")
    cli_ok(db_url, "staff", "leave", "0060", "--on", "2026-06-30")

    study = tmp_path / "study.csv"
    rows = ["日期,形式,标题,专题,法律法规,学时,组织者,参加人员,参加部门"]
    rows.append("2026-01-20,党组会学习,学习习近平法治思想,xi-rule-of-law,,2,办公室,,HQ")
    rows.append("2026-03-10,理论学习中心组学习,学习民法典,civil-code,《中华人民共和国民法典》,3,办公室,"
                "0001、0002、0003,")  # fmt: skip
    rows.append(
        "2026-05-12,专题研讨,民法典专题研讨,civil-code,民法典;中华人民共和国宪法,2.5,法规科,,LAW"
    )
    rows.append("2026-08-08,干部职工会集中学习,学习行政处罚法,,行政处罚法;中华人民共和国行政许可法,"
                "1.5,法规科,,ENF")  # fmt: skip
    rows.append("2026-11-20,专题讲座,宪法讲座,constitution,宪法,2,法规科,,HQ")
    study.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli_ok(db_url, "study", "import", str(study))

    online = tmp_path / "academy.csv"
    completions = [f"{no},习近平法治思想概论,4,2026-0{1 + i % 9}-15 09:00" for i, (no, _, _)
                   in enumerate(people[:30])]  # fmt: skip
    completions += [
        f"{no},民法典解读,2,2026/10/{1 + i}" for i, (no, _, _) in enumerate(people[30:40])
    ]
    online.write_text("工号,课程,学时,完成时间\n" + "\n".join(completions) + "\n", encoding="utf-8")
    cli_ok(db_url, "study", "import-online", str(online))

    outreach = tmp_path / "outreach.csv"
    outreach.write_text(
        "日期,活动名称,地点,发放资料,接受咨询,合作单位\n"
        "2026-03-15,消费者权益日普法,中心广场,600,45,市场监管局\n"
        "2026-04-15,全民国家安全教育日,社区,400,30,\n"
        "2026-12-04,宪法宣传周,政务大厅,1000,120,司法局、团委\n",
        encoding="utf-8",
    )
    cli_ok(db_url, "outreach", "import", str(outreach))
    # importing everything again changes nothing
    cli_ok(db_url, "study", "import", str(study))
    cli_ok(db_url, "study", "import-online", str(online))
    cli_ok(db_url, "outreach", "import", str(outreach))
    return people


def test_a_year_of_a_bureau(db_url: str, tmp_path: Path) -> None:
    build_bureau(db_url, tmp_path)
    database = open_database(db_url)
    try:
        assert len(staff_list(database, at="2026-06-30")) == 60
        assert len(staff_list(database, at="2026-07-01")) == 59
        assert len(staff_list(database, department="HQ", at="2026-07-01")) == 59
        assert len(staff_list(database, department="ENF", at="2026-06-30")) == 20
        assert len(staff_list(database, department="LAW", at="2026-07-01")) == 11
        assert len(staff_list(database, department="OFF", at="2026-07-01")) == 9

        activities = activity_list(database, year=2026)
        assert len(activities) == 7
        attendees = {a["title"]: a["attendees"] for a in activities}
        assert attendees["学习习近平法治思想"] == 60
        assert attendees["民法典专题研讨"] == 10
        assert attendees["学习行政处罚法"] == 19  # 0060 left before August
        assert attendees["宪法讲座"] == 59
        assert attendees["习近平法治思想概论"] == 30

        totals = study_totals(database, 2026)
        assert totals["by_kind"]["seminar"]["activities"] == 1
        assert totals["by_kind"]["online_course"] == {"activities": 2, "hours": Decimal("6.00")}
        assert totals["seminars_by_topic"] == {"civil-code": 1}
        assert totals["laws"] == 4
        assert totals["attendance"] == 60 + 3 + 10 + 19 + 59 + 30 + 10
        assert totals["people"] == 60
        expected = (60 * 2 + 3 * 3 + Decimal("2.5") * 10 + Decimal("1.5") * 19 + 59 * 2
                    + 30 * 4 + 10 * 2)  # fmt: skip
        assert totals["person_hours"] == expected

        laws = {r["law"]: r for r in law_titles(database, year=2026)}
        assert set(laws) == {"民法典", "宪法", "行政处罚法", "行政许可法"}
        assert laws["民法典"]["activities"] == 2
        assert laws["宪法"]["dates"] == ["2026-05-12", "2026-11-20"]

        online = [a for a in activities if a["kind"] == "online_course"]
        assert [a["date"] for a in online] == [dt.date(2026, 1, 15), dt.date(2026, 10, 1)]

        assert outreach_totals(database, 2026) == {
            "events": 3, "materials": 2000, "consultations": 195, "participants": 0,
        }  # fmt: skip
    finally:
        database.dispose()
