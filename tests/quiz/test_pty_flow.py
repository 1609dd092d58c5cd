"""The taker's hour in a real pseudo-terminal: the start page refuses a stray Enter, the
countdown moves while a question is on screen, the answer card jumps, and a submission
followed by stray Enters leaves exactly one attempt."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Attempt
from tests.quiz.pty import DOWN, ENTER, UP, Screen, Terminals

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("pyte")


@pytest.fixture
def quiz(terminal: Terminals) -> object:
    """``python -m studyhub quiz --staff S1`` (the menu) in a pseudo-terminal."""
    return terminal("quiz", "--staff", "S1")


def attempts_of(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(Attempt)) or 0)


def test_a_stray_enter_at_the_start_page_starts_nothing(  # type: ignore[no-untyped-def]
    org: Database, exam: ExamInfo, quiz
) -> None:
    quiz.expect_exact("请选择考试")
    quiz.send(ENTER)  # the exam
    quiz.expect_exact("━━ 年度考试（e1）━━")
    quiz.expect_exact("还剩 3 次")
    quiz.expect_exact("开始第 1 次作答吗")
    quiz.send(ENTER)  # a stray Enter: the default is No
    quiz.expect_exact("未开始作答。")
    quiz.expect_exact("请选择考试")
    quiz.send(UP + ENTER)  # 退出 (the last: from the top round to it)
    quiz.expect(pexpect.EOF)
    assert attempts_of(org) == 0


def test_countdown_card_and_one_attempt_after_stray_enters(  # type: ignore[no-untyped-def]
    org: Database, exam: ExamInfo, quiz
) -> None:
    quiz.expect_exact("请选择考试")
    quiz.send(ENTER)
    quiz.expect_exact("开始第 1 次作答吗")
    quiz.send("y" + ENTER)
    # the footer: the keys and a countdown that moves while the question is on screen
    screen = Screen(quiz)
    shown = screen.read(1.0)
    assert "第 1/10 题 · " in shown and "g 答题卡" in shown and "f 标记" in shown
    first = re.search(r"剩余时间 (\d\d:\d\d)", shown)
    second = re.search(r"剩余时间 (\d\d:\d\d)", screen.read(1.2))
    assert first and second and second.group(1) < first.group(1), (first, second)
    # the answer card: g opens it, a number jumps there
    quiz.send(DOWN + ENTER)  # question 1 answered (B)
    quiz.expect_exact("第 2/10 题 · ")
    quiz.send("g")
    quiz.expect_exact("答题卡")
    quiz.expect_exact("跳到第几题")
    quiz.send("9" + ENTER)
    quiz.expect_exact("第 9/10 题 · ")
    quiz.send("甲" + ENTER)
    quiz.expect_exact("第 10/10 题 · ")
    quiz.send("甲" + ENTER)
    quiz.expect_exact("交卷前检查")
    quiz.expect_exact("下一步")
    quiz.send(ENTER)  # 交卷
    quiz.expect_exact("确定交卷吗")
    quiz.send("y" + ENTER + ENTER + ENTER)  # y, Enter, and two stray Enters
    quiz.expect_exact("第 1/")  # the review's first page (the result): the Enters paged nothing
    quiz.expect_exact("q 返回")
    quiz.send("q")
    quiz.expect_exact("请选择考试")  # the menu again; nothing started by the stray keys
    assert attempts_of(org) == 1
    quiz.send(UP + ENTER)  # 退出 (the last, after 查看已交答卷的答题回顾 and the record)
    quiz.expect(pexpect.EOF)
    assert attempts_of(org) == 1
