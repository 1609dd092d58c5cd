"""End to end in a real pseudo-terminal (issue #23): the practice menu counts the questions
awaiting review after a law changed apart, and a topic all of whose questions await review
says so instead of drawing them. Every screen is read, and none shows an English word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.laws import import_law
from tests.exams.test_law_review import BANK
from tests.exams.test_law_review_practice import ALL_IN_DOUBT
from tests.quiz.pty import DOWN, ENTER, Terminals, shown
from tests.test_law_versions import V1, V2, write
from tests.test_ui_language import leaks

pexpect = pytest.importorskip("pexpect")


def test_the_menu_says_what_awaits_review(
    org: Database, terminal: Terminals, tmp_path: Path
) -> None:
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK), write(tmp_path, "tx.yaml", ALL_IN_DOUBT)])
    import_law(org, write(tmp_path, "v2.md", V2))
    child = terminal("practice", "--staff", "S1", rows=50)
    log = child.logfile_read
    child.expect_exact("请选择练习方式")
    child.expect_exact("随机练习（共 27 题，另有 6 题因法律修订待复核）")
    child.expect_exact("退出")
    child.send(DOWN + ENTER)  # 按专题练习
    child.expect_exact("tl（2 题，另有 4 题因法律修订待复核）")
    child.expect_exact("tx（0 题，另有 2 题因法律修订待复核）")
    child.expect_exact("返回")
    child.send(DOWN * 2 + ENTER)  # tx
    child.expect_exact("符合条件的 2 道试题都因法律修订待复核，管理员复核前不能练习。")
    child.expect_exact("请选择练习方式")
    child.expect_exact("退出")
    child.send(DOWN + ENTER)  # 按专题练习
    child.expect_exact("返回")
    child.send(DOWN + ENTER)  # tl
    child.expect_exact("另有 4 道试题因法律修订待复核，本轮不练习。")
    child.expect_exact("练习开始，共 2 题。")
    child.expect_exact("练习 1/2 · 判断")
    child.expect_exact("Ctrl-C 结束）")
    child.send("\x03")
    child.expect_exact("练习已中止。")
    child.expect_exact("请选择练习方式")
    child.expect_exact("退出")
    child.send(DOWN * 6 + ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = shown(log)
    assert "甲二" not in screen and "乙一" not in screen
    # the topic keys (law, tl, tx) are the banks' own data, not words of the UI
    assert leaks(re.sub(r"\b(law|tl|tx)(?=（)", "", screen), "practice") == []
