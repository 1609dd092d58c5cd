"""Study activities, attendance, online courses, law titles, and outreach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import InputError, MultipleErrors, NotFoundError
from studyhub.models import Attendance, OutreachEvent, StudyActivity, Topic
from studyhub.org.roster_import import import_departments, import_staff
from studyhub.study.activities import (
    activity_detail,
    activity_list,
    add_activity,
    law_titles,
    parse_kind,
    study_totals,
)
from studyhub.study.imports import import_activities, import_online
from studyhub.study.outreach import add_outreach, import_outreach, outreach_list, outreach_totals


@pytest.fixture
def roster(database: Database, tmp_path: Path) -> Database:
    depts = tmp_path / "d.csv"
    depts.write_text(
        "部门编码,部门名称,上级部门\nHQ,局机关,\nOFF,办公室,HQ\nLAW,法规科,HQ\n", "utf-8"
    )
    import_departments(database, depts)
    people = tmp_path / "r.csv"
    people.write_text(
        "工号,姓名,部门\n0001,张三,OFF\n0002,李四,OFF\n0003,王五,LAW\n0004,赵六,HQ\n", "utf-8"
    )
    import_staff(database, people, on="2026-01-01")
    return database


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_kinds_accept_keys_and_chinese_names() -> None:
    assert parse_kind("专题研讨") == "seminar"
    assert parse_kind("seminar") == "seminar"
    assert parse_kind("理论学习中心组") == "central_group"
    assert parse_kind("网络课程") == "online_course"
    with pytest.raises(ValueError, match="unknown kind 唱歌"):
        parse_kind("唱歌")


def test_add_activity_with_department_and_attendees(roster: Database) -> None:
    result = add_activity(
        roster, kind="党组会学习", held_on="2026年3月5日", title="学习民法典",
        hours="2", topics=["civil-code", "new-topic"],
        laws=["《中华人民共和国民法典》", "民法典", "中华人民共和国 民法典"],
        attendees=["0004"], departments=["OFF"],
    )  # fmt: skip
    assert result.attendance_added == 3
    detail = activity_detail(roster, result.activity_id)
    assert (detail["kind"], detail["date"], detail["hours"]) == (
        "party_group", dt.date(2026, 3, 5), Decimal("2.00"),
    )  # fmt: skip
    assert detail["laws"] == ["民法典"]
    assert detail["topics"] == ["civil-code", "new-topic"]
    assert [a["staff_no"] for a in detail["attendance"]] == ["0001", "0002", "0004"]
    with roster.session() as session:
        names = dict(session.execute(sa.select(Topic.key, Topic.name)).all())
    assert names == {"civil-code": "民法典", "new-topic": "new-topic"}
    with pytest.raises(InputError, match="already recorded"):
        add_activity(roster, kind="party_group", held_on="2026-03-05", title="学习民法典",
                     hours=1)  # fmt: skip
    with pytest.raises(NotFoundError, match="no staff member 9999"):
        add_activity(roster, kind="lecture", held_on="2026-03-06", title="x", hours=1,
                     attendees=["9999"])  # fmt: skip
    with pytest.raises(InputError, match="bad hours"):
        add_activity(roster, kind="lecture", held_on="2026-03-06", title="x", hours="abc")


STUDY = (
    "日期,形式,标题,专题,法律法规,学时,组织者,参加人员,参加部门,工号,个人学时\n"
    "2026-03-05,专题研讨,民法典专题研讨,civil-code,《中华人民共和国民法典》,3,办公室,0001、0002,,,\n"
    "2026/4/1,干部职工会集中学习,学习宪法,constitution,中华人民共和国宪法;民法典,2,,,,0001,\n"
    "2026/4/1,干部职工会集中学习,学习宪法,,行政处罚法,2,,,,0003,1.5\n"
    "2026年5月6日,lecture,优化营商环境条例讲座,,优化营商环境条例,1.5,,,LAW,,\n"
)


def test_study_import_groups_rows_and_normalises_laws(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(STUDY, encoding="utf-8")
    summary = import_activities(roster, path)
    assert (summary.activities_added, summary.activities_merged, summary.attendance_added) == (
        3, 0, 5,
    )  # fmt: skip
    rows = activity_list(roster, year=2026)
    assert [(r["kind"], r["title"], r["attendees"], r["laws"]) for r in rows] == [
        ("seminar", "民法典专题研讨", 2, 1),
        ("staff_meeting", "学习宪法", 2, 3),
        ("lecture", "优化营商环境条例讲座", 1, 1),
    ]
    laws = law_titles(roster, year=2026)
    assert laws[0] == {"law": "民法典", "activities": 2, "dates": ["2026-03-05", "2026-04-01"]}
    assert sorted(r["law"] for r in laws) == ["优化营商环境条例", "宪法", "民法典", "行政处罚法"]
    assert law_titles(roster, year=2025) == []
    meeting = activity_detail(roster, rows[1]["id"])
    assert [(a["staff_no"], a["hours"]) for a in meeting["attendance"]] == [
        ("0001", Decimal("2.00")), ("0003", Decimal("1.50")),
    ]  # fmt: skip
    # importing the same file again merges and adds nothing
    again = import_activities(roster, path)
    assert (again.activities_added, again.activities_merged, again.attendance_added) == (0, 3, 0)
    assert count(roster, StudyActivity) == 3
    totals = study_totals(roster, 2026)
    assert totals["activities"] == 3 and totals["laws"] == 4
    assert totals["seminars_by_topic"] == {"civil-code": 1}
    assert totals["person_hours"] == Decimal("3") * 2 + Decimal("2") + Decimal("1.5") * 2
    assert [r["title"] for r in activity_list(roster, kind="专题研讨")] == ["民法典专题研讨"]


def test_study_bad_file_exact_rows_nothing_written(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "日期,形式,标题,学时,参加人员,参加部门,工号\n"
        "2026-03-05,专题研讨,研讨,3,0001,,\n"
        "2026-03-06,专题研讨,研讨二,3,9999,,\n"
        "2026-02-30,专题研讨,研讨三,3,,,\n"
        "2026-03-07,讲座,讲座,1,,NOPE,\n"
        "2026-03-05,专题研讨,研讨,3,,,0001\n"
        "2026-03-08,唱歌,x,1,,,\n"
        "2026-03-09,讲座,讲座二,2,,,\n"
        "2026-03-09,讲座,讲座二,2,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_activities(roster, path)
    shown = info.value.errors[2].shown("zh")
    assert shown.endswith(
        "未知的学习形式 唱歌（可用：党组会学习、理论学习中心组学习、干部职工会集中学习、"
        "专题研讨、专题讲座、网络课程、自学、其他）"
    )
    reasons = [e.reason for e in info.value.errors]
    assert reasons == [
        f"{path}, row 4, field 日期: bad date '2026-02-30': no such day",
        f"{path}, row 6, field 工号: duplicate row: 0001 is already listed for this activity "
        "in row 2",
        f"{path}, row 7, field 形式: unknown kind 唱歌 (expected one of party_group, "
        "central_group, staff_meeting, seminar, lecture, online_course, self_study, other)",
        f"{path}, row 9: duplicate row (the same activity as row 8)",
        f"{path}, row 3, field 参加人员: no staff member 9999",
        f"{path}, row 5, field 参加部门: no department NOPE",
    ]
    assert count(roster, StudyActivity) == 0


ONLINE = (
    "工号,姓名,课程,学时,完成时间\n"
    "0001,张三,习近平法治思想概论,4,2026-03-05 10:20:00\n"
    "0002,李四,习近平法治思想概论,4,2026/2/1 08:00\n"
    "0003,王五,民法典解读,2,2026年6月1日\n"
    "0001,张三,习近平法治思想概论,4,2025-12-30\n"
)


def test_online_courses_one_activity_per_course_and_year(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "online.csv"
    path.write_text(ONLINE, encoding="utf-8")
    summary = import_online(roster, path)
    assert (summary.activities_added, summary.attendance_added) == (3, 4)
    rows = activity_list(roster, kind="online_course")
    assert [(r["date"], r["title"], r["attendees"]) for r in rows] == [
        (dt.date(2025, 12, 30), "习近平法治思想概论", 1),
        (dt.date(2026, 2, 1), "习近平法治思想概论", 2),
        (dt.date(2026, 6, 1), "民法典解读", 1),
    ]
    detail = activity_detail(roster, rows[1]["id"])
    assert [(a["staff_no"], a["completed_on"]) for a in detail["attendance"]] == [
        ("0001", dt.date(2026, 3, 5)), ("0002", dt.date(2026, 2, 1)),
    ]  # fmt: skip
    again = import_online(roster, path)
    assert (again.activities_added, again.activities_merged, again.attendance_added) == (0, 3, 0)
    path.write_text(ONLINE + "0004,赵六,民法典解读,2,2026-01-15\n", encoding="utf-8")
    more = import_online(roster, path)
    assert (more.activities_added, more.attendance_added) == (0, 1)
    assert activity_list(roster, kind="online_course")[1]["date"] == dt.date(2026, 1, 15)
    assert count(roster, Attendance) == 5


def test_online_bad_rows(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "online.csv"
    path.write_text(
        "工号,课程,学时,完成时间\n0001,课A,4,2026-03-05\n0009,课A,4,2026-03-05\n"
        "0002,课A,x,2026-03-05\n0001,课A,4,2026-04-05\n0003,课A,4,\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_online(roster, path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 4, field 学时: bad hours 'x' (expected a number such as 2 or 1.5)",
        f"{path}, row 5: duplicate row: 0001 completed 课A in 2026 already (row 2)",
        f"{path}, row 6, field 完成时间: missing value",
        f"{path}, row 3, field 工号: no staff member 0009",
    ]
    assert count(roster, StudyActivity) == 0


def test_outreach_add_import_list_totals(database: Database, tmp_path: Path) -> None:
    add_outreach(database, held_on="2026-03-15", title="3·15消费者权益日普法", place="广场",
                 materials="500份", consultations=80, partners="市场监管局")  # fmt: skip
    with pytest.raises(InputError, match="already recorded"):
        add_outreach(database, held_on="2026-03-15", title="3·15消费者权益日普法")
    path = tmp_path / "o.csv"
    path.write_text(
        "日期,活动名称,地点,发放资料,接受咨询,参与人数,合作单位\n"
        "2026-12-04,宪法宣传周,社区,1200,150,300,司法局\n"
        "2026-04-15,国家安全教育日,,300,20,,\n",
        encoding="utf-8",
    )
    assert import_outreach(database, path).added == 2
    summary = import_outreach(database, path)
    assert (summary.added, summary.unchanged) == (0, 2)
    assert [r["title"] for r in outreach_list(database, year=2026)] == [
        "3·15消费者权益日普法", "国家安全教育日", "宪法宣传周",
    ]  # fmt: skip
    assert outreach_totals(database, 2026) == {
        "events": 3, "materials": 2000, "consultations": 250, "participants": 300,
    }  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "日期,活动名称,发放资料\n2026-13-01,x,1\n2026-05-01,y,many\n2026-05-01,y,1\n", "utf-8"
    )
    with pytest.raises(MultipleErrors) as info:
        import_outreach(database, bad)
    assert [e.reason for e in info.value.errors] == [
        f"{bad}, row 2, field 日期: bad date '2026-13-01': no such day",
        f"{bad}, row 3, field 发放资料: bad number 'many' (expected a whole number such as 120)",
    ]
    assert count(database, OutreachEvent) == 3


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("1e999999", "too many"),  # decimal.InvalidOperation escaped (found by bench/fuzz.py)
        ("9" * 40, "too many"),
        (1e300, "too many"),
        ("NaN", "expected a number 0 or more"),
        ("-1", "expected a number 0 or more"),
        ("1.234", "at most two decimal places"),
        ("两小时", "expected a number such as 2 or 1.5"),
    ],
)
def test_bad_hours_are_value_errors(given: object, reason: str) -> None:
    from studyhub.values import parse_hours

    with pytest.raises(ValueError, match=reason):
        parse_hours(given)


def test_hours_are_exact() -> None:
    from decimal import Decimal

    from studyhub.values import parse_hours

    assert [str(parse_hours(v)) for v in ("2", "1.5学时", 3, 2.25, "-0", "9999.99")] == [
        "2.00", "1.50", "3.00", "2.25", "0.00", "9999.99"]  # fmt: skip
    assert parse_hours(Decimal("0.5")) == Decimal("0.50")
