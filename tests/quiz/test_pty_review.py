"""End to end in a real pseudo-terminal: the menu, a whole exam, the review paged with the
keys (a stray key, → ←, the answer card, q), then the same review again from the menu."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Attempt
from tests.quiz.pty import DOWN, ENTER, KEYS, LEFT, RIGHT, UP, Terminals, shown

pexpect = pytest.importorskip("pexpect")


def test_the_review_is_paged_and_comes_back_from_the_menu(
    org: Database, exam: ExamInfo, statute: None, terminal: Terminals
) -> None:
    child = terminal("quiz", "--staff", "S1")
    child.expect_exact("请选择考试")
    child.send(ENTER)
    child.expect_exact("开始第 1 次作答吗")  # the start page
    child.send("y" + ENTER)
    for n in range(1, 11):
        child.expect_exact(f"第 {n}/10 题 · ")
        child.send(KEYS[n - 1])
    child.expect_exact("交卷前检查")
    child.send(ENTER)  # the summary menu starts on 交卷
    child.expect_exact("确定交卷吗")
    before = shown(child)
    assert "正确答案" not in before and "解析" not in before  # no key before submitting
    child.send("y" + ENTER)
    child.expect_exact("答题回顾：共 10 题。")
    child.expect_exact("第 1/11 页")
    child.send("x" + RIGHT)  # the stray x does nothing
    child.expect_exact("第 1 题 · 单选 · ✓ 答对 · 10/10 分")
    child.expect_exact("为了示例，制定本法。")  # the cited article
    child.send(RIGHT)
    child.expect_exact("第 2 题 · 单选 · ")
    child.send(LEFT)
    child.expect_exact("第 1 题 · 单选 · ")
    child.send("g")
    child.expect_exact("跳到第几题")
    child.send("10" + ENTER)
    child.expect_exact("第 10 题 · 填空 · ✓ 答对 · 10/10 分")
    child.expect_exact("第 11/11 页")
    child.send(RIGHT)
    child.expect_exact("已是最后一题")
    child.send("q")
    child.expect_exact("查看已交答卷的答题回顾")  # the menu again, with the review
    child.send(DOWN + ENTER)
    child.expect_exact("请选择要查看的答卷")
    child.send(ENTER)
    child.expect_exact("答题回顾：共 10 题")
    child.send(RIGHT)
    child.expect_exact("第 1 题 · 单选 · ✓ 答对")
    child.send("q")
    child.expect_exact("请选择考试")
    child.send(UP + ENTER)  # 退出 (the last: from the top round to it)
    child.expect(pexpect.EOF)
    with org.session() as session:
        rows = session.execute(sa.select(Attempt.number, Attempt.status, Attempt.score)).all()
    assert [(r.number, r.status, str(r.score)) for r in rows] == [(1, "submitted", "100.00")]
