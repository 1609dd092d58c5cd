"""A person's record (学法档案) on the 60-person bureau: a person with a move, an exemption,
a 补考 and online hours, through the library and the CLI; every record of the bureau
compared with the reports (hours, scores, exemptions, rates); who may see whose record."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.admin import auth
from studyhub.cli import cli
from studyhub.db import Database, open_database
from studyhub.reports.people import people
from studyhub.reports.rates import rates
from studyhub.reports.record import PersonRecord, person_record, person_records
from studyhub.reports.study import study_report
from tests.scenario_bureau import add_annual_exam, build_bureau, cli_ok

#: 0011 moved from 办公室 to 法规科 on 2026-07-01 and took the 4-hour online course
WHO = "0011"


def add_more_exams(db_url: str, tmp_path: Path) -> None:
    """Two more outside exams of 2026: 0011 is exempt from aq-2026 (脱产培训); at fz-2026
    0011 failed (50) and passed its 补考 fz-2026-bk (75); everyone else sat fz-2026 at 90."""
    for key, title in (("aq-2026", "2026年度安全生产法考试"), ("fz-2026", "2026年度法治考试")):
        spec = tmp_path / f"{key}.yaml"
        spec.write_text(f"key: {key}\ntitle: {title}\nyear: 2026\nkind: external\n"
                        "opens: 2026-09-01\ncloses: 2026-09-30\n", encoding="utf-8")  # fmt: skip
        cli_ok(db_url, "exam", "create", str(spec))
    makeup = tmp_path / "fz-bk.yaml"
    makeup.write_text("key: fz-2026-bk\ntitle: 2026年度法治考试补考\nyear: 2026\nkind: makeup\n"
                      "makeup_of: fz-2026\nopens: 2026-10-08\ncloses: 2026-10-20\n",
                      encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "create", str(makeup))
    cli_ok(db_url, "exempt", "add", WHO, "--exam", "aq-2026", "--reason", "脱产培训")
    results = tmp_path / "fz.csv"
    results.write_text("工号,成绩,提交时间\n" + "".join(
        f"{n:04d},{50 if n == 11 else 90},2026-09-15 10:00\n" for n in range(1, 60)),
        encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "import-results", "fz-2026", str(results))
    again = tmp_path / "fz-bk.csv"
    again.write_text(f"工号,成绩,提交时间\n{WHO},75,2026-10-10 09:30\n", encoding="utf-8")
    cli_ok(db_url, "exam", "import-results", "fz-2026-bk", str(again))


@pytest.fixture
def bureau(db_url: str, tmp_path: Path) -> str:
    people_list = build_bureau(db_url, tmp_path)
    add_annual_exam(db_url, tmp_path, people_list)
    add_more_exams(db_url, tmp_path)
    return db_url


def _record(db_url: str, staff_no: str = WHO) -> PersonRecord:
    database = open_database(db_url)
    try:
        return person_record(database, staff_no, 2026, required_hours=Decimal(10))
    finally:
        database.dispose()


def test_the_record_of_a_person_with_a_move_an_exemption_a_makeup_and_online_hours(
    bureau: str,
) -> None:
    record = _record(bureau)
    assert (record.name, record.department, record.department_name) == ("职工11", "LAW", "法规科")
    assert [(p.department, str(p.valid_from), str(p.valid_to)) for p in record.postings] == [
        ("OFF", "2020-01-01", "2026-06-30"),
        ("LAW", "2026-07-01", "None"),
    ]
    # 党组会学习 (all of HQ, 2 h) and 宪法讲座 (HQ, 2 h); the 法规科 seminar was in May, before
    # the move; the online course of 4 hours
    assert [(str(a.held_on), a.title, a.hours) for a in record.activities] == [
        ("2026-01-20", "学习习近平法治思想", Decimal("2.00")),
        ("2026-11-20", "宪法讲座", Decimal("2.00")),
    ]
    assert record.activities[0].topics == ["习近平法治思想"]
    assert record.activities[1].laws == ["宪法"]
    assert [(a.title, a.hours, str(a.completed_on)) for a in record.online] == [
        ("习近平法治思想概论", Decimal("4.00"), "2026-02-15")
    ]
    assert (record.hours, record.activity_hours, record.online_hours) == (
        Decimal("8.00"), Decimal("4.00"), Decimal("4.00"),
    )  # fmt: skip
    assert (record.required_hours, record.shortfall) == (Decimal(10), Decimal("2.00"))
    assert record.laws == [("宪法", 1)]

    exams = {e.key: e for e in record.exams}
    assert sorted(exams) == ["aq-2026", "fxzx-2026", "fz-2026"]
    exempt = exams["aq-2026"]
    assert (exempt.exempt, exempt.required, exempt.reason, exempt.attempts) == (
        True, False, "脱产培训", [],
    )  # fmt: skip
    makeup = exams["fz-2026"]
    assert (makeup.participated, makeup.passed, makeup.score) == (True, True, Decimal("75.00"))
    assert [(a.exam, a.makeup, str(a.submitted_on), a.percent) for a in makeup.attempts] == [
        ("fz-2026", False, "2026-09-15", Decimal("50.00")),
        ("fz-2026-bk", True, "2026-10-10", Decimal("75.00")),
    ]
    assert exams["fxzx-2026"].score == Decimal("88.00")


def test_every_record_of_the_bureau_agrees_with_the_reports(bureau: str) -> None:
    database = open_database(bureau)
    try:
        records = {r.staff_no: r for r in person_records(database, 2026, department="HQ")}
        # the hours per person of report study (everyone is below 1000 hours, so listed)
        below = study_report(database, 2026, required_hours="1000")[4]
        hours = {row["staff_no"]: row["hours"] for row in below.rows}
        assert len(records) == len(hours) == 60
        assert {no: r.hours for no, r in records.items()} == hours
        for key in ("fxzx-2026", "fz-2026", "aq-2026"):
            scores = {p.staff_no: p for p in people(database, key, "scores")}
            exempt = {p.staff_no: p.reason for p in people(database, key, "exempt")}
            mine = {no: next((e for e in r.exams if e.key == key), None)
                    for no, r in records.items()}  # fmt: skip
            assert {no for no, e in mine.items() if e is not None and e.required} == set(scores)
            assert {no: e.reason for no, e in mine.items() if e is not None and e.exempt} == exempt
            for no, row in scores.items():
                entry = mine[no]
                assert entry is not None
                assert (entry.score, entry.passed, entry.band) == (row.score, row.passed, row.band)
            (figures,) = rates(database, exam=key)
            shown = [e for e in mine.values() if e is not None]
            assert sum(e.required for e in shown) == figures.required
            assert sum(e.participated for e in shown) == figures.participants
            assert sum(e.passed for e in shown) == figures.passed
            assert sum(e.exempt for e in shown) == figures.exempt
    finally:
        database.dispose()


def test_the_record_counts_practice_and_the_wrong_answer_book(
    bureau: str, database: Database
) -> None:
    from studyhub.practice.drill import answer_practice, draw_practice
    from studyhub.reports.record import current_year

    cli_ok(bureau, "bank", "import", "question_banks/constitution.yaml")
    items = draw_practice(database, WHO, topic="constitution", type="judge", count=6, seed=7)
    results = [answer_practice(database, WHO, item, i % 2 == 0).correct for i, item in
               enumerate(items)]  # fmt: skip
    record = person_record(database, WHO, current_year(database))
    assert (record.practice.answered, record.practice.right) == (6, sum(results))
    wrong = 6 - sum(results)
    if wrong:
        assert [(key, n) for key, _, n, _ in record.practice.weakest] == [("constitution", wrong)]
    else:
        assert record.practice.weakest == []


def run(
    db_url: str, *args: str, lang: str = "zh", input: str | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", lang, *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_record_on_the_command_line_in_every_format(bureau: str, tmp_path: Path) -> None:
    code, out, err = run(bureau, "record", WHO, "--year", "2026", "--required-hours", "10")
    assert code == 0, err
    assert "职工11（0011）2026年学法档案" in out
    assert "脱产培训" in out and "补考" in out and "至今" in out
    assert "尚差学时" in out
    code, out, _ = run(bureau, "record", WHO, "--year", "2026", "--format", "json")
    data = json.loads(out)
    titles = [table["title"] for table in data["tables"]]
    assert titles[0] == "职工11（0011）2026年学法档案"
    attempts = data["tables"][6]["rows"]
    assert [(row["exam"], row["makeup"]) for row in attempts if row["exam"].startswith("fz")] == [
        ("fz-2026", ""), ("fz-2026-bk", "补考"),
    ]  # fmt: skip
    docx_path, xlsx_path = tmp_path / "档案.docx", tmp_path / "档案.xlsx"
    for fmt, path in (("docx", docx_path), ("xlsx", xlsx_path), ("md", tmp_path / "a.md")):
        code, _, err = run(
            bureau, "record", WHO, "--year", "2026", "--format", fmt, "-o", str(path)
        )
        assert code == 0, err
    import docx
    import openpyxl

    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "职工11（0011）2026年学法档案" in text
    assert len(openpyxl.load_workbook(xlsx_path).sheetnames) >= 8
    # a department: one section per person
    code, out, _ = run(bureau, "record", "--dept", "OFF", "--year", "2026", "--format", "json")
    names = [t["title"] for t in json.loads(out)["tables"] if t["title"].endswith("学法档案")]
    assert len(names) == 9  # 0011 moved out to 法规科 in July
    code, out, _ = run(bureau, "record", WHO, "--year", "2026", lang="en")
    assert "职工11 (0011): record of 2026" in out


def test_bad_input_is_one_line(bureau: str) -> None:
    assert run(bureau, "record", "9999", "--year", "2026", lang="en")[2].strip() == (
        "Error: unknown staff number 9999"
    )
    assert run(bureau, "record", "--dept", "NOPE", "--year", "2026", lang="en")[2].strip() == (
        "Error: no department NOPE"
    )
    code, _, err = run(bureau, "record", WHO, "--required-hours", "many", lang="en")
    assert code == 1 and err.startswith("Error: required hours:")
    code, _, err = run(bureau, "record", WHO, "--dept", "OFF", lang="en")
    assert err.strip() == "Error: give a staff number or --dept D, not both"


def test_an_employee_sees_their_own_record_only(bureau: str, database: Database) -> None:
    import sqlalchemy as sa

    from studyhub.models import Staff

    with database.session() as session:  # 0001 becomes the admin, as init --admin would
        session.execute(sa.update(Staff).where(Staff.staff_no == "0001").values(role="admin"))
    for number, pin in (("0001", "246810"), (WHO, "222222")):
        auth.set_pin(database, number, "111111")
        auth.change_pin(database, number, "111111", pin)
    assert run(bureau, "login", "--staff", WHO, "--pin-stdin", input="222222\n")[0] == 0
    code, out, err = run(bureau, "record", "--year", "2026")
    assert code == 0, err
    assert "职工11（0011）2026年学法档案" in out
    assert run(bureau, "record", WHO, "--year", "2026")[0] == 0
    for args in (["0012"], ["--dept", "OFF"]):
        code, out, err = run(bureau, "record", *args, "--year", "2026", lang="en")
        assert (code, out) == (1, "")
        assert err.splitlines() == [
            "Error: an employee sees their own record only; 0011 is an employee",
            "Hint: studyhub record (without a staff number) shows yours",
        ]
    # an admin sees anyone's
    assert run(bureau, "login", "--staff", "0001", "--pin-stdin", input="246810\n")[0] == 0
    code, out, _ = run(bureau, "record", "0012", "--year", "2026")
    assert code == 0 and "职工12（0012）2026年学法档案" in out
