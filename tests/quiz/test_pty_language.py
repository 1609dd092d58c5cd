"""In a real pseudo-terminal, in Chinese: a whole quiz (questionary's menus, checkboxes,
text input, the summary and the 是/否 confirmation) and a practice show no English word
outside the allow-list of tests/test_ui_language.py."""

from __future__ import annotations

import io
import os
import signal
import sys

import pytest

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from tests.test_ui_language import ANSI, leaks

pexpect = pytest.importorskip("pexpect")
DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


def spawn(args: list[str], log: io.StringIO) -> object:
    env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", PYTHONUNBUFFERED="1")
    env.pop("STUDYHUB_LANG", None)
    child = pexpect.spawn(sys.executable, ["-m", "studyhub", *args], env=env,
                          encoding="utf-8", dimensions=(40, 120), timeout=20)  # fmt: skip
    child.logfile_read = log
    return child


def screen_leaks(log: io.StringIO, where: str) -> list[str]:
    text = ANSI.sub("", log.getvalue()).replace("\r", "\n")
    return leaks(text, where)


def test_a_quiz_and_a_practice_in_a_terminal_are_chinese(
    org: Database, exam: ExamInfo, db_url: str
) -> None:
    log = io.StringIO()
    child = spawn(["--db", db_url, "quiz", "e1", "--staff", "S1"], log)
    try:
        child.expect_exact("开始第 1 次作答吗")  # type: ignore[attr-defined]
        child.send("y" + ENTER)  # type: ignore[attr-defined]
        for n in range(1, 11):
            child.expect_exact(f"第 {n}/10 题 · ")  # type: ignore[attr-defined]
            keys = SPACE + DOWN + SPACE + ENTER if n in (5, 6) else ENTER
            child.send(keys)  # type: ignore[attr-defined]
        child.expect_exact("交卷")  # type: ignore[attr-defined]
        child.send(ENTER)  # type: ignore[attr-defined]
        child.expect_exact("确定交卷吗")  # type: ignore[attr-defined]
        child.send("y" + ENTER)  # type: ignore[attr-defined]
        for _ in range(3):  # the review: the result, then questions 1 and 2
            child.expect_exact("q 返回")  # type: ignore[attr-defined]
            child.send("\x1b[C")  # type: ignore[attr-defined]
        child.expect_exact("g 答题卡")  # type: ignore[attr-defined]
        child.send("g")  # type: ignore[attr-defined]
        child.expect_exact("跳到第几题")  # type: ignore[attr-defined]
        child.send("9" + ENTER)  # type: ignore[attr-defined]
        child.expect_exact("第 9 题 · 填空")  # type: ignore[attr-defined]
        child.expect_exact("q 返回")  # type: ignore[attr-defined]
        child.send("q")  # type: ignore[attr-defined]
        child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    finally:
        if child.isalive():  # type: ignore[attr-defined]
            child.kill(signal.SIGKILL)  # type: ignore[attr-defined]
    problems = screen_leaks(log, "quiz")
    screen = ANSI.sub("", log.getvalue())
    assert "已选 2 项" in screen, screen[screen.find("第 5/10") :][:1500]

    log = io.StringIO()
    child = spawn(
        ["--db", db_url, "practice", "--staff", "S1", "--count", "3", "--type", "single"], log
    )
    try:
        for n in range(1, 4):
            child.expect_exact(f"练习 {n}/3")  # type: ignore[attr-defined]
            child.send(ENTER)  # type: ignore[attr-defined]
            child.expect_exact("解析")  # type: ignore[attr-defined]
        child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    finally:
        if child.isalive():  # type: ignore[attr-defined]
            child.kill(signal.SIGKILL)  # type: ignore[attr-defined]
    problems += screen_leaks(log, "practice")
    assert problems == [], "\n".join(problems)
