"""Signing in to the quiz in a real pseudo-terminal, in Chinese: a first sign-in in one step
(three PIN entries, then the menu; a restart asks nothing), ``--staff NO`` on a terminal
where someone else is signed in, and ``quiz --kiosk`` serving two people in a row."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.admin import auth
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Staff
from tests.quiz.pty import DOWN, ENTER, TIMEOUT, UP, Terminals

pexpect = pytest.importorskip("pexpect")

INITIAL, OWN, OTHER = "135792", "864213", "246801"


def secure(org: Database) -> None:
    """An admin A1; S1 with an initial PIN (never signed in); S2 with their own PIN."""
    with org.session() as session:
        session.add(Staff(staff_no="A1", name="管理员", role="admin"))
    auth.set_pin(org, "A1", "246810", must_change=False)
    auth.set_pin(org, "S1", INITIAL)
    auth.set_pin(org, "S2", OTHER, must_change=False)


@pytest.fixture
def spawn(terminal: Terminals) -> Terminals:
    return terminal


def screen(child: object) -> str:
    return child.logfile_read.getvalue()  # type: ignore[attr-defined]


def pin_prompts(text: str) -> int:
    """How many PIN prompts were answered: lines that name the PIN and end with a colon
    (a hidden input echoes nothing after it)."""
    lines = [line.rstrip() for line in text.splitlines()]
    return sum(1 for line in lines if "PIN 码" in line and line.endswith((":", "：")))


def finish(child: object) -> int:
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.close()  # type: ignore[attr-defined]
    status = child.exitstatus  # type: ignore[attr-defined]
    return int(status if status is not None else -1)


def quit_menu(child: object) -> None:
    """At the exam menu (one exam, then 退出): go to 退出 and take it."""
    child.expect_exact("请选择考试")  # type: ignore[attr-defined]
    child.expect_exact("退出")  # type: ignore[attr-defined]
    child.send(UP)  # type: ignore[attr-defined]  # from the top round to 退出, the last
    child.send(ENTER)  # type: ignore[attr-defined]


def saved_staff(app_home: Path) -> str | None:
    import json

    path = app_home / "session.json"
    if not path.exists():
        return None
    return str(json.loads(path.read_text(encoding="utf-8"))["staff_no"])


def test_a_first_sign_in_takes_three_pin_entries_and_a_restart_none(
    org: Database, exam: ExamInfo, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    secure(org)
    child = spawn("quiz")
    child.expect_exact("工号: ")
    child.sendline("S1")
    child.expect_exact("PIN 码: ")
    child.sendline(INITIAL)  # 1
    child.expect_exact("首次登录，请设置您自己的 PIN 码")
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)  # 2
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN)  # 3
    child.expect_exact("新 PIN 码已设置")
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 3
    for pin in (INITIAL, OWN):
        assert pin not in screen(child)  # hidden input: never echoed
    assert auth.authenticate(org, "S1", OWN).must_change_pin is False
    assert saved_staff(app_home) == "S1"

    # started again within the sign-in's 8 hours: straight to the menu, no PIN
    child = spawn("quiz")
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 0
    assert "工号" not in screen(child)


def test_login_with_an_initial_pin_goes_on_to_choose_one(
    org: Database, exam: ExamInfo, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    secure(org)
    child = spawn("login", "--staff", "S1")
    child.expect_exact("PIN 码: ")
    child.sendline(INITIAL)
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN)
    child.expect_exact("已登录：S1 张三")
    assert finish(child) == 0
    assert "请先修改初始 PIN 码" not in screen(child)
    assert pin_prompts(screen(child)) == 3
    child = spawn("quiz")  # signed in with their own PIN: the menu at once
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 0


def test_a_saved_sign_in_with_an_initial_pin(
    org: Database, exam: ExamInfo, db_url: str, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    """Signed in by a script (login --pin-stdin) with the initial PIN: the quiz asks that
    PIN once more (it is not kept anywhere) and then the new one twice."""
    secure(org)
    login = CliRunner().invoke(
        cli, ["--db", db_url, "login", "--staff", "S1", "--pin-stdin"], input=INITIAL + "\n"
    )
    assert login.exit_code == 0, login.stderr
    child = spawn("quiz")
    child.expect_exact("PIN 码: ")
    child.sendline(INITIAL)
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN)
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 3
    assert saved_staff(app_home) == "S1"
    child = spawn("quiz")  # the session saved after the change is valid
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 0


def test_a_refused_new_pin_is_asked_again(
    org: Database, exam: ExamInfo, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    """Too short, then two entries that differ: each said, and the new PIN asked again.
    With --staff the 工号 is not asked, and the sign-in is for this run alone."""
    secure(org)
    child = spawn("quiz", "--staff", "S1")
    child.expect_exact("PIN 码: ")
    child.sendline(INITIAL)
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline("1234")
    child.expect_exact("PIN 码至少 6 位数字，请重新输入。")
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN[::-1])
    child.expect_exact("两次输入的 PIN 码不一致，请重新设置。")
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN)
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    assert finish(child) == 0
    assert "工号: " not in screen(child)
    assert auth.authenticate(org, "S1", OWN).staff_no == "S1"
    assert saved_staff(app_home) is None


def test_staff_on_a_terminal_where_someone_else_is_signed_in(
    org: Database, exam: ExamInfo, db_url: str, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    """S2 is signed in (saved); `quiz --staff S1` asks S1's PIN (a first sign-in: new PIN
    twice), runs as S1, and leaves S2's sign-in as it was; then `practice --staff S1` the
    same way, with S1's own PIN."""
    secure(org)
    login = CliRunner().invoke(
        cli, ["--db", db_url, "login", "--staff", "S2", "--pin-stdin"], input=OTHER + "\n"
    )
    assert login.exit_code == 0, login.stderr
    saved = (app_home / "session.json").read_text(encoding="utf-8")

    child = spawn("quiz", "e1", "--staff", "S1")
    child.expect_exact("此处已登录的是 S2。本次以 S1 的身份进行，请输入 S1 的 PIN 码")
    child.expect_exact("PIN 码: ")
    child.sendline(INITIAL)
    child.expect_exact("新 PIN 码（至少 6 位数字）: ")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码: ")
    child.sendline(OWN)
    child.expect_exact("张三（S1），您好。")
    child.expect_exact("开始第 1 次作答吗")  # the start page
    child.send("y" + ENTER)
    child.expect_exact("第 1/10 题")
    child.expect_exact("g 答题卡")  # the question's prompt is up (its footer is drawn)
    child.sendcontrol("c")  # leave: the attempt stays open
    child.expect_exact("离开")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    assert pin_prompts(screen(child)) == 3
    assert attempts.get_attempt(org, 1, "S1").status == "in_progress"
    assert (app_home / "session.json").read_text(encoding="utf-8") == saved  # S2's, untouched

    # practice too: it runs as S1, who has an attempt open (S2 has none), so it is refused
    child = spawn("practice", "--staff", "S1")
    child.expect_exact("请输入 S1 的 PIN 码")
    child.expect_exact("PIN 码: ")
    child.sendline(OWN)
    child.expect_exact("错误：您正在作答考试 e1")
    assert finish(child) == 1
    assert (app_home / "session.json").read_text(encoding="utf-8") == saved


