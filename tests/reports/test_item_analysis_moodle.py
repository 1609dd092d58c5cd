"""`report items` against an independent implementation of Moodle's formulas
(tests/reports/moodle_stats.py) over random mark matrices: every figure of the paper and of
each question, for each choice of attempts, with re-sits and imported results, s = 1..5,
partial marks, unequal points and questions everybody scores the same on. Run on SQLite and,
with STUDYHUB_TEST_DB, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.exams.definitions import create_exam
from studyhub.exams.spec import load_spec
from studyhub.models import Attempt, AttemptItem, Department, Exam, Question, QuestionVersion, Staff
from studyhub.reports.items import item_analysis
from tests.exams.conftest import make_bank
from tests.reports.moodle_stats import MoodleAttempt, moodle_report

NOW = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
PEOPLE = 5
QUESTIONS = 4
#: figures rounded to 0.01 (and skewness, kurtosis to 0.0001) against Moodle's floats
TOLERANCE = {2: 0.005 + 1e-7, 4: 0.00005 + 1e-7}
FOUR_PLACES = {"skewness", "kurtosis"}


@pytest.fixture
def exam(database: Database, tmp_path: Path) -> Database:
    with database.session() as session:
        dept = Department(code="D1", name="办公室")
        session.add(dept)
        session.flush()
        session.add_all(
            [Staff(staff_no=f"P{n}", name=f"人员{n}", department_id=dept.id)
             for n in range(1, PEOPLE + 1)]
        )  # fmt: skip
    bank = tmp_path / "law.yaml"
    bank.write_text(make_bank({"single": QUESTIONS}), "utf-8")
    import_files(database, [bank])
    spec = tmp_path / "e1.yaml"
    ids = ", ".join(f"law-single-{n:02d}" for n in range(1, QUESTIONS + 1))
    spec.write_text(f"key: e1\ntitle: 年度考试\nyear: 2026\npaper: {{fixed: [{ids}]}}\n", "utf-8")
    create_exam(database, load_spec(spec))
    return database


@dataclass
class Sitting:
    person: int
    number: int
    #: marks per question (points), None for an imported result without items
    marks: list[float] | None


def store(database: Database, sittings: list[Sitting], points: list[float]) -> None:
    """Replace the exam's attempts by ``sittings`` (one transaction)."""
    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == "e1"))
        session.execute(sa.delete(AttemptItem))
        session.execute(sa.delete(Attempt))
        staff = {no: sid for no, sid in session.execute(sa.select(Staff.staff_no, Staff.id))}
        versions = session.scalars(
            sa.select(QuestionVersion.id)
            .join(Question, Question.id == QuestionVersion.question_id)
            .order_by(Question.external_id)
        ).all()
        for sitting in sittings:
            marks = sitting.marks
            # an imported result: full marks, the highest and first attempt if it counted
            score = Decimal(str(sum(marks if marks is not None else points)))
            attempt = Attempt(
                exam_id=exam_id, staff_id=staff[f"P{sitting.person}"], number=sitting.number,
                status="submitted", origin="local" if marks is not None else "imported",
                started_at=NOW, submitted_at=NOW, score=score,
                submit_reason="taker" if marks is not None else "imported",
                max_score=Decimal(str(sum(points))), answered=len(marks) if marks else None,
            )  # fmt: skip
            session.add(attempt)
            session.flush()
            for position, (mark, full) in enumerate(zip(marks or [], points, strict=False), 1):
                session.add(AttemptItem(
                    attempt_id=attempt.id, position=position,
                    question_version_id=versions[position - 1], points=Decimal(str(full)),
                    awarded=Decimal(str(mark)),
                ))  # fmt: skip


