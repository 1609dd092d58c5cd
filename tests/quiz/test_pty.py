"""End to end in a real pseudo-terminal: ``python -m studyhub quiz`` with the questionary UI,
a whole exam, then a second attempt killed with SIGKILL mid-way and resumed."""

from __future__ import annotations

import signal
from decimal import Decimal

import pytest

from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from tests.quiz.pty import ENTER, KEYS, Terminals

pexpect = pytest.importorskip("pexpect")


def spawn_quiz(terminal: Terminals) -> object:
    return terminal("quiz", "e1", "--staff", "S1")


def answer(child: object, first: int, last: int) -> None:
    for n in range(first, last + 1):
        child.expect_exact(f"第 {n}/10 题 · ")  # type: ignore[attr-defined]
        child.send(KEYS[n - 1])  # type: ignore[attr-defined]


def test_whole_exam_then_kill_and_resume(
    org: Database, exam: ExamInfo, terminal: Terminals
) -> None:
    child = spawn_quiz(terminal)
    child.expect_exact("开始第 1 次作答吗")  # the start page asks first (default: No)
    child.send("y" + ENTER)
    child.expect_exact("年度考试：共 10 题")
    answer(child, 1, 10)
    child.expect_exact("交卷前检查")
    child.expect_exact("交卷")
    child.send(ENTER)  # the summary menu starts on 交卷
    child.expect_exact("确定交卷吗")
    child.send("y" + ENTER)  # y moves to 是, Enter takes it
    child.expect_exact("100/100")
    child.expect_exact("q 返回")  # the review's first page: the result
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert attempts.result(org, 1, "S1").score == Decimal(100)

    # a second attempt: three answers, then the process is killed
    child = spawn_quiz(terminal)
    child.expect_exact("开始第 2 次作答吗")
    child.send("y" + ENTER)
    child.expect_exact("第 2 次作答")
    answer(child, 1, 3)
    child.expect_exact("第 4/10 题 · ")  # shown only after answer 3 was saved
    child.kill(signal.SIGKILL)
    child.close(force=True)
    view = attempts.get_attempt(org, 2, "S1")
    assert view.status == "in_progress"
    assert [i.response for i in view.items] == [[1], [1], [1]] + [None] * 7

    # started again, it resumes at question 4
    child = spawn_quiz(terminal)
    child.expect_exact("继续第 2 次作答：已答 3/10 题，从第 4 题开始。")
    answer(child, 4, 5)
    child.expect_exact("第 6/10 题 · ")
    child.kill(signal.SIGKILL)
    child.close(force=True)
    view = attempts.get_attempt(org, 2, "S1")
    assert [i.response for i in view.items[:6]] == [[1], [1], [1], [1], [0, 2], None]
