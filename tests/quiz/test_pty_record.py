"""End to end in a real pseudo-terminal, in Chinese: from the quiz menu, the person's record
paged with the keys (a stray key, ← on the first page, → on, q back to the menu) and their
certificates, with no English word on the screen."""

from __future__ import annotations

import pytest

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.quiz.prompter import ScriptedPrompter
from studyhub.quiz.session import QuizSession
from studyhub.reports.certificates import issue_certificates
from tests.quiz.conftest import right
from tests.quiz.pty import DOWN, ENTER, LEFT, RIGHT, Terminals, shown
from tests.test_ui_language import leaks

pexpect = pytest.importorskip("pexpect")


def test_my_record_and_my_certificates_in_a_terminal(
    org: Database, exam: ExamInfo, terminal: Terminals
) -> None:
    prompter = ScriptedPrompter(["年度考试", True, *[right] * 10, "交卷", True, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    (certificate,) = issue_certificates(org, "e1", staff="S1")

    child = terminal("quiz", "--staff", "S1", rows=24, columns=100)
    child.expect_exact("请选择考试")
    child.send(DOWN + DOWN + ENTER)  # the exam, the past reviews, then 我的学法档案
    child.expect_exact("张三（S1）2026年学法档案")
    child.expect_exact("第 1/")
    child.send("x" + LEFT)  # the stray x does nothing; ← on the first page says so
    child.expect_exact("已是第一页。")
    child.send(RIGHT)
    child.expect_exact("第 2/")
    child.send("q")
    child.expect_exact("请选择考试")
    child.send(DOWN * 3 + ENTER)  # 我的合格证书
    child.expect_exact("合格证书")
    child.expect_exact(f"证书编号：{certificate.serial}")
    child.expect_exact("有效：成绩与发证时一致。")
    child.expect_exact("第 1/")
    child.send("q")
    child.expect_exact("请选择考试")
    child.send(DOWN * 4 + ENTER)  # 退出
    child.expect(pexpect.EOF)
    screen = shown(child)
    assert leaks(screen, "record") == []
