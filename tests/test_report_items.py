"""Item analysis (studyhub.reports.items) on hand-built attempts with hand-computed figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.exams.definitions import create_exam
from studyhub.exams.spec import load_spec
from studyhub.i18n import set_language
from studyhub.models import Attempt, AttemptItem, Department, Exam, Question, QuestionVersion, Staff
from studyhub.reports.items import item_analysis, item_report
from tests.exams.conftest import BASE_SPEC, make_bank

NOW = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def exam(database: Database, tmp_path: Path) -> Database:
    """Exam e1 over a bank of single-choice questions, and six people P1..P6."""
    with database.session() as session:
        dept = Department(code="D1", name="办公室")
        session.add(dept)
        session.flush()
        session.add_all(
            [Staff(staff_no=f"P{n}", name=f"人员{n}", department_id=dept.id) for n in range(1, 7)]
        )
    bank = tmp_path / "law.yaml"
    bank.write_text(make_bank({"single": 4, "multiple": 2, "judge": 2, "fill": 2}), "utf-8")
    import_files(database, [bank])
    spec = tmp_path / "e1.yaml"
    spec.write_text(BASE_SPEC, "utf-8")
    create_exam(database, load_spec(spec))
    return database


def add_attempt(
    database: Database,
    staff_no: str,
    marks: Sequence[int | None],
    *,
    number: int = 1,
    status: str = "submitted",
    points: int = 1,
) -> None:
    """An attempt at e1 showing questions law-single-01.. in order, each worth ``points``,
    awarded ``marks`` (None: an item not shown); the answer given is the key B for a mark
    of 1, A for 0."""
    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == "e1"))
        staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
        versions = session.scalars(
            sa.select(QuestionVersion.id)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.external_id.like("law-single-%"))
            .order_by(Question.external_id)
        ).all()
        shown = [(v, m) for v, m in zip(versions, marks, strict=False) if m is not None]
        score = Decimal(sum(m for _, m in shown) * points)
        total = Decimal(len(shown) * points)
        attempt = Attempt(
            exam_id=exam_id, staff_id=staff_id, number=number, status=status, started_at=NOW,
            submitted_at=NOW if status == "submitted" else None,
            submit_reason="taker" if status == "submitted" else None,
            score=score if status == "submitted" else None, max_score=total,
        )  # fmt: skip
        session.add(attempt)
        session.flush()
        for position, (version_id, mark) in enumerate(shown, start=1):
            session.add(
                AttemptItem(
                    attempt_id=attempt.id, position=position, question_version_id=version_id,
                    points=Decimal(points), awarded=Decimal(mark * points),
                    response=[1] if mark else [0],
                )
            )  # fmt: skip


def test_hand_computed_statistics(exam: Database) -> None:
    """Four first attempts, three 1-point items:

          q1 q2 q3  total
      P1   1  1  1    3
      P2   1  1  0    2
      P3   1  0  1    2
      P4   0  0  0    0

    q1: x = 1 1 1 0, rest r = 2 1 1 0. Σx=3, Σr=4, Σxr=4: Sxr = 4 - 3·4/4 = 1;
        Sxx = 3 - 9/4 = 3/4; Srr = 6 - 16/4 = 2; discrimination = 100/√(3/4·2) = 81.65.
        Sorted pairs (0,0)(1,1)(1,1)(1,2): Σ = 4, max cov = 1: efficiency 100.
    q2: x = 1 1 0 0, r = 2 1 2 0. Sxr = 3 - 2·5/4 = 1/2; Sxx = 1; Srr = 9 - 25/4 = 11/4;
        discrimination = 50/√(11/4) = 30.15; sorted (0,0)(0,1)(1,2)(1,2): Σ = 4,
        max cov = 3/2: efficiency 33.33.
    q3: x = 1 0 1 0, r = 2 2 1 0: the same figures as q2.
    Paper: totals 3 2 2 0, mean 1.75; Stt = 17 - 49/4 = 19/4, SD = √(19/12) = 1.26;
    alpha = 3/2 · (1 - (3/4 + 1 + 1) / (19/4)) = 3/2 · 8/19 = 12/19: CIC 63.16%.
    """
    add_attempt(exam, "P1", [1, 1, 1])
    add_attempt(exam, "P2", [1, 1, 0])
    add_attempt(exam, "P3", [1, 0, 1])
    add_attempt(exam, "P4", [0, 0, 0])
    add_attempt(exam, "P4", [1, 1, 1], number=2)  # a later attempt: not a first attempt
    add_attempt(exam, "P5", [1, 1, 1], status="in_progress")  # never counted
    _, paper, items = item_analysis(exam, "e1", attempts="first")
    assert (paper.attempts, paper.questions, paper.max_score) == (4, 3, Decimal("1.00") * 3)
    assert (paper.mean, paper.sd, paper.cic) == (Decimal("1.75"), Decimal("1.26"),
                                                 Decimal("63.16"))  # fmt: skip
    figures = [(i.question, i.attempts, i.facility, i.discrimination, i.efficiency) for i in items]
    assert figures == [
        ("law-single-01", 4, Decimal("75.00"), Decimal("81.65"), Decimal("100.00")),
        ("law-single-02", 4, Decimal("50.00"), Decimal("30.15"), Decimal("33.33")),
        ("law-single-03", 4, Decimal("50.00"), Decimal("30.15"), Decimal("33.33")),
    ]  # fmt: skip
    assert all(i.flags == ["unused"] for i in items)  # nobody answered C or D


def test_all_attempts_and_points_scale(exam: Database) -> None:
    """--all-attempts adds P4's second attempt (1 1 1); 10-point items give the same indexes."""
    for staff_no, marks in (("P1", [1, 1, 1]), ("P2", [1, 1, 0]), ("P3", [1, 0, 1]),
                            ("P4", [0, 0, 0])):  # fmt: skip
        add_attempt(exam, staff_no, marks, points=10)
    add_attempt(exam, "P4", [1, 1, 1], number=2, points=10)
    _, first, first_items = item_analysis(exam, "e1", attempts="first")
    assert first.mean == Decimal("17.50") and first.cic == Decimal("63.16")
    assert first_items[0].discrimination == Decimal("81.65")
    _, every, items = item_analysis(exam, "e1", attempts="all")
    assert every.attempts == 5
    assert every.mean == Decimal("20.00")  # (30 + 20 + 20 + 0 + 30) / 5
    assert items[0].facility == Decimal("80.00")


