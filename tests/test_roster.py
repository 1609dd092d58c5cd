"""Departments, staff and dated postings: imports, re-imports, moves, leavers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import InputError, MultipleErrors, NotFoundError
from studyhub.models import AuditEvent, Department, Staff, StaffPosting
from studyhub.org.roster import (
    add_department,
    add_staff,
    department_list,
    leave_staff,
    move_staff,
    staff_in_post,
    staff_list,
)
from studyhub.org.roster_import import import_departments, import_staff

DEPTS = "部门编码,部门名称,上级部门\nHQ,某某局,\nOFF,办公室,HQ\nLAW,法规科,HQ\nLAW1,法规一股,LAW\n"
ROSTER = (
    "工号,姓名,部门,角色,在岗起,在岗止\n"
    "0001,张三,OFF,管理员,2020-01-01,\n"
    "0002,李四,法规科,,2020/1/1,\n"
    "0003,王五,LAW1,职工,2020年1月1日,\n"
    "0004,赵六,OFF,reporter,2020-01-01,\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def setup_roster(database: Database, tmp_path: Path) -> None:
    import_departments(database, write(tmp_path, "d.csv", DEPTS))
    import_staff(database, write(tmp_path, "r.csv", ROSTER), on="2021-01-01")


def depts_on(database: Database, day: str) -> dict[str, str]:
    return {r.staff_no: r.department for r in staff_list(database, at=day)}


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_department_import_tree_and_reimport(database: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", DEPTS)
    summary = import_departments(database, path)
    assert (summary.added, summary.updated, summary.unchanged) == (4, 0, 0)
    rows = department_list(database)
    assert [(r["code"], r["depth"], r["parent"]) for r in rows] == [
        ("HQ", 0, None), ("LAW", 1, "HQ"), ("LAW1", 2, "LAW"), ("OFF", 1, "HQ"),
    ]  # fmt: skip
    summary = import_departments(
        database, write(tmp_path, "d2.csv", DEPTS.replace("办公室", "综合办"))
    )
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 3)
    assert count(database, Department) == 4


def test_department_add_and_errors(database: Database, tmp_path: Path) -> None:
    add_department(database, "HQ", "某某局")
    add_department(database, "OFF", "办公室", parent="某某局")
    with pytest.raises(InputError, match="department OFF already exists"):
        add_department(database, "OFF", "x")
    with pytest.raises(NotFoundError, match="no department NOPE"):
        add_department(database, "X", "x", parent="NOPE")


def test_department_file_errors_write_nothing(database: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path, "d.csv",
        "部门编码,部门名称,上级部门\nA,甲,\nB,乙,ZZ\nA,丙,\nC,,A\nD,丁,E\nE,戊,D\n",
    )  # fmt: skip
    with pytest.raises(MultipleErrors) as info:
        import_departments(database, path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 4, field 部门编码: duplicate department A (also row 2)",
        f"{path}, row 5, field 部门名称: missing value",
        f"{path}, row 3, field 上级部门: unknown department ZZ",
        f"{path}, row 6, field 上级部门: department D would be inside itself",
        f"{path}, row 7, field 上级部门: department E would be inside itself",
    ]
    assert count(database, Department) == 0


def test_staff_import_and_reimport_update_move_leave_missing(
    database: Database, tmp_path: Path
) -> None:
    setup_roster(database, tmp_path)
    assert count(database, Staff) == 4
    with database.session() as session:
        roles = dict(session.execute(sa.select(Staff.staff_no, Staff.role)).all())
    assert roles == {"0001": "admin", "0002": "employee", "0003": "employee", "0004": "reporter"}
    # 0002 renamed, 0003 moves to OFF, 0001 leaves, 0004 is missing, 0005 joins
    second = (
        "staff_no,name,department,in_post_to\n"
        "0001,张三,OFF,2022-06-30\n"
        "0002,李四（新）,LAW,\n"
        "0003,王五,OFF,\n"
        "0005,孙七,LAW1,\n"
    )
    summary = import_staff(database, write(tmp_path, "r2.csv", second), on="2022-07-01")
    assert (summary.added, summary.updated, summary.moved, summary.left, summary.unchanged) == (
        1, 3, 1, 1, 0,
    )  # fmt: skip
    assert summary.missing == [("0004", "赵六", "OFF")]
    assert count(database, Staff) == 5
    assert depts_on(database, "2022-06-30") == {
        "0001": "OFF", "0002": "LAW", "0003": "LAW1", "0004": "OFF",
    }  # fmt: skip
    assert depts_on(database, "2022-07-01") == {
        "0002": "LAW", "0003": "OFF", "0004": "OFF", "0005": "LAW1",
    }  # fmt: skip
    # the same file again changes nothing and duplicates nobody
    again = import_staff(database, write(tmp_path, "r3.csv", second), on="2022-07-01")
    assert (again.added, again.updated, again.moved, again.left, again.unchanged) == (0, 0, 0, 0, 4)
    assert count(database, Staff) == 5
    with database.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "0001"))
        assert person is not None and person.in_post_to == dt.date(2022, 6, 30)
        actions = session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("staff.import") == 3


def test_membership_on_dates_across_moves(database: Database, tmp_path: Path) -> None:
    setup_roster(database, tmp_path)
    move_staff(database, "0003", "OFF", on="2022-03-01")
    move_staff(database, "0003", "LAW", on="2022-12-01")
    leave_staff(database, "0002", on="2022-11-30")
    assert depts_on(database, "2022-02-28")["0003"] == "LAW1"
    assert depts_on(database, "2022-03-01")["0003"] == "OFF"
    on_day = depts_on(database, "2022-11-30")
    assert (on_day["0003"], on_day["0002"]) == ("OFF", "LAW")  # last day in post counts
    assert "0002" not in depts_on(database, "2022-12-01")
    assert depts_on(database, "2022-12-01")["0003"] == "LAW"
    assert depts_on(database, "2019-12-31") == {}
    # LAW with its sub-department LAW1
    with database.session() as session:
        law = session.scalar(sa.select(Department.id).where(Department.code == "LAW"))
        ids = set(session.scalars(staff_in_post(dt.date(2022, 1, 1), law)))
        only = set(session.scalars(staff_in_post(dt.date(2022, 1, 1), law, include_sub=False)))
        numbers = dict(session.execute(sa.select(Staff.id, Staff.staff_no)).all())
        postings = session.scalar(sa.select(sa.func.count()).select_from(StaffPosting))
    assert {numbers[i] for i in ids} == {"0002", "0003"}
    assert {numbers[i] for i in only} == {"0002"}
    assert postings == 6
    assert [r.staff_no for r in staff_list(database, department="LAW", at="2022-01-01")] == [
        "0002", "0003",
    ]  # fmt: skip
    with database.session() as session:
        current = session.scalar(
            sa.select(Department.code)
            .join(Staff, Staff.department_id == Department.id)
            .where(Staff.staff_no == "0003")
        )
    assert current == "LAW"


def test_move_and_leave_errors(database: Database, tmp_path: Path) -> None:
    setup_roster(database, tmp_path)
    with pytest.raises(InputError, match="the current posting starts 2020-01-01"):
        move_staff(database, "0001", "LAW", on="2019-05-01")
    with pytest.raises(InputError, match="0001 is already in OFF"):
        move_staff(database, "0001", "OFF", on="2022-05-01")
    with pytest.raises(NotFoundError, match="no staff member 9999"):
        leave_staff(database, "9999", on="2022-05-01")
    with pytest.raises(InputError, match="bad date"):
        leave_staff(database, "0001", on="2022-13-01")
    leave_staff(database, "0001", on="2022-05-01")
    with pytest.raises(InputError, match="already left on 2022-05-01"):
        leave_staff(database, "0001", on="2022-06-01")
    with pytest.raises(InputError, match="not in post"):
        move_staff(database, "0001", "LAW", on="2022-06-01")


def test_add_staff(database: Database, tmp_path: Path) -> None:
    import_departments(database, write(tmp_path, "d.csv", DEPTS))
    add_staff(database, "0100", "钱八", "OFF", role="管理员", in_post_from="2024/3/5")
    [row] = staff_list(database, at="2024-03-05")
    assert (row.staff_no, row.department, row.role) == ("0100", "OFF", "admin")
    with pytest.raises(InputError, match="staff member 0100 already exists"):
        add_staff(database, "0100", "钱八", "OFF")
    with pytest.raises(InputError, match="unknown role boss"):
        add_staff(database, "0101", "x", "OFF", role="boss")


def test_roster_file_errors_exact_rows_nothing_written(database: Database, tmp_path: Path) -> None:
    import_departments(database, write(tmp_path, "d.csv", DEPTS))
    path = write(
        tmp_path, "bad.csv",
        "工号,姓名,部门,角色,在岗起\n"
        "0001,张三,OFF,,2020-01-01\n"
        "0002,李四,NOPE,,2020-01-01\n"
        "0003,王五,OFF,,2020-02-30\n"
        "0001,张三,OFF,,2020-01-01\n"
        "0004,赵六,OFF,boss,\n"
        "0005,,OFF,,\n",
    )  # fmt: skip
    with pytest.raises(MultipleErrors) as info:
        import_staff(database, path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 3, field 部门: no department NOPE",
        f"{path}, row 4, field 在岗起: bad date '2020-02-30': no such day",
        f"{path}, row 5, field 工号: duplicate staff number 0001 (also row 2)",
        f"{path}, row 6, field 角色: unknown role boss (expected employee, admin, reporter)",
        f"{path}, row 7, field 姓名: missing value",
    ]
    assert count(database, Staff) == 0
    assert count(database, StaffPosting) == 0


def test_roster_xlsx_with_excel_dates(database: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    import_departments(database, write(tmp_path, "d.csv", DEPTS))
    book = Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["工号", "姓名", "部门", "在岗起"])
    sheet.append(["0001", "张三", "办公室", dt.datetime(2021, 5, 6)])
    sheet.append(["0002", "李四", "LAW", "2021年5月7日"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    summary = import_staff(database, path)
    assert summary.added == 2
    assert [r.in_post_from for r in staff_list(database, at="2021-05-07")] == [
        dt.date(2021, 5, 7), dt.date(2021, 5, 6),
    ]  # fmt: skip


def test_in_post_from_after_the_last_day_in_post_is_refused(
    database: Database, tmp_path: Path
) -> None:
    """Found by bench/fuzz.py (roster-staff-xlsx, 10 minutes): a re-import giving someone who
    has left a 在岗起 after their last day broke the staff table's date check (IntegrityError)."""
    setup_roster(database, tmp_path)
    import_staff(
        database, write(tmp_path, "leave.csv", "工号,姓名,部门,在岗止\n0001,张三,OFF,2021-06-30\n"),
        on="2021-01-01",
    )  # fmt: skip
    late = write(tmp_path, "late.csv", "工号,姓名,部门,在岗起\n0001,张三,OFF,2022-01-01\n")
    with pytest.raises(MultipleErrors) as info:
        import_staff(database, late, on="2021-01-01")
    assert [e.reason for e in info.value.errors] == [
        f"{late}, row 2, field 在岗起: 2022-01-01 is after 0001's last day in post (2021-06-30)"
    ]
    with database.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "0001"))
        assert (person.in_post_from, person.in_post_to) == (
            dt.date(2020, 1, 1), dt.date(2021, 6, 30))  # fmt: skip
    # with a matching 在岗止 in the same row the dates are consistent, and accepted
    both = write(
        tmp_path, "both.csv", "工号,姓名,部门,在岗起,在岗止\n0001,张三,OFF,2020-02-01,2021-06-30\n"
    )
    import_staff(database, both, on="2021-01-01")
