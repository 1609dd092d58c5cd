"""``studyhub report review KEY NO``: one person's review exported, with the options in the
order shown and the 解析's letters rewritten to it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from studyhub.banks.importer import import_files
from studyhub.cli import cli
from studyhub.cli.permissions import role_for
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.letters import remap
from tests.exams.conftest import Define
from tests.quiz.conftest import ORDERED
from tests.quiz.test_review import HISTORY, LETTERS_EXAM, bank_questions, shown_order


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_export_names_the_letters_shown(org: Database, define: Define, db_url: str) -> None:
    import_files(org, [HISTORY])
    define(base=LETTERS_EXAM)
    view = attempts.start_attempt(org, "x1", "S1", seed=7)
    for item in view.items:
        attempts.answer(org, view.attempt_id, item.position, [1], "S1")
    attempts.submit(org, view.attempt_id, "S1")

    code, out, err = run(db_url, "report", "review", "x1", "S1", "--format", "json")
    assert code == 0, err
    (table,) = json.loads(out)["tables"]
    rows = table["rows"]
    assert len(rows) == 34
    questions = bank_questions()
    changed = 0
    for row in rows:
        question = questions[row["stem"]]
        shown = [line.split(". ", 1)[1] for line in row["options"].splitlines()]
        assert row["explanation"] == remap(question["explanation"], shown_order(question, shown))
        changed += row["explanation"] != question["explanation"]
        assert row["response"].startswith("B. ")
    assert changed >= 25


def test_the_export_holds_what_the_review_setting_allows(
    org: Database, define: Define, db_url: str, tmp_path: Path
) -> None:
    define(ORDERED + "review: wrong\n")
    view = attempts.start_attempt(org, "e1", "S1")
    attempts.answer(org, view.attempt_id, 1, [0], "S1")  # wrong; the rest unanswered
    attempts.submit(org, view.attempt_id, "S1")
    code, out, _ = run(db_url, "report", "review", "e1", "S1", "--format", "md")
    assert code == 0
    assert "考试 e1 · S1 第 1 次作答的答题回顾" in out
    assert "| 题号 | 题型 | 题干 | 选项（按作答时的顺序） | 作答 | 正确答案 | 对错 |" in out
    assert "得分 0/100（0%）" in out and "本考试交卷后只回顾答错的题。" in out

    code, _, err = run(db_url, "report", "review", "e1", "S1", "--attempt", "2")
    assert code == 1
    assert err.splitlines()[0] == "错误：S1 没有考试 e1 已交卷的第 2 次作答"
    code, _, err = run(db_url, "report", "review", "e1", "S2")
    assert err.splitlines()[0] == "错误：S2 没有在本系统交卷的考试 e1 答卷"

    output = tmp_path / "review.xlsx"
    code, out, _ = run(db_url, "report", "review", "e1", "S1", "--format", "xlsx", "-o",
                       str(output))  # fmt: skip
    assert code == 0 and output.stat().st_size > 0


def test_score_only_lists_no_question(org: Database, define: Define, db_url: str) -> None:
    define(ORDERED + "review: score\n")
    view = attempts.start_attempt(org, "e1", "S1")
    attempts.submit(org, view.attempt_id, "S1")
    code, out, _ = run(db_url, "report", "review", "e1", "S1", "--format", "json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    assert table["rows"] == []
    assert "本考试交卷后只公布分数，不列出试题。" in table["notes"]


def test_only_an_admin_exports_a_review() -> None:
    """A review shows answer keys: admins only (reporters see the other reports)."""
    assert role_for("report review") == "admin"
    assert role_for("report rates") == "reporter"
    assert role_for("bank check") == "admin"