def test_review_flags_and_undefined_indexes(exam: Database) -> None:
    """q1 everyone right (100%: too easy, no variance: '-'), q2 nobody right (0%: too hard),
    q3 right only for the weakest (negative discrimination)."""
    add_attempt(exam, "P1", [1, 0, 0, 1])
    add_attempt(exam, "P2", [1, 0, 0, 1])
    add_attempt(exam, "P3", [1, 0, 1, 0])
    add_attempt(exam, "P4", [1, 0, 1, 0])
    add_attempt(exam, "P5", [1, 0, 0, 1])
    _, _, items = item_analysis(exam, "e1")
    flags = {i.question: i.flags for i in items}
    assert flags["law-single-01"] == ["easy", "unused"]
    # everyone chose A for q2; for q3 the top third (P1, P2: all totals are equal, ties go by
    # attempt) chose A, never the key B
    assert flags["law-single-02"] == ["hard", "distractor", "unused"]
    assert flags["law-single-03"] == ["negative", "distractor", "unused"]
    assert items[0].discrimination is None and items[0].efficiency is None
    q3 = items[2]
    assert q3.discrimination is not None and q3.discrimination < 0

    set_language("zh")
    paper_table, table, _, review = item_report(exam, "e1", attempts="first")
    rows = {row["question"]: row for row in table.rows}
    assert rows["law-single-01"]["discrimination"] is None
    assert rows["law-single-01"]["review"] == "容易度高于95%；有选项无人选择"
    assert rows["law-single-02"]["review"] == "容易度低于20%；干扰项强于答案；有选项无人选择"
    assert rows["law-single-03"]["review"] == "区分度为负；干扰项强于答案；有选项无人选择"
    assert rows["law-single-03"]["type"] == "单选"
    reasons = {row["question"]: row["reasons"] for row in review.rows}
    assert reasons["law-single-01"] == (
        "容易度 100.00%，高于 95%；选项 A 无人选择；选项 C 无人选择；选项 D 无人选择"
    )
    assert reasons["law-single-03"].startswith("区分度指数为负（-")
    assert paper_table.title == "试卷统计：e1 年度考试（每人首次作答）"
    assert "facility" in table.definitions and "内部一致性系数（Cronbach α，%）" in (
        paper_table.definitions
    )


def test_random_papers_have_no_alpha(exam: Database) -> None:
    add_attempt(exam, "P1", [1, 1, None])
    add_attempt(exam, "P2", [None, 1, 0])
    add_attempt(exam, "P3", [1, None, 1])
    _, paper, items = item_analysis(exam, "e1")
    assert paper.cic is None and not paper.fixed_paper
    assert [i.attempts for i in items] == [2, 2, 2]
    assert all(i.effective_weight is None for i in items)
    set_language("en")
    paper_table = item_report(exam, "e1")[0]
    values = {row["figure"]: row["value"] for row in paper_table.rows}
    assert values["cic"] is None and values["error_ratio"] is None
    assert paper_table.notes and "random" in paper_table.notes[0]


def test_no_attempts_and_unknown_exam(exam: Database) -> None:
    from studyhub.errors import NotFoundError

    _, paper, items = item_analysis(exam, "e1")
    assert paper.attempts == 0 and items == []
    with pytest.raises(NotFoundError):
        item_analysis(exam, "nope")


def test_cli_report_items(exam: Database, db_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from studyhub.cli import cli

    add_attempt(exam, "P1", [1, 1, 1])
    add_attempt(exam, "P2", [1, 1, 0])
    add_attempt(exam, "P3", [1, 0, 1])
    add_attempt(exam, "P4", [0, 0, 0])
    add_attempt(exam, "P4", [1, 1, 1], number=2)

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--db", db_url, *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run("report", "items", "e1", "--format", "md", "--attempts", "first")
    assert code == 0, err
    assert "| law-single-01 | 1 | 单选 |" in out
    assert "81.65" in out and "| 63.16 |" in out
    code, out, err = run("--lang", "en", "report", "items", "e1", "--all-attempts")
    assert code == 0, err
    assert "all submitted attempts" in out
    target = tmp_path / "items.xlsx"
    code, out, err = run("report", "items", "e1", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    from openpyxl import load_workbook

    assert load_workbook(target).sheetnames[4:] == ["说明"]  # four tables, then the notes
    code, out, err = run("report", "items", "nope")
    assert code == 1 and err.startswith("错误：没有考试 nope\n提示：运行 studyhub exam list")
