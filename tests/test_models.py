"""Integrity lives in the database: these constraints hold whatever the Python code does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.models import (
    Attempt,
    Bank,
    Base,
    Department,
    Exam,
    Exemption,
    Question,
    QuestionVersion,
    Staff,
)

NOW = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def add_all(database: Database, *objects: object) -> None:
    with database.session() as session:
        session.add_all(objects)


def refused(database: Database, *objects: object) -> None:
    with pytest.raises(sa.exc.IntegrityError), database.session() as session:
        session.add_all(objects)
        session.flush()


def exam(**kw: object) -> Exam:
    values: dict[str, object] = dict(
        key="e2026", title="2026年度学法考试", year=2026, paper={}, bands=[]
    )
    values.update(kw)
    return Exam(**values)


def test_unique_staff_number(database: Database) -> None:
    add_all(database, Staff(staff_no="001", name="张三"))
    refused(database, Staff(staff_no="001", name="李四"))


def test_role_is_checked(database: Database) -> None:
    refused(database, Staff(staff_no="002", name="王五", role="superuser"))


def test_post_dates_in_order(database: Database) -> None:
    refused(
        database,
        Staff(
            staff_no="003",
            name="赵六",
            in_post_from=dt.date(2026, 5, 1),
            in_post_to=dt.date(2026, 4, 1),
        ),
    )


def test_one_attempt_per_number(database: Database) -> None:
    add_all(database, exam(), Staff(staff_no="001", name="张三"))
    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id))
        staff_id = session.scalar(sa.select(Staff.id))
    add_all(database, Attempt(exam_id=exam_id, staff_id=staff_id, number=3, started_at=NOW))
    refused(database, Attempt(exam_id=exam_id, staff_id=staff_id, number=3, started_at=NOW))


def test_attempt_checks(database: Database) -> None:
    add_all(database, exam(), Staff(staff_no="001", name="张三"))
    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id))
        staff_id = session.scalar(sa.select(Staff.id))
    # submitted without a time
    refused(
        database,
        Attempt(exam_id=exam_id, staff_id=staff_id, number=1, started_at=NOW, status="submitted"),
    )
    # score above the maximum
    refused(
        database,
        Attempt(
            exam_id=exam_id,
            staff_id=staff_id,
            number=1,
            started_at=NOW,
            score=Decimal(101),
            max_score=Decimal(100),
        ),
    )
    # attempt number 0
    refused(database, Attempt(exam_id=exam_id, staff_id=staff_id, number=0, started_at=NOW))


def test_exam_checks(database: Database) -> None:
    refused(database, exam(kind="quiz"))
    refused(database, exam(grading="median"))
    refused(database, exam(pass_mark=Decimal(101)))
    refused(database, exam(kind="makeup"))  # a 补考 needs its parent exam
    refused(database, exam(opens_at=NOW, closes_at=NOW - dt.timedelta(days=1)))


def test_one_exemption_per_exam_and_person(database: Database) -> None:
    add_all(database, exam(), Staff(staff_no="001", name="张三"))
    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id))
        staff_id = session.scalar(sa.select(Staff.id))
    add_all(database, Exemption(exam_id=exam_id, staff_id=staff_id, reason="长期病假"))
    refused(database, Exemption(exam_id=exam_id, staff_id=staff_id, reason="出差"))


def test_question_version_checks(database: Database) -> None:
    add_all(database, Bank(key="b", title="题库"))
    with database.session() as session:
        bank_id = session.scalar(sa.select(Bank.id))
        question = Question(bank_id=bank_id, external_id="q1")
        session.add(question)
    base = dict(question_id=question.id, stem="题干", answer=True, content_hash="h")
    refused(database, QuestionVersion(version=1, type="essay", **base))
    refused(database, QuestionVersion(version=1, type="judge", difficulty=6, **base))
    add_all(database, QuestionVersion(version=1, type="judge", difficulty=5, **base))
    refused(database, QuestionVersion(version=1, type="judge", **base))  # same version twice
    refused(database, Question(bank_id=bank_id, external_id="q1"))  # same id in a bank


def test_departments_cannot_be_deleted_while_used(database: Database) -> None:
    add_all(database, Department(code="A", name="办公室"))
    with database.session() as session:
        dept_id = session.scalar(sa.select(Department.id))
        session.add(Staff(staff_no="001", name="张三", department_id=dept_id))
    with pytest.raises(sa.exc.IntegrityError), database.session() as session:
        session.execute(sa.delete(Department))


def test_constraint_names_follow_the_convention(database: Database) -> None:
    inspector = sa.inspect(database.engine)
    uniques = {u["name"] for u in inspector.get_unique_constraints("attempts")}
    assert "uq_attempts_exam_id_staff_id_number" in uniques
    foreign = {f["name"] for f in inspector.get_foreign_keys("attempts")}
    assert "fk_attempts_exam_id_exams" in foreign
    assert inspector.get_pk_constraint("staff")["name"] == "pk_staff"


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("staff", ["department_id"]),
        ("staff_postings", ["staff_id", "valid_from"]),
        ("attempts", ["exam_id", "status"]),
        ("attempts", ["staff_id", "exam_id"]),
        ("exemptions", ["exam_id"]),
        ("exams", ["year"]),
        ("questions", ["topic_id", "status", "type", "difficulty", "id"]),
        ("question_versions", ["type", "difficulty"]),
        ("attendance", ["staff_id"]),
        ("study_activities", ["held_on"]),
        ("audit_events", ["at"]),
    ],
)
def test_indexes_on_what_reports_group_by(
    database: Database, table: str, columns: list[str]
) -> None:
    indexes = [i["column_names"] for i in sa.inspect(database.engine).get_indexes(table)]
    assert columns in indexes


def test_every_model_table_exists(database: Database) -> None:
    assert set(Base.metadata.tables) <= set(sa.inspect(database.engine).get_table_names())
