"""In a real pseudo-terminal, in Chinese: a whole quiz (questionary's menus, checkboxes,
text input, the summary and the 是/否 confirmation) and a practice show no English word
outside the allow-list of tests/test_ui_language.py."""

from __future__ import annotations

import pytest

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from tests.quiz.pty import DOWN, ENTER, SPACE, Terminals, shown
from tests.test_ui_language import leaks

pexpect = pytest.importorskip("pexpect")


def screen_leaks(child: object, where: str) -> list[str]:
    return leaks(shown(child), where)


def test_a_quiz_and_a_practice_in_a_terminal_are_chinese(
    org: Database, exam: ExamInfo, terminal: Terminals
) -> None:
    child = terminal("quiz", "e1", "--staff", "S1")
    child.expect_exact("开始第 1 次作答吗")
    child.send("y" + ENTER)
    for n in range(1, 11):
        child.expect_exact(f"第 {n}/10 题 · ")
        keys = SPACE + DOWN + SPACE + ENTER if n in (5, 6) else ENTER
        child.send(keys)
    child.expect_exact("交卷")
    child.send(ENTER)
    child.expect_exact("确定交卷吗")
    child.send("y" + ENTER)
    for _ in range(3):  # the review: the result, then questions 1 and 2
        child.expect_exact("q 返回")
        child.send("\x1b[C")
    child.expect_exact("g 答题卡")
    child.send("g")
    child.expect_exact("跳到第几题")
    child.send("9" + ENTER)
    child.expect_exact("第 9 题 · 填空")
    child.expect_exact("q 返回")
    child.send("q")
    child.expect(pexpect.EOF)
    problems = screen_leaks(child, "quiz")
    screen = shown(child)
    assert "已选 2 项" in screen, screen[screen.find("第 5/10") :][:1500]

    child = terminal("practice", "--staff", "S1", "--count", "3", "--type", "single")
    for n in range(1, 4):
        child.expect_exact(f"练习 {n}/3")
        child.send(ENTER)
        child.expect_exact("解析")
    child.expect(pexpect.EOF)
    problems += screen_leaks(child, "practice")
    assert problems == [], "\n".join(problems)
