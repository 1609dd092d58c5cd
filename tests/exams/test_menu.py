"""The quiz menu's data: exams open to a person, attempts left, best score, open attempt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import NotFoundError
from studyhub.exams import attempts
from studyhub.exams.definitions import close_exam
from studyhub.exams.menu import open_exams_for
from studyhub.models import Exemption, Staff
from tests.exams.conftest import Define, shift_clock
from tests.exams.test_engine import _base, answer_all


def test_window_audience_exemption_and_kinds(org: Database, define: Define) -> None:
    define("audience: [D1]\n")
    define("kind: practice\n", base=_base("p1"))
    define("opens: 2099-01-01\n", base=_base("later"))
    define("closes: 2020-01-01\n", base=_base("past"))
    info = define(base=_base("gone"))
    close_exam(org, "gone")
    define(base=_base("exempt"))
    with org.session() as session:
        from studyhub.models import Exam

        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == "exempt"))
        s1 = session.scalar(sa.select(Staff).where(Staff.staff_no == "S1"))
        session.add(Exemption(exam_id=exam_id, staff_id=s1.id, reason="病假"))
    assert info.key == "gone"
    assert [e.key for e in open_exams_for(org, "S1")] == ["e1", "p1"]
    assert [e.key for e in open_exams_for(org, "S2")] == ["e1", "exempt", "p1"]  # D11 under D1
    assert [e.key for e in open_exams_for(org, "S3")] == ["exempt", "p1"]
    practice = open_exams_for(org, "S1")[1]
    assert (practice.attempts_left, practice.can_start) == (None, True)


def test_attempts_left_best_score_and_open_attempt(org: Database, define: Define) -> None:
    define("attempts: 3\n")
    (fresh,) = open_exams_for(org, "S1")
    assert (fresh.used, fresh.attempts_left, fresh.best_score, fresh.open_attempt_id) == (
        0, 3, None, None
    )  # fmt: skip
    view = attempts.start_attempt(org, "e1", "S1")
    answer_all(org, view, "S1", wrong=3)
    attempts.submit(org, view.attempt_id, "S1")
    view = attempts.start_attempt(org, "e1", "S1")
    answer_all(org, view, "S1", wrong=1)
    attempts.submit(org, view.attempt_id, "S1")
    view = attempts.start_attempt(org, "e1", "S1")
    (menu,) = open_exams_for(org, "S1")
    assert (menu.used, menu.attempts_left, menu.submitted) == (3, 0, 2)
    assert (menu.best_score, menu.best_percent) == (Decimal(90), Decimal(90))
    assert menu.open_attempt_id == view.attempt_id and menu.can_start
    # past its deadline the open attempt is no longer offered for resuming
    shift_clock(org, view.attempt_id, 7200)
    (menu,) = open_exams_for(org, "S1")
    assert menu.open_attempt_id is None and not menu.can_start
    assert open_exams_for(org, "S2")[0].used == 0


def test_not_in_post_or_unknown(org: Database, define: Define) -> None:
    define()
    with org.session() as session:
        s1 = session.scalar(sa.select(Staff).where(Staff.staff_no == "S1"))
        s1.in_post_to = dt.date(2020, 1, 1)
    assert open_exams_for(org, "S1") == []
    with pytest.raises(NotFoundError, match="no staff member S9"):
        open_exams_for(org, "S9")
