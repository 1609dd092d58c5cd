"""A started attempt nobody answered (issue #18, item 2): it never counts when the person has
another attempt with answers; if all their attempts are empty they took part, with 0. The
engine, the figures (every grading method, SQL on both databases), the item analysis, the
makeup check and `exam close` follow the same rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from studyhub import migrate
from studyhub.db import Database, open_database
from studyhub.exams import attempts
from studyhub.exams.attempts import AttemptRefused
from studyhub.exams.definitions import close_exam
from studyhub.models import Attempt
from studyhub.reports.people import people
from studyhub.reports.rates import rates
from tests.exams.conftest import Define
from tests.exams.test_engine import _base, answer_all


def sit(database: Database, staff: str, wrong: int | None, key: str = "e1") -> int:
    """One submitted attempt: every question answered with ``wrong`` of them wrong (10
    points each), or (``wrong`` None) started and submitted with no answer."""
    view = attempts.start_attempt(database, key, staff)
    if wrong is not None:
        answer_all(database, view, staff, wrong=wrong)
    result = attempts.submit(database, view.attempt_id, staff)
    assert result.answered == (0 if wrong is None else len(view.items))
    return view.attempt_id


def scores(database: Database, key: str = "e1") -> dict[str, tuple[Decimal | None, bool, int]]:
    return {r.staff_no: (r.score, r.passed, r.attempts) for r in people(database, key, "scores")}


def test_an_empty_last_attempt_does_not_turn_a_pass_into_0(org: Database, define: Define) -> None:
    """The issue's case: a stray key starts attempt 2 after a pass; with grading: last it used
    to count 0."""
    define("grading: last\n")
    sit(org, "S1", wrong=1)  # 90
    sit(org, "S1", wrong=None)  # started by a stray key, nothing answered
    assert scores(org)["S1"] == (Decimal(90), True, 2)
    (row,) = rates(org, exam="e1")
    assert (row.required, row.participants, row.passed) == (3, 1, 1)


@pytest.mark.parametrize(
    ("method", "sat", "expected"),
    [
        ("first", [None, 2, 4], Decimal(80)),  # the first attempt with answers
        ("last", [3, None], Decimal(70)),
        ("average", [2, None, 4], Decimal(70)),  # (80 + 60) / 2, the empty one left out
        ("highest", [None, 5], Decimal(50)),
    ],
)
def test_every_grading_method_skips_empty_attempts(
    org: Database, define: Define, method: str, sat: list[int | None], expected: Decimal
) -> None:
    define(f"grading: {method}\nattempts: 5\npass_mark: 75\n")
    for wrong in sat:
        sit(org, "S1", wrong=wrong)
    score, passed, count = scores(org)["S1"]
    assert (score, passed, count) == (expected, expected >= 75, len(sat))
    (row,) = rates(org, exam="e1")
    assert (row.participants, row.passed, row.average) == (1, int(expected >= 75), expected)


@pytest.mark.parametrize("method", ["first", "last", "average", "highest"])
def test_only_empty_attempts_take_part_with_0(org: Database, define: Define, method: str) -> None:
    define(f"grading: {method}\npass_mark: 0\n" if method == "average" else f"grading: {method}\n")
    sit(org, "S1", wrong=None)
    sit(org, "S1", wrong=None)
    score, passed, count = scores(org)["S1"]
    assert (score, count) == (Decimal(0), 2)
    assert passed == (method == "average")  # a pass mark of 0 is reached by 0
    (row,) = rates(org, exam="e1")
    assert row.participants == 1


def test_the_topic_figures_and_item_analysis_use_the_attempt_with_answers(
    org: Database, define: Define
) -> None:
    from studyhub.reports.items import item_analysis

    define("grading: last\n")
    sit(org, "S1", wrong=0)
    sit(org, "S1", wrong=None)
    (topic,) = rates(org, exam="e1", by="topic")
    assert (topic.participants, topic.passed, topic.average) == (1, 1, Decimal(100))
    _, paper, _ = item_analysis(org, "e1")
    assert paper.attempts == 1 and paper.mean == Decimal(100)
    _, paper, _ = item_analysis(org, "e1", all_attempts=True)
    assert paper.attempts == 1  # the empty attempt tells nothing about the questions
    sit(org, "S2", wrong=None)  # someone whose only attempt is empty is analysed (as 0)
    _, paper, _ = item_analysis(org, "e1")
    assert paper.attempts == 2 and paper.mean == Decimal(50)


def test_exam_close_submits_an_empty_attempt_that_then_does_not_count(
    org: Database, define: Define
) -> None:
    define("grading: last\n")
    sit(org, "S1", wrong=0)
    view = attempts.start_attempt(org, "e1", "S1")  # left open with nothing answered
    answered = attempts.start_attempt(org, "e1", "S2")
    answer_all(org, answered, "S2", wrong=5)
    closed = close_exam(org, "e1")
    assert (closed.submitted, closed.empty) == (2, 1)
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert (attempt.status, attempt.submit_reason, attempt.answered) == (
            "submitted",
            "closed",
            0,
        )
    assert scores(org)["S1"] == (Decimal(100), True, 2)
    assert scores(org)["S2"] == (Decimal(50), False, 1)


def test_a_makeup_is_refused_to_someone_whose_pass_was_followed_by_an_empty_attempt(
    org: Database, define: Define
) -> None:
    define("grading: last\n")
    define("kind: makeup\nmakeup_of: e1\n", base=_base("e1-bk"))
    sit(org, "S1", wrong=0)
    sit(org, "S1", wrong=None)
    with pytest.raises(AttemptRefused, match="already passed e1"):
        attempts.start_attempt(org, "e1-bk", "S1")


def test_an_imported_result_is_never_empty(org: Database, define: Define, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from studyhub.exams.results import import_results

    define("key: ext\ntitle: 法宣在线\nyear: 2026\nkind: external\ngrading: last\n", base="")
    results = tmp_path / "r.csv"
    results.write_text(
        "工号,成绩,提交时间,次数\nS1,95,2026-11-20 10:00,1\nS1,40,2026-11-21 10:00,2\n",
        encoding="utf-8",
    )
    import_results(org, "ext", results)
    assert scores(org, "ext")["S1"] == (Decimal(40), False, 2)  # the last one, as imported


def test_the_migration_counts_the_answers_of_earlier_attempts(
    org: Database, define: Define, db_url: str
) -> None:
    define("grading: last\n")
    full = sit(org, "S1", wrong=0)
    empty = sit(org, "S1", wrong=None)
    org.dispose()
    database = open_database(db_url, upgrade=False)
    try:
        migrate.downgrade(database, "0008")  # before the count existed
        migrate.upgrade(database)  # counts them from the saved answers
        with database.session() as session:
            counts = dict(session.execute(sa.select(Attempt.id, Attempt.answered)).all())
        assert counts == {full: 10, empty: 0}
        assert scores(database)["S1"] == (Decimal(100), True, 2)
    finally:
        database.dispose()
