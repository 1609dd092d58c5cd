"""A fixed paper whose questions carry their own points (issue #24, item 5):
``fixed: [{id: law-single-01, points: 3}, law-judge-01]`` next to today's ``fixed: [ids]``
with one ``points`` for all. The spec, the stored paper, the attempt engine, the exam's
full marks, ``exam show`` and a mock exam all follow it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.db import Database
from studyhub.errors import MultipleErrors
from studyhub.exams import attempts, fixed_questions
from studyhub.exams.definitions import get_exam
from studyhub.exams.spec import load_spec
from studyhub.practice.mock import draw_mock, mock_exams
from tests.exams.conftest import Define
from tests.exams.test_engine import answer_all

MIXED = """\
key: fx
title: 固定卷
year: 2026
shuffle_questions: false
paper:
  points: 2
  fixed:
    - {id: law-single-01, points: 3}
    - law-judge-01
    - {id: law-fill-01, points: 2.5}
    - {id: law-multiple-01}
"""


def test_the_spec_takes_points_per_question(tmp_path: Path) -> None:
    path = tmp_path / "fx.yaml"
    path.write_text(MIXED, "utf-8")
    spec = load_spec(path)
    assert spec.fixed == ["law-single-01", "law-judge-01", "law-fill-01", "law-multiple-01"]
    assert spec.total_points() == Decimal("9.5")  # 3 + 2 + 2.5 + 2
    paper = spec.paper_json()
    assert paper["item_points"] == {"law-single-01": "3", "law-fill-01": "2.5"}
    assert fixed_questions(paper) == [
        ("law-single-01", Decimal(3)), ("law-judge-01", Decimal(2)),
        ("law-fill-01", Decimal("2.5")), ("law-multiple-01", Decimal(2)),
    ]  # fmt: skip
    # today's form is unchanged
    path.write_text("key: k\ntitle: t\nyear: 2026\npaper: {fixed: [a, b], points: 5}\n", "utf-8")
    plain = load_spec(path)
    assert plain.paper_json() == {"fixed": ["a", "b"], "points": "5"}
    assert fixed_questions(plain.paper_json()) == [("a", Decimal(5)), ("b", Decimal(5))]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: a, points: 0}", "line 6, field paper.fixed[1]: points is a number from 0.5 to 100"),
        ("{id: a, weight: 2}", "line 6, field paper.fixed[1]: unknown field weight"),
        ("{points: 2}", "line 6, field paper.fixed[1]: a question of a fixed paper is an id or "
                        "{id: cc-0001-01, points: 2}"),
    ],
)  # fmt: skip
def test_a_bad_question_entry_names_its_line(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "fx.yaml"
    path.write_text(f"key: k\ntitle: t\nyear: 2026\npaper:\n  fixed:\n    - {entry}\n", "utf-8")
    with pytest.raises(MultipleErrors) as caught:
        load_spec(path)
    assert message in str(caught.value)


def test_attempts_mocks_and_exam_show_use_each_questions_points(
    org: Database, define: Define, db_url: str
) -> None:
    define(base=MIXED)
    info = get_exam(org, "fx")
    assert info.total_points == Decimal("9.5") and info.questions == 4
    view = attempts.start_attempt(org, "fx", "S1")
    assert [i.points for i in view.items] == [3, 2, Decimal("2.5"), 2]
    assert view.total_points == Decimal("9.5")
    answer_all(org, view, "S1", wrong=1)  # the 3-point question wrong
    result = attempts.submit(org, view.attempt_id, "S1")
    assert (result.score, result.percent) == (Decimal("6.5"), Decimal("68.42"))
    (mock,) = [m for m in mock_exams(org, "S2") if m.key == "fx"]
    assert (mock.questions, mock.points) == (4, Decimal("9.5"))
    paper = draw_mock(org, "S2", "fx", seed=3)
    assert paper.total == Decimal("9.5")
    from studyhub.cli import cli

    out = CliRunner().invoke(cli, ["--db", db_url, "exam", "show", "fx"]).stdout
    assert "9.5" in out
