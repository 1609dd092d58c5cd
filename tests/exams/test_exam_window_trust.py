"""A 补考 of an outside exam, and an exam window that cannot be rewritten under its takers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studyhub.db import Database
from studyhub.errors import InputError
from studyhub.exams import attempts
from studyhub.exams.attempts import AttemptRefused
from studyhub.exams.definitions import update_exam
from studyhub.exams.results import import_results
from studyhub.exams.spec import load_spec
from studyhub.models import Attempt
from studyhub.reports.rates import rates
from tests.exams.conftest import BASE_SPEC, Define

EXTERNAL = "key: ext\ntitle: 法宣在线考试\nyear: 2026\nkind: external\ncloses: 2026-11-30\n"
MAKEUP = "key: ext-bk\ntitle: 法宣在线补考\nyear: 2026\nkind: makeup\nmakeup_of: ext\n"


def test_a_makeup_of_an_outside_exam_needs_no_paper(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define(base=EXTERNAL)
    info = define(base=MAKEUP)
    assert info.kind == "makeup" and info.questions == 0
    with pytest.raises(AttemptRefused, match="sat on another platform"):
        attempts.start_attempt(org, "ext-bk", "S1")
    main = tmp_path / "main.csv"
    main.write_text("工号,成绩,提交时间\nS1,50,2026-11-20 10:00\n", encoding="utf-8")
    makeup = tmp_path / "makeup.csv"
    makeup.write_text("工号,成绩,提交时间\nS1,88,2026-11-28 10:00\n", encoding="utf-8")
    import_results(org, "ext", main)
    import_results(org, "ext-bk", makeup)
    (row,) = rates(org, exam="ext")
    assert (row.participants, row.passed) == (1, 1)  # the better 补考 result counts


def test_a_makeup_of_a_local_exam_still_needs_a_paper(org: Database, define: Define) -> None:
    define()
    with pytest.raises(InputError, match="missing paper"):
        define(base=MAKEUP.replace("makeup_of: ext", "makeup_of: e1"))


def _spec(tmp_path: Path, extra: str, base: str = BASE_SPEC) -> object:
    path = tmp_path / "update.yaml"
    path.write_text(base + extra, encoding="utf-8")
    return load_spec(path)


def test_the_window_cannot_be_rewritten_under_its_takers(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define("opens: 2026-01-01\ncloses: 2099-12-30\n")
    view = attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(InputError, match="closes may only move later"):
        update_exam(org, _spec(tmp_path, "opens: 2026-01-01\ncloses: 2026-06-30\n"))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="opens can no longer change"):
        update_exam(org, _spec(tmp_path, "opens: 2026-02-01\ncloses: 2099-12-30\n"))  # type: ignore[arg-type]
    update_exam(org, _spec(tmp_path, "opens: 2026-01-01\ncloses: 2099-12-31\n"))  # type: ignore[arg-type]
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt is not None and attempt.deadline is not None
        # the open attempt keeps its time limit (60 minutes), well before either close
        assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=60)


def test_without_attempts_the_window_may_change(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define("closes: 2099-12-30\n")
    info = update_exam(org, _spec(tmp_path, "closes: 2099-06-30\n"))  # type: ignore[arg-type]
    assert info.closes is not None and info.closes.year == 2099


def test_moving_the_close_later_extends_attempts_that_ended_at_the_old_close(
    org: Database, tmp_path: Path, define: Define
) -> None:
    no_limit = BASE_SPEC.replace("time_limit: 60m\n", "")
    define("closes: 2099-12-30\n", base=no_limit)
    view = attempts.start_attempt(org, "e1", "S1")
    update_exam(org, _spec(tmp_path, "closes: 2099-12-31\n", no_limit))  # type: ignore[arg-type]
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt is not None and attempt.deadline is not None
        assert attempt.deadline.day == 31


def test_an_attempt_that_ran_out_is_not_revived(
    org: Database, tmp_path: Path, define: Define
) -> None:
    """Found in review: moving closes later gave attempts that had already run out (but were
    not yet submitted) a new deadline."""
    from tests.exams.conftest import shift_clock

    no_limit = BASE_SPEC.replace("time_limit: 60m\n", "")
    define("closes: 2099-12-30\n", base=no_limit)
    view = attempts.start_attempt(org, "e1", "S1")
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt is not None
        old = attempt.deadline
    shift_clock(org, view.attempt_id, 0)
    with org.session() as session:  # its deadline (the old close) has passed
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt is not None
        attempt.deadline = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with org.session() as session:
        from studyhub.models import Exam

        exam = session.query(Exam).filter_by(key="e1").one()
        exam.closes_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    update_exam(org, _spec(tmp_path, "closes: 2099-12-31\n", no_limit))  # type: ignore[arg-type]
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt is not None and attempt.deadline.year == 2020
    assert old is not None
