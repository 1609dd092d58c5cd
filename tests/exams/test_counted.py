"""The results kept per exam and person (issue 22, item 2): each event that changes what
counts rewrites them in its own transaction, ``db check`` compares them with a recomputation
from the attempts, and ``db check --repair`` writes them afresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import Database, db_now
from studyhub.exams import attempts
from studyhub.exams.counted import results_mismatches
from studyhub.exams.definitions import close_exam, update_exam
from studyhub.exams.overrides import set_override
from studyhub.exams.results import import_results
from studyhub.exams.spec import load_spec
from studyhub.models import Attempt, Exam, ExamResult, Staff
from tests.exams.conftest import Define
from tests.exams.test_overrides import WINDOW, sit, the_close_passes


def kept(database: Database, key: str = "e1") -> dict[str, tuple[int | None, int, int, str | None]]:
    """staff no -> (pct, passed, attempts, band) as kept; and nothing differs from the
    attempts."""
    with database.session() as session:
        assert results_mismatches(session) == []
        rows = session.execute(
            sa.select(Staff.staff_no, ExamResult.pct, ExamResult.passed, ExamResult.attempts,
                      ExamResult.band)
            .join(Staff, Staff.id == ExamResult.staff_id)
            .join(Exam, Exam.id == ExamResult.exam_id)
            .where(Exam.key == key)
        ).all()  # fmt: skip
    return {row[0]: tuple(row[1:]) for row in rows}


def test_submitting_and_closing_keep_the_results(org: Database, define: Define) -> None:
    define(WINDOW + "bands: {优秀: 90, 合格: 60}\n")
    assert kept(org) == {}
    sit(org, "S2", wrong=5)  # 50 of 100
    assert kept(org) == {"S2": (5000, 0, 1, None)}
    sit(org, "S2", wrong=1)  # 90: the highest counts
    assert kept(org) == {"S2": (9000, 1, 2, "优秀")}
    started = attempts.start_attempt(org, "e1", "S3")
    assert "S3" not in kept(org)  # an attempt counts once it is submitted
    the_close_passes(org)
    close_exam(org, "e1")  # S3's open attempt is submitted on close, with no answers
    assert kept(org)["S3"] == (0, 0, 1, None)
    assert attempts.result(org, started.attempt_id, "S3").score == Decimal(0)


def test_imports_overrides_and_a_later_close_keep_the_results(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define("key: ext\ntitle: 法宣在线\nyear: 2026\nkind: external\nopens: 2026-11-01\n"
           "closes: 2026-11-30\n", base="")  # fmt: skip
    results = tmp_path / "r.csv"
    results.write_text(
        "工号,成绩,提交时间\nS1,90,2026-12-02 10:00\nS2,80,2026-11-20 10:00\n"
        "S3,70,2026-12-03 10:00\n",
        encoding="utf-8",
    )
    import_results(org, "ext", results)
    # S1 and S3 sat after the close: they do not count (yet)
    assert kept(org, "ext") == {"S2": (8000, 1, 1, "良好")}  # the default bands
    set_override(org, "ext", "S1", closes="2026-12-05", reason="出差")
    assert set(kept(org, "ext")) == {"S1", "S2"}
    spec = tmp_path / "later.yaml"  # the close moves later: S3 counts too
    spec.write_text("key: ext\ntitle: 法宣在线\nyear: 2026\nkind: external\nopens: 2026-11-01\n"
                    "closes: 2026-12-10\n", encoding="utf-8")  # fmt: skip
    update_exam(org, load_spec(spec))
    assert kept(org, "ext") == {
        "S1": (9000, 1, 1, "优秀"), "S2": (8000, 1, 1, "良好"), "S3": (7000, 1, 1, "合格")
    }  # fmt: skip


def test_attempts_written_through_the_orm_are_kept(org: Database, define: Define) -> None:
    define(WINDOW + "grading: average\n")
    with org.session() as session:
        exam = session.scalar(sa.select(Exam).where(Exam.key == "e1"))
        staff = session.scalar(sa.select(Staff).where(Staff.staff_no == "S1"))
        now = db_now(session)
        for number, percent in ((1, "40"), (2, "81")):
            session.add(Attempt(
                exam_id=exam.id, staff_id=staff.id, number=number, status="submitted",
                origin="imported", started_at=now, submitted_at=now, submit_reason="imported",
                score=Decimal(percent), max_score=Decimal(100), percent=Decimal(percent),
                passed=Decimal(percent) >= 60, seed=0,
            ))  # fmt: skip
    assert kept(org) == {"S1": (6050, 1, 2, "合格")}


def test_db_check_finds_a_wrong_kept_result_and_repair_fixes_it(
    org: Database, define: Define, db_url: str
) -> None:
    from studyhub.models import StaffPosting

    with org.session() as session:  # everyone posted: nothing else for db check to find
        for person in session.scalars(sa.select(Staff)):
            session.add(StaffPosting(staff_id=person.id, department_id=person.department_id,
                                     valid_from=dt.date(2020, 1, 1)))  # fmt: skip
    define(WINDOW)
    sit(org, "S2", wrong=5)
    runner = CliRunner()
    checked = runner.invoke(cli, ["--db", db_url, "db", "check"])
    assert checked.exit_code == 0 and "成绩核对" in checked.stdout, checked.output
    with org.session() as session:  # something wrote the table behind studyhub's back
        session.execute(sa.update(ExamResult).values(pct=9900, passed=1))
    checked = runner.invoke(cli, ["--db", db_url, "db", "check"])
    assert checked.exit_code == 1
    assert "1 人保存的考试成绩与其作答记录不符（e1/S2）" in checked.stderr
    assert "studyhub db check --repair" in checked.stderr and "Traceback" not in checked.output
    repaired = runner.invoke(cli, ["--db", db_url, "db", "check", "--repair"])
    assert repaired.exit_code == 0, repaired.stderr
    assert "已按作答记录重新计算每人的考试成绩：1 条" in repaired.stdout
    assert kept(org) == {"S2": (5000, 0, 1, None)}


def test_the_reports_read_the_kept_results(org: Database, define: Define) -> None:
    """Rates from the kept rows equal rates worked out from the attempts (counting as of a
    day after everything)."""
    from studyhub.reports.per_person import person_results
    from studyhub.reports.scope import exam_scope

    define(WINDOW)
    sit(org, "S1", wrong=0)
    sit(org, "S2", wrong=5)
    with org.session() as session:
        exam = session.scalar(sa.select(Exam).where(Exam.key == "e1"))
        scope = exam_scope(session, exam)
        assert scope.until is None
        from_table = sorted(session.execute(person_results(scope)).all())
        scope.until = db_now(session) + dt.timedelta(days=1)
        from_attempts = sorted(session.execute(person_results(scope)).all())
    assert from_table == from_attempts
    assert [(r.staff_no, r.pct, r.passed) for r in from_table if r.participated] == [
        ("S1", 10000, 1), ("S2", 5000, 0)
    ]  # fmt: skip


def test_many_people_at_once_are_written_as_the_whole_exam(org: Database, define: Define) -> None:
    """A results import of tens of thousands of people: their results are written in one
    pass over the exam, never as a list of ids longer than a statement takes (PostgreSQL:
    65,535 parameters)."""
    from studyhub.exams.counted import refresh_results

    define(WINDOW)
    sit(org, "S2", wrong=5)
    with org.session() as session:
        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == "e1"))
        session.execute(sa.delete(ExamResult))
        refresh_results(session, exam_id, set(range(1, 70_001)))
    assert kept(org) == {"S2": (5000, 0, 1, None)}
