"""参考率 and 及格率 on a scenario with every awkward case of DESIGN.md §4, against numbers
computed by hand.

Exam fx2025 (year 2025) closes at the end of 2025-12-31 Beijing time; pass mark 60, top band
优秀 90, highest attempt counts; a 补考 fx2025-bk (pass mark 60) closes 2026-01-15.
Departments: A (with sub-department A1), B, C (empty).

person  department on 12-31   case                                  required part pass excl
P1      A                     3 attempts 50/85/70, the best counts  yes      yes  yes  no
P2      A                     59.99 against a pass mark of 60       yes      yes  no   no
P3      A                     left 10-31 without attempting         no       -    -    -
P4      B (last department)   left 10-31 after scoring 95           yes      yes  yes  yes
P5      B                     joined 11-15, never sat               yes      no   no   no
P6      B (moved from A 12-01) 92                                   yes      yes  yes  yes
P7      B                     exempt (免考)                          no (exempt 1 in B)
P8      A1                    40, then 75 in the 补考                yes      yes  yes  no
P9      B                     88 submitted 2026-01-01 00:30 Beijing yes      no   no   no
                              (after the close; UTC says 12-31)
P10     A1                    exactly 60.00                         yes      yes  yes  no

A: required 2, participants 2, passed 1, excellent 0
A1: 2, 2, 2, 0           A with A1: 4, 4, 3, 0
B: 4, 2, 2, 2, exempt 1  C: nothing (rates "-")
Total: required 8, participants 6, passed 5, excellent 2, exempt 1
参考率 6/8 = 0.7500, 及格率 5/6 = 0.8333, 及格/应参考 5/8 = 0.6250, 优秀率 2/6 = 0.3333
average counted score (85 + 59.99 + 95 + 92 + 75 + 60) / 6 = 77.83 (truncated), highest 95
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from studyhub.db import Database
from studyhub.models import Attempt, Department, Exam, Exemption, Staff, StaffPosting
from studyhub.reports.rates import rate, rates
from studyhub.timeutil import LOCAL_TZ

BEIJING = LOCAL_TZ


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=BEIJING)


@pytest.fixture
def scenario(database: Database) -> Database:
    with database.session() as s:
        a, b, c = (Department(code=x, name=n) for x, n in (("A", "办公室"), ("B", "科技科"),
                                                           ("C", "法规科")))  # fmt: skip
        s.add_all([a, b, c])
        s.flush()
        a1 = Department(code="A1", name="档案室", parent_id=a.id)
        s.add(a1)
        s.flush()
        exam = Exam(key="fx2025", title="2025年度学法考试", year=2025, kind="exam",
                    opens_at=at("2025-11-01", "00:00"), closes_at=at("2026-01-01", "00:00"),
                    pass_mark=Decimal(60), bands=[["优秀", "90"], ["合格", "60"]], paper={},
                    grading="highest", attempts_allowed=3)  # fmt: skip
        s.add(exam)
        s.flush()
        makeup = Exam(key="fx2025-bk", title="补考", year=2025, kind="makeup", parent_id=exam.id,
                      opens_at=at("2026-01-05", "00:00"), closes_at=at("2026-01-16", "00:00"),
                      pass_mark=Decimal(60), bands=[], paper={})  # fmt: skip
        s.add(makeup)
        s.flush()

        def person(no: str, postings: list[tuple[Department, str, str | None]],
                   start: str | None = None, end: str | None = None) -> Staff:  # fmt: skip
            staff = Staff(staff_no=no, name=f"人员{no}", department_id=postings[-1][0].id,
                          in_post_from=dt.date.fromisoformat(start) if start else None,
                          in_post_to=dt.date.fromisoformat(end) if end else None)  # fmt: skip
            s.add(staff)
            s.flush()
            for department, valid_from, valid_to in postings:
                s.add(
                    StaffPosting(
                        staff_id=staff.id,
                        department_id=department.id,
                        valid_from=dt.date.fromisoformat(valid_from),
                        valid_to=dt.date.fromisoformat(valid_to) if valid_to else None,
                    )
                )
            return staff

        def attempt(staff: Staff, number: int, percent: str, when: dt.datetime,
                    on: Exam = exam) -> None:  # fmt: skip
            value = Decimal(percent)
            s.add(Attempt(exam_id=on.id, staff_id=staff.id, number=number, status="submitted",
                          origin="imported", started_at=when, submitted_at=when,
                          submit_reason="imported", score=value, max_score=Decimal(100),
                          percent=value, passed=value >= on.pass_mark, seed=0))  # fmt: skip

        p1 = person("P1", [(a, "2020-01-01", None)])
        for n, pct in enumerate(("50", "85", "70"), start=1):
            attempt(p1, n, pct, at("2025-11-1" + str(n)))
        attempt(person("P2", [(a, "2020-01-01", None)]), 1, "59.99", at("2025-11-20"))
        person("P3", [(a, "2020-01-01", None)], end="2025-10-31")
        p4 = person("P4", [(b, "2020-01-01", None)], end="2025-10-31")
        attempt(p4, 1, "95", at("2025-10-05"))
        person("P5", [(b, "2025-11-15", None)], start="2025-11-15")
        p6 = person("P6", [(a, "2020-01-01", "2025-12-01"), (b, "2025-12-01", None)])
        attempt(p6, 1, "92", at("2025-11-25"))
        p7 = person("P7", [(b, "2020-01-01", None)])
        s.add(Exemption(exam_id=exam.id, staff_id=p7.id, reason="长期病假"))
        p8 = person("P8", [(a1, "2020-01-01", None)])
        attempt(p8, 1, "40", at("2025-11-20"))
        attempt(p8, 1, "75", at("2026-01-10"), on=makeup)
        p9 = person("P9", [(b, "2020-01-01", None)])
        attempt(p9, 1, "88", at("2026-01-01", "00:30"))
        attempt(person("P10", [(a1, "2020-01-01", None)]), 1, "60.00", at("2025-12-31", "23:59"))
        person("P11", [(c, "2020-01-01", None)], end="2025-06-30")  # left C: C is empty
    return database


def figures(rows: list) -> dict[str, tuple[int, int, int, int, int]]:  # type: ignore[type-arg]
    return {r.group: (r.required, r.participants, r.passed, r.excellent, r.exempt) for r in rows}


def test_totals(scenario: Database) -> None:
    [row] = rates(scenario, year=2025)
    assert (row.exam, row.required, row.participants, row.passed, row.excellent, row.exempt) == (
        "fx2025", 8, 6, 5, 2, 1)  # fmt: skip
    assert row.participation_rate == Decimal("0.7500")
    assert row.pass_rate == Decimal("0.8333")
    assert row.pass_rate_of_required == Decimal("0.6250")
    assert row.excellent_rate == Decimal("0.3333")
    assert (row.average, row.highest) == (Decimal("77.83"), Decimal("95.00"))


def test_by_department(scenario: Database) -> None:
    rows = rates(scenario, year=2025, by="department")
    assert figures(rows) == {
        "A": (2, 2, 1, 0, 0),
        "A1": (2, 2, 2, 0, 0),
        "B": (4, 2, 2, 2, 1),
        "C": (0, 0, 0, 0, 0),
    }
    empty = next(r for r in rows if r.group == "C")
    assert empty.participation_rate is None and empty.as_json()["pass_rate"] is None


def test_with_sub_departments(scenario: Database) -> None:
    rows = rates(scenario, exam="fx2025", by="department", include_subdepartments=True)
    assert figures(rows)["A"] == (4, 4, 3, 0, 0)
    assert figures(rows)["A1"] == (2, 2, 2, 0, 0)


def test_json_shape(scenario: Database) -> None:
    [row] = rates(scenario, year=2025)
    data = row.as_json()
    assert {k: data[k] for k in ("exam", "year", "group", "required", "participants", "passed",
                                  "excellent", "exempt", "participation_rate", "pass_rate",
                                  "pass_rate_of_required", "excellent_rate")} == {
        "exam": "fx2025", "year": 2025, "group": "all", "required": 8, "participants": 6,
        "passed": 5, "excellent": 2, "exempt": 1, "participation_rate": "0.7500",
        "pass_rate": "0.8333", "pass_rate_of_required": "0.6250", "excellent_rate": "0.3333",
    }  # fmt: skip


def test_rate_arithmetic_is_exact_and_truncated() -> None:
    assert rate(59, 60) == Decimal("0.9833")
    assert rate(2, 3) == Decimal("0.6666")
    assert rate(1, 1) == Decimal("1.0000")
    assert rate(0, 0) is None


def test_people_behind_the_figures(scenario: Database) -> None:
    from studyhub.reports.people import people

    def numbers(kind: str, **kw: object) -> list[str]:
        return [p.staff_no for p in people(scenario, "fx2025", kind, **kw)]

    assert numbers("absentees") == ["P5", "P9"]
    assert numbers("failed") == ["P2"]
    assert numbers("exempt") == ["P7"]
    assert people(scenario, "fx2025", "exempt")[0].reason == "长期病假"
    assert numbers("scores") == ["P1", "P2", "P10", "P8", "P4", "P5", "P6", "P9"]
    assert numbers("scores", department="A") == ["P1", "P2", "P10", "P8"]
    scores = {p.staff_no: (p.score, p.attempts, p.band, p.passed)
              for p in people(scenario, "fx2025", "scores")}  # fmt: skip
    assert scores["P1"] == (Decimal("85.00"), 3, "合格", True)
    assert scores["P2"] == (Decimal("59.99"), 1, None, False)
    assert scores["P4"] == (Decimal("95.00"), 1, "优秀", True)
    assert scores["P8"] == (Decimal("75.00"), 2, "合格", True)
    assert scores["P5"] == (None, 0, None, False)


def test_progress_counts_as_of_an_earlier_day(scenario: Database) -> None:
    """As of 11-20 nothing after that day counts yet: P6 sat on 11-25 (and was still in A),
    P10 on 12-31, P8's 补考 was in January. Not passed then: A: P2 (59.99), P6;
    A1: P10, P8 (40); B: P5 (joined 11-15), P9. P1 and P4 had passed; P3 had left and P7
    is exempt."""
    from studyhub.reports.people import people

    before = [p.staff_no for p in people(scenario, "fx2025", "not_passed",
                                         as_of=dt.date(2025, 11, 20))]  # fmt: skip
    assert before == ["P2", "P6", "P10", "P8", "P5", "P9"]
    rows = rates(scenario, exam="fx2025", by="department", as_of=dt.date(2025, 11, 20))
    # A: P1 passed, P2 failed, P6 not sat; A1: P8 failed, P10 not sat;
    # B: P4 (left, sat 95) passed, P5 and P9 not sat, P7 exempt
    assert figures(rows) == {
        "A": (3, 2, 1, 0, 0),
        "A1": (2, 1, 0, 0, 0),
        "B": (3, 1, 1, 1, 1),
        "C": (0, 0, 0, 0, 0),
    }


def test_ranking(scenario: Database) -> None:
    from studyhub.reports.ranking import ranking

    rows = ranking(scenario, year=2025)
    assert [(r.rank, r.department, r.klass) for r in rows] == [
        (1, "A1", "一类"), (2, "A", "三类"), (3, "B", "三类")]  # fmt: skip
    assert rows[0].participation_rate == Decimal("1.0000")
    assert rows[1].pass_rate == Decimal("0.5000")
    assert rows[2].participation_rate == Decimal("0.5000")


def cli(database: Database, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from studyhub.cli import cli as root

    url = database.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(root, ["--db", url, "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def test_report_commands(scenario: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    code, out, _ = cli(scenario, "report", "rates", "--year", "2025")
    assert code == 0 and "75.00" in out and "83.33" in out
    code, out, _ = cli(scenario, "report", "rates", "--year", "2025", "--by", "department",
                       "--format", "csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))  # the header comes first
    empty = next(r for r in rows if r["department"] == "C")
    assert (empty["required"], empty["participation (%)"]) == ("0", "")
    assert rows[-1]["department name"] == "total"
    code, out, _ = cli(scenario, "report", "absentees", "fx2025", "--format", "json")
    assert [r["staff_no"] for r in json.loads(out)["tables"][0]["rows"]] == ["P5", "P9"]
    code, out, _ = cli(scenario, "report", "exempt", "fx2025")
    assert "长期病假" in out
    code, out, _ = cli(scenario, "report", "ranking", "--year", "2025", "--format", "md")
    assert code == 0 and "| 1 | A1 |" in out.replace("  ", " ")
    code, out, _ = cli(scenario, "report", "progress", "fx2025", "--format", "json")
    assert code == 0 and len(json.loads(out)["tables"]) == 3
    code, _, err = cli(scenario, "report", "rates")
    assert code == 1 and err.startswith("Error: give --year Y or --exam KEY")
    target = tmp_path / "rates.xlsx"
    code, out, _ = cli(scenario, "report", "rates", "--year", "2025", "--format", "xlsx",
                       "-o", str(target))  # fmt: skip
    assert code == 0 and target.exists()


def test_several_lists_from_one_reading_equal_each_list(scenario: Database) -> None:
    """``report progress`` reads who has not sat and who has not passed in one query: the
    same people as the lists read one by one, every kind."""
    from studyhub.reports.people import people, people_lists

    kinds = ["absentees", "failed", "not_passed", "exempt", "scores"]
    together = people_lists(scenario, "fx2025", kinds)
    assert together == {kind: people(scenario, "fx2025", kind) for kind in kinds}
    assert [p.staff_no for p in together["absentees"]] and together["exempt"][0].reason


def test_progress_lists_the_first_people_and_says_how_many_there_are(scenario: Database) -> None:
    """A province's progress lists a hundred thousand absentees: the screen shows the first
    --limit of each list (the same people as the whole list begins with), the title says
    how many there are, a line says how to list everyone, and --all lists them all."""
    from studyhub.reports.people import people_lists

    kinds = ["absentees", "not_passed", "failed"]
    whole = people_lists(scenario, "fx2025", kinds)
    first = people_lists(scenario, "fx2025", kinds, limit=1)
    assert first == {kind: whole[kind][:1] for kind in kinds}
    longest = max(len(people) for people in whole.values())
    for limit in range(2, longest + 2):  # each list numbered on its own, lists interleaved
        cut = people_lists(scenario, "fx2025", kinds, limit=limit)
        assert cut == {kind: whole[kind][:limit] for kind in kinds}, limit
    assert len(whole["absentees"]) == 2
    code, out, err = cli(scenario, "report", "progress", "fx2025", "--limit", "1",
                         "--format", "json")  # fmt: skip
    assert code == 0
    tables = json.loads(out)["tables"]
    absent = next(t for t in tables if "did not sit" in t["title"])
    assert [r["staff_no"] for r in absent["rows"]] == ["P5"]
    assert absent["title"].endswith("(2 in all, the first 1 listed)")
    assert "add --all to list everyone" in err
    code, out, err = cli(scenario, "report", "progress", "fx2025", "--all", "--format", "json")
    absent = next(t for t in json.loads(out)["tables"] if "did not sit" in t["title"])
    assert [r["staff_no"] for r in absent["rows"]] == ["P5", "P9"] and "--all" not in err
    code, _, err = cli(scenario, "report", "progress", "fx2025", "--limit", "0")
    assert code == 2 and "0" in err and "Traceback" not in err