@st.composite
def matrices(draw: Any) -> tuple[list[float], list[Sitting], str]:
    """Points per question (1, 2, 2.5 or 4), people with 1-3 attempts (sometimes an imported
    result first), marks in quarters of a point up to the question's points, and a method."""
    p = draw(st.integers(1, QUESTIONS))
    points = draw(st.lists(st.sampled_from([1.0, 2.0, 2.5, 4.0]), min_size=p, max_size=p))
    people = draw(st.integers(1, PEOPLE))
    sittings = []
    for person in range(1, people + 1):
        number = 1
        if draw(st.booleans()) and draw(st.booleans()):
            sittings.append(Sitting(person, number, None))
            number += 1
        for _ in range(draw(st.integers(1, 3))):
            marks = [draw(st.integers(0, int(full * 4))) / 4 for full in points]
            sittings.append(Sitting(person, number, marks))
            number += 1
    method = draw(st.sampled_from(["first", "highest", "last", "all"]))
    return points, sittings, method


def close(ours: Decimal | None, theirs: float | None, places: int, what: str) -> None:
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        assert ours is None, f"{what}: {ours} where Moodle has none"
        return
    assert ours is not None, f"{what}: none where Moodle has {theirs}"
    assert abs(float(ours) - theirs) <= TOLERANCE[places], f"{what}: {ours} vs {theirs}"


def check(database: Database, points: list[float], sittings: list[Sitting], method: str) -> None:
    store(database, sittings, points)
    _, paper, items = item_analysis(database, "e1", attempts=method)
    moodle = [MoodleAttempt(s.person, s.number, None if s.marks is None else
                            dict(enumerate(s.marks, 1))) for s in sittings]  # fmt: skip
    test, slots = moodle_report(moodle, dict(enumerate(points, 1)), method)
    assert paper.attempts == test["s"]
    assert paper.left_out == sum(1 for s in sittings if s.marks is None)
    assert paper.questions == len(points) and paper.fixed_paper
    for name in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio",
                 "standard_error"):  # fmt: skip
        close(getattr(paper, name), test[name], 4 if name in FOUR_PLACES else 2, name)
    assert [i.position for i in items] == list(range(1, len(points) + 1))
    for item in items:
        theirs = slots[item.position]
        assert item.attempts == theirs["s"]
        assert item.points == Decimal(str(points[item.position - 1]))
        for name in ("facility", "sd", "intended_weight", "discrimination", "efficiency"):
            close(getattr(item, name), theirs[name], 2, f"q{item.position} {name}")
        # a covariance with the total that is 0 exactly may be a float's -1e-17 in Moodle
        weight = theirs["effective_weight"]
        if weight is not None or item.effective_weight is None or item.effective_weight != 0:
            close(item.effective_weight, weight, 2, f"q{item.position} effective weight")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(matrices())
@example(([1.0, 2.0], [Sitting(1, 1, [1.0, 2.0])], "first"))  # s = 1
@example(([1.0, 2.0], [Sitting(1, 1, [1.0, 0.5]), Sitting(2, 1, [0.0, 2.0])], "all"))  # s = 2
@example(
    (
        [2.0, 2.0, 1.0],
        [
            Sitting(1, 1, [2.0, 0.0, 1.0]),
            Sitting(2, 1, [2.0, 1.0, 0.0]),
            Sitting(3, 1, [2.0, 2.0, 1.0]),
        ],
        "last",
    )
)  # s = 3, q1 all right
@example(
    (
        [1.0, 4.0, 2.5],
        [
            Sitting(1, 1, [0.0, 0.0, 2.5]),
            Sitting(2, 1, [1.0, 3.0, 0.0]),
            Sitting(2, 2, [1.0, 4.0, 2.5]),
            Sitting(3, 1, [0.0, 1.0, 0.0]),
            Sitting(4, 1, [1.0, 4.0, 1.25]),
        ],
        "highest",
    )
)  # s = 4, re-sit
@example(([1.0, 1.0], [Sitting(n, 1, [1.0, 0.0]) for n in range(1, 5)], "first"))  # no spread
def test_every_figure_is_moodles(
    exam: Database, case: tuple[list[float], list[Sitting], str]
) -> None:
    check(exam, *case)
