"""The dept, staff, exempt, study and outreach commands through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import open_database
from studyhub.models import Exam

GROUPS = {
    "dept": ["import", "add", "list"],
    "staff": ["import", "add", "list", "leave", "move"],
    "exempt": ["add", "import", "list", "remove"],
    "study": ["add", "import", "import-online", "list", "show", "laws"],
    "outreach": ["add", "import", "list"],
}


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "command", [[g] for g in GROUPS] + [[g, c] for g, cs in GROUPS.items() for c in cs]
)
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "用法： " in result.stdout
    result = CliRunner().invoke(cli, ["--lang", "en", *command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.stdout


@pytest.fixture
def bureau(db_url: str, tmp_path: Path) -> str:
    depts = tmp_path / "d.csv"
    depts.write_text("部门编码,部门名称,上级部门\nHQ,某某局,\nOFF,办公室,HQ\n", "utf-8")
    people = tmp_path / "r.csv"
    people.write_text(
        "工号,姓名,部门,在岗起\n0001,张三,OFF,2024-01-01\n0002,李四,HQ,2024-01-01\n", "utf-8"
    )
    assert run(db_url, "dept", "import", str(depts))[0] == 0
    assert run(db_url, "staff", "import", str(people))[0] == 0
    return db_url


def test_dept_commands(db_url: str, tmp_path: Path) -> None:
    depts = tmp_path / "d.csv"
    depts.write_text("code,name,parent\nHQ,某某局,\nOFF,办公室,HQ\n", "utf-8")
    code, out, _ = run(db_url, "dept", "import", str(depts))
    assert (code, out) == (0, "departments: 2 added, 0 updated, 0 unchanged\n")
    code, out, _ = run(db_url, "dept", "add", "LAW", "法规科", "--parent", "HQ")
    assert (code, out) == (0, "Added department LAW 法规科\n")
    code, out, _ = run(db_url, "dept", "list")
    assert [line.split() for line in out.splitlines()[2:]] == [
        ["HQ", "某某局", "0"], ["LAW", "法规科", "HQ", "0"], ["OFF", "办公室", "HQ", "0"],
    ]  # fmt: skip
    code, out, _ = run(db_url, "dept", "list", "--format", "json")
    assert json.loads(out)[1] == {"code": "LAW", "name": "法规科", "parent": "HQ", "depth": 1,
                                  "staff": 0}  # fmt: skip
    code, _, err = run(db_url, "dept", "add", "LAW", "x")
    assert (code, err) == (1, "Error: department LAW already exists\n")


def test_staff_commands(bureau: str, tmp_path: Path) -> None:
    code, out, _ = run(
        bureau, "staff", "add", "0003", "王五", "--dept", "办公室", "--from", "2024-02-01"
    )
    assert (code, out) == (0, "Added 0003 王五\n")
    code, out, _ = run(bureau, "staff", "move", "0003", "--to", "HQ", "--on", "2024-06-01")
    assert (code, out) == (0, "0003 moved from OFF to HQ on 2024-06-01\n")
    code, out, _ = run(bureau, "staff", "leave", "0002", "--on", "2024/9/30")
    assert (code, out) == (0, "0002 leaves: last day in post 2024-09-30\n")
    code, out, _ = run(bureau, "staff", "list", "--at", "2024-05-31", "--dept", "OFF",
                       "--format", "json")  # fmt: skip
    rows = json.loads(out)
    assert [(r["staff_no"], r["department"]) for r in rows] == [("0001", "OFF"), ("0003", "OFF")]
    assert set(rows[0]) == {"staff_no", "name", "department", "department_name", "role",
                            "in_post_from", "in_post_to"}  # fmt: skip
    code, out, _ = run(bureau, "staff", "list", "--at", "2024-10-01", "--format", "csv")
    assert out.splitlines()[1:] == [
        "0003,王五,HQ,某某局,employee,2024-02-01,",
        "0001,张三,OFF,办公室,employee,2024-01-01,",
    ]
    roster = tmp_path / "r2.csv"
    roster.write_text("工号,姓名,部门\n0001,张三,HQ\n", "utf-8")
    code, out, _ = run(bureau, "staff", "import", str(roster), "--on", "2024-11-01")
    assert out.splitlines() == [
        "staff: 0 added, 1 updated (1 moved, 0 left), 0 unchanged",
        "1 people in post are not in this roster (not deleted):",
        "  0003 王五 (HQ)",
    ]
    code, _, err = run(bureau, "staff", "leave", "0001", "--on", "2024-02-30")
    assert (code, err) == (1, "Error: bad date '2024-02-30': no such day\n")
    code, _, err = run(bureau, "staff", "move", "9", "--to", "HQ")
    assert (code, err) == (1, "Error: no staff member 9\n")


def test_staff_import_errors_are_one_block(bureau: str, tmp_path: Path) -> None:
    roster = tmp_path / "bad.csv"
    roster.write_text("工号,姓名,部门\n0009,新人,NOPE\n", "utf-8")
    code, out, err = run(bureau, "staff", "import", str(roster))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "Error: 1 error in roster import, nothing was written:",
        f"{roster}, row 2, field 部门: no department NOPE",
    ]
    assert "Traceback" not in err


def test_exempt_commands(bureau: str, tmp_path: Path) -> None:
    database = open_database(bureau)
    with database.session() as session:
        session.add(Exam(key="2024-law", title="2024年度考试", year=2024, paper={}, bands=[]))
    database.dispose()
    code, out, _ = run(bureau, "exempt", "add", "0001", "--exam", "2024-law", "--reason", "病假",
                       "--approved-by", "局长", "--on", "2024-05-01")  # fmt: skip
    assert (code, out) == (0, "0001 is exempt from 2024-law\n")
    path = tmp_path / "e.csv"
    path.write_text("工号,考试,原因\n0002,2024-law,借调\n", "utf-8")
    code, out, _ = run(bureau, "exempt", "import", str(path))
    assert out == "exemptions: 1 added, 0 updated, 0 unchanged\n"
    code, out, _ = run(bureau, "exempt", "list", "--exam", "2024-law", "--format", "json")
    assert [(r["staff_no"], r["reason"], r["approved_on"]) for r in json.loads(out)] == [
        ("0001", "病假", "2024-05-01"), ("0002", "借调", None),
    ]  # fmt: skip
    code, out, _ = run(bureau, "exempt", "remove", "0002", "--exam", "2024-law")
    assert (code, out) == (0, "0002 is no longer exempt from 2024-law\n")
    code, _, err = run(bureau, "exempt", "remove", "0002", "--exam", "2024-law")
    assert (code, err) == (1, "Error: 0002 is not exempt from 2024-law\n")


def test_study_commands(bureau: str, tmp_path: Path) -> None:
    code, out, _ = run(
        bureau, "study", "add", "--kind", "专题研讨", "--date", "2024-03-05",
        "--title", "民法典研讨", "--hours", "3", "--topic", "civil-code",
        "--law", "《中华人民共和国民法典》", "--law", "宪法", "--dept", "HQ",
    )  # fmt: skip
    assert (code, out) == (0, "Recorded study activity 1 with 2 attendees\n")
    path = tmp_path / "s.csv"
    path.write_text(
        "日期,形式,标题,学时,法律法规,工号\n2024-04-01,自学,自学民法典,1,民法典,0001\n", "utf-8"
    )
    code, out, _ = run(bureau, "study", "import", str(path))
    assert out == "activities: 1 added, 0 merged; attendance: 1 added, 0 updated\n"
    online = tmp_path / "o.csv"
    online.write_text("工号,课程,学时,完成时间\n0002,宪法概论,2,2024-05-01\n", "utf-8")
    code, out, _ = run(bureau, "study", "import-online", str(online))
    assert out == "activities: 1 added, 0 merged; attendance: 1 added, 0 updated\n"
    code, out, _ = run(bureau, "study", "list", "--year", "2024", "--format", "json")
    rows = json.loads(out)
    assert [(r["kind"], r["attendees"]) for r in rows] == [
        ("seminar", 2), ("self_study", 1), ("online_course", 1),
    ]  # fmt: skip
    assert set(rows[0]) == {"id", "date", "kind", "title", "hours", "organiser", "attendees",
                            "topics", "laws"}  # fmt: skip
    code, out, _ = run(bureau, "study", "show", "1")
    assert out.splitlines()[:3] == ["id:        1", "date:      2024-03-05", "kind:      seminar"]
    assert "laws:      宪法、民法典" in out
    code, out, _ = run(bureau, "study", "show", "1", "--format", "json")
    assert json.loads(out)["laws"] == ["宪法", "民法典"]
    code, out, _ = run(bureau, "study", "laws", "--year", "2024", "--format", "json")
    assert json.loads(out) == [
        {"law": "民法典", "activities": 2, "dates": ["2024-03-05", "2024-04-01"]},
        {"law": "宪法", "activities": 1, "dates": ["2024-03-05"]},
    ]
    code, out, _ = run(bureau, "study", "laws", "--year", "2024")
    assert out.splitlines()[-1] == "2 distinct laws and regulations"
    code, _, err = run(bureau, "study", "show", "99")
    assert (code, err) == (1, "Error: no study activity 99\n")


def test_study_chinese_output(bureau: str) -> None:
    run(bureau, "study", "add", "--kind", "seminar", "--date", "2024-03-05", "--title", "研讨",
        "--hours", "1")  # fmt: skip
    result = CliRunner().invoke(cli, ["--db", bureau, "study", "list"])
    assert "专题研讨" in result.stdout and "形式" in result.stdout


def test_outreach_commands(db_url: str, tmp_path: Path) -> None:
    code, out, _ = run(
        db_url, "outreach", "add", "--date", "2024-12-04", "--title", "宪法宣传周",
        "--materials", "800", "--consultations", "60", "--partners", "司法局",
    )  # fmt: skip
    assert (code, out) == (0, "Recorded outreach event 1\n")
    path = tmp_path / "o.csv"
    path.write_text("日期,标题,发放资料\n2024-04-15,国家安全教育日,100\n", "utf-8")
    code, out, _ = run(db_url, "outreach", "import", str(path))
    assert out == "outreach events: 1 added, 0 updated, 0 unchanged\n"
    code, out, _ = run(db_url, "outreach", "list", "--year", "2024", "--format", "json")
    rows = json.loads(out)
    assert [(r["title"], r["materials"]) for r in rows] == [
        ("国家安全教育日", 100),
        ("宪法宣传周", 800),
    ]
    assert set(rows[0]) == {"id", "date", "title", "place", "materials", "consultations",
                            "participants", "partners"}  # fmt: skip
    code, _, err = run(db_url, "outreach", "add", "--date", "x", "--title", "t")
    assert code == 1 and err.startswith("Error: bad date 'x'")
