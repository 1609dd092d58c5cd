"""End to end in a real pseudo-terminal: ``studyhub practice`` without options shows the
practice menu; a wrong answer shows the key highlighted beside the choice; ← goes back to
the previous question's feedback; a mock exam refuses a stray Enter at its start, runs like
an exam and leaves no attempt. Every screen is read, and none shows an English word."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Attempt, PracticeAnswer
from tests.quiz.pty import CTRL_C, DOWN, ENTER, KEYS, LEFT, Terminals, shown
from tests.test_ui_language import leaks

pexpect = pytest.importorskip("pexpect")


@pytest.fixture
def spawn(terminal: Terminals) -> Callable[..., tuple[object, object]]:
    def _spawn(*args: str) -> tuple[object, object]:
        child = terminal("practice", "--staff", "S1", *args, rows=50)
        return child, child.logfile_read

    return _spawn


def count(database: Database, model: object) -> int:
    with database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))  # type: ignore[arg-type]


def test_the_menu_a_wrong_answer_and_going_back(org: Database, spawn) -> None:  # type: ignore[no-untyped-def]
    child, log = spawn()
    child.expect_exact("请选择练习方式")
    child.expect_exact("退出")
    child.send(DOWN * 3 + ENTER)  # 按题型练习
    child.expect_exact("请选择题型")
    child.expect_exact("返回")
    child.send(ENTER)  # 单选
    child.expect_exact("练习 1/10 · 单选")
    child.expect_exact("（↑↓ 选择，回车作答；→ 跳过，← 上一题，Ctrl-C 结束）")
    child.expect(r"D\. [甲乙丙丁]")
    screen = shown(log).rsplit("练习 1/10 · 单选", 1)[1]
    letters = dict(re.findall(r"([A-D])\. ([甲乙丙丁])", screen))
    wrong = "ABCD".index(next(letter for letter, text in letters.items() if text != "乙"))
    child.send(DOWN * wrong + ENTER)
    child.expect_exact("✗ 回答错误（已加入错题本）")
    child.expect_exact("✓ 正确答案")
    child.expect_exact("练习 2/10 · 单选")
    raw = log.getvalue()
    assert re.search(r"\x1b\[1;32m  [A-D]\. 乙 +✓ 正确答案\x1b\[0m", raw), raw[-3000:]
    assert re.search(r"\x1b\[1;31m  [A-D]\. [甲丙丁] +✗ 你的选择\x1b\[0m", raw)
    child.expect_exact("Ctrl-C 结束）")
    child.send(LEFT)  # back: question 1 with its feedback, not asked again
    child.expect_exact("练习 1/10 · 单选（已作答）")
    child.expect_exact("✗ 你的选择")
    child.expect_exact("继续（第 2 题）")
    child.send(ENTER)
    child.expect_exact("练习 2/10 · 单选")
    child.expect_exact("Ctrl-C 结束）")
    child.send(CTRL_C)
    child.expect_exact("练习已中止。")
    child.expect_exact("本次练习答题 1 题，答对 0 题，新增错题 1 题。")
    child.expect_exact("请选择练习方式")
    child.expect_exact("退出")
    child.send(DOWN * 6 + ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert count(org, PracticeAnswer) == 1
    assert leaks(shown(log), "practice") == []


def test_a_mock_exam_in_a_terminal(org: Database, exam: ExamInfo, spawn) -> None:  # type: ignore[no-untyped-def]
    child, log = spawn("--mock", "e1")
    child.expect_exact("模拟考试：年度考试（e1）")
    child.expect_exact("开始模拟考试吗？")
    child.expect_exact("回车确认")
    child.send(ENTER)  # a stray Enter: No is the default
    child.expect_exact("未开始模拟考试。")
    child.expect(pexpect.EOF)
    child.close()

    child, log = spawn("--mock", "e1")
    child.expect_exact("开始模拟考试吗？")
    child.expect_exact("回车确认")
    child.send("y" + ENTER)
    for n in range(1, 11):
        child.expect_exact(f"模拟考试 · 第 {n}/10 题 · ")
        child.send(KEYS[n - 1])
    child.expect_exact("交卷前检查")
    child.expect_exact("回到第 1 题检查")
    child.send(ENTER)  # 交卷 is first
    child.expect_exact("交卷后不能再修改答案。确定交卷吗？")
    child.expect_exact("回车确认")
    child.send("y" + ENTER)
    child.expect_exact("模拟考试成绩：年度考试")
    child.expect_exact("100/100")
    child.expect_exact("模拟考试不计成绩")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert count(org, Attempt) == 0 and count(org, PracticeAnswer) == 10
    assert leaks(shown(log), "mock") == []
