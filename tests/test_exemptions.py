"""Exemptions (免考): add, list, remove, import, is_exempt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import InputError, MultipleErrors, NotFoundError
from studyhub.models import Exam, Exemption, Staff
from studyhub.org.exemptions import (
    add_exemption,
    exempt_staff_ids,
    exemption_list,
    import_exemptions,
    is_exempt,
    remove_exemption,
)
from studyhub.org.roster_import import import_departments, import_staff


def make_exam(database: Database, key: str = "2026-law", year: int = 2026) -> None:
    with database.session() as session:
        session.add(Exam(key=key, title=f"{year}年度学法考试", year=year, paper={}, bands=[]))


@pytest.fixture
def roster(database: Database, tmp_path: Path) -> Database:
    depts = tmp_path / "d.csv"
    depts.write_text("部门编码,部门名称\nOFF,办公室\n", encoding="utf-8")
    import_departments(database, depts)
    people = tmp_path / "r.csv"
    people.write_text("工号,姓名,部门\n0001,张三,OFF\n0002,李四,OFF\n0003,王五,OFF\n", "utf-8")
    import_staff(database, people, on="2026-01-01")
    make_exam(database)
    make_exam(database, "2025-law", 2025)
    return database


def ids(database: Database) -> dict[str, int]:
    with database.session() as session:
        return dict(session.execute(sa.select(Staff.staff_no, Staff.id)).all())


def exam_id(database: Database, key: str) -> int:
    with database.session() as session:
        return session.scalar(sa.select(Exam.id).where(Exam.key == key)) or 0


def test_add_list_remove_and_is_exempt(roster: Database) -> None:
    database = roster
    add_exemption(
        database, "0002", "2026-law", reason="病假", approved_by="局长", approved_on="2026/6/1"
    )
    staff, exam = ids(database), exam_id(database, "2026-law")
    other = exam_id(database, "2025-law")
    with database.session() as session:
        assert is_exempt(session, exam, staff["0002"])
        assert not is_exempt(session, exam, staff["0001"])
        assert not is_exempt(session, other, staff["0002"])
        assert set(session.scalars(exempt_staff_ids(exam))) == {staff["0002"]}
    [row] = exemption_list(database, exam="2026-law")
    assert (row.staff_no, row.name, row.department, row.reason, row.approved_on) == (
        "0002", "李四", "OFF", "病假", dt.date(2026, 6, 1),
    )  # fmt: skip
    with pytest.raises(InputError, match="0002 is already exempt from 2026-law"):
        add_exemption(database, "0002", "2026-law", reason="x")
    with pytest.raises(NotFoundError, match="no exam nope"):
        add_exemption(database, "0002", "nope", reason="x")
    with pytest.raises(InputError, match="needs a reason"):
        add_exemption(database, "0001", "2026-law", reason=" ")
    remove_exemption(database, "0002", "2026-law")
    assert exemption_list(database) == []
    with pytest.raises(NotFoundError, match="0002 is not exempt from 2026-law"):
        remove_exemption(database, "0002", "2026-law")


def test_import_and_reimport(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "工号,考试,原因,批准人,批准日期\n0001,2026-law,产假,局长,2026年5月1日\n"
        "0003,2025-law,借调,,\n", encoding="utf-8",
    )  # fmt: skip
    summary = import_exemptions(roster, path)
    assert (summary.added, summary.updated, summary.unchanged) == (2, 0, 0)
    path.write_text(
        "工号,考试,原因,批准人,批准日期\n0001,2026-law,产假,局长,2026年5月1日\n"
        "0003,2025-law,借调外单位,,\n", encoding="utf-8",
    )  # fmt: skip
    summary = import_exemptions(roster, path)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 1)
    assert [(r.exam, r.staff_no, r.reason) for r in exemption_list(roster)] == [
        ("2025-law", "0003", "借调外单位"), ("2026-law", "0001", "产假"),
    ]  # fmt: skip


def test_bad_file_names_rows_and_writes_nothing(roster: Database, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "工号,考试,原因,批准人,批准日期\n"
        "0001,2026-law,产假,,\n"
        "9999,2026-law,病假,,\n"
        "0002,nope,病假,,\n"
        "0003,2026-law,病假,,2026-02-31\n"
        "0001,2026-law,产假,,\n"
        "0002,2026-law,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_exemptions(roster, path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 5, field 批准日期: bad date '2026-02-31': no such day",
        f"{path}, row 6: duplicate row: 0001 2026-law (also row 2)",
        f"{path}, row 7, field 原因: missing value",
        f"{path}, row 3, field 工号: no staff member 9999",
        f"{path}, row 4, field 考试: no exam nope",
    ]
    with roster.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Exemption)) == 0