def test_the_kiosk_serves_two_people_and_only_an_admin_closes_it(
    org: Database, exam: ExamInfo, spawn, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    secure(org)
    child = spawn("quiz", "--kiosk")
    # the first person: their own PIN, their menu, then signed out
    child.expect_exact("考试终端：请输入工号和 PIN 码登录。")
    child.expect_exact("工号：")
    child.sendline("S2")
    child.expect_exact("PIN 码：")
    child.sendline(OTHER)
    child.expect_exact("李四（S2），您好。")
    quit_menu(child)
    child.expect_exact("李四（S2）已退出登录。")
    child.expect_exact("按回车键，换下一位登录。")
    child.sendline("")
    child.expect_exact("\x1b[3J")  # the screen and its scrollback are cleared
    # the next person: a first sign-in in one step
    child.expect_exact("工号：")
    child.sendline("S1")
    child.expect_exact("PIN 码：")
    child.sendline(INITIAL)
    child.expect_exact("新 PIN 码（至少 6 位数字）：")
    child.sendline(OWN)
    child.expect_exact("再输入一次新 PIN 码：")
    child.sendline(OWN)
    child.expect_exact("张三（S1），您好。")
    quit_menu(child)
    child.expect_exact("张三（S1）已退出登录。")
    child.sendline("")
    # Ctrl-C, Ctrl-\ and Ctrl-Z do not leave: Ctrl-C asks for an admin
    child.expect_exact("工号：")
    child.sendcontrol("\\")
    child.sendcontrol("z")
    child.sendcontrol("c")
    child.expect_exact("关闭考试终端须由管理员输入工号和 PIN 码")
    child.expect_exact("管理员工号：")
    child.sendline("")  # Enter alone: back to waiting
    child.expect_exact("工号：")
    child.sendcontrol("c")
    child.expect_exact("管理员工号：")
    child.sendline("S2")
    child.expect_exact("PIN 码：")
    child.sendline(OTHER)
    child.expect_exact("S2 不是管理员，考试终端继续运行。")
    child.expect_exact("工号：")
    assert child.isalive()
    child.sendcontrol("c")
    child.expect_exact("管理员工号：")
    child.sendline("A1")
    child.expect_exact("PIN 码：")
    child.sendline("246810")
    child.expect_exact("考试终端已关闭。")
    assert finish(child) == 0
    text = screen(child)
    for pin in (INITIAL, OWN, OTHER, "246810"):
        assert pin not in text
    assert auth.authenticate(org, "S1", OWN).must_change_pin is False
    assert saved_staff(app_home) is None  # the kiosk keeps no sign-in


def test_the_kiosk_ends_when_its_terminal_goes(org: Database, exam: ExamInfo, db_url: str) -> None:
    """Ctrl-D on a live terminal is taken as Ctrl-C (an admin is asked for); a terminal that
    has gone ends the kiosk (even with SIGHUP ignored, as under nohup) instead of spinning on
    the end of input."""
    import time

    secure(org)
    env = dict(os.environ, TERM="xterm", PYTHONUNBUFFERED="1")
    env.pop("STUDYHUB_LANG", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "studyhub", "--db", db_url, "quiz", "--kiosk"], env=env,
        encoding="utf-8", timeout=TIMEOUT,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )  # fmt: skip
    try:
        child.expect_exact("工号：")
        child.sendeof()
        child.expect_exact("管理员工号：")
        child.sendline("")
        child.expect_exact("工号：")
        os.close(child.child_fd)  # the terminal goes away
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the kiosk did not end when its terminal went away")
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
