"""A first sign-in's own PIN (choose_pin) and the shared terminal (Kiosk), through their
seams: a scripted console for the kiosk's prompts, ScriptedPrompter for the quiz."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from studyhub.admin import auth
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import InputError, StudyhubError
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Staff
from studyhub.quiz.kiosk import Kiosk
from studyhub.quiz.prompter import InputEnded, ScriptedPrompter
from studyhub.quiz.signin import choose_pin

INITIAL, OWN, OTHER, ADMIN = "135792", "864213", "246801", "246810"
CLEAR = "<clear>"


class ScriptedConsole:
    """The kiosk's prompts, scripted: a string is typed, KeyboardInterrupt is Ctrl-C,
    EOFError is the end of input; running out fails the test (never a hang)."""

    def __init__(self, entries: list[Any], *, gone: bool = False) -> None:
        self.entries = list(entries)
        self.gone = gone
        self.shown: list[str] = []
        self.asked: list[tuple[str, bool]] = []

    def ask(self, prompt: str, *, secret: bool = False) -> str:
        self.asked.append((prompt, secret))
        if not self.entries:
            raise AssertionError(f"the console script ran out at {prompt!r}")
        entry = self.entries.pop(0)
        if entry in (KeyboardInterrupt, EOFError):
            raise entry
        return str(entry)

    def show(self, text: str) -> None:
        self.shown.append(text)

    def clear(self) -> None:
        self.shown.append(CLEAR)

    def hung_up(self) -> bool:
        return self.gone


@pytest.fixture
def secured(org: Database) -> Database:
    """An admin A1; S1 with an initial PIN; S2 with their own PIN."""
    with org.session() as session:
        session.add(Staff(staff_no="A1", name="管理员", role="admin"))
    auth.set_pin(org, "A1", ADMIN, must_change=False)
    auth.set_pin(org, "S1", INITIAL)
    auth.set_pin(org, "S2", OTHER, must_change=False)
    return org


# --- choose_pin ---------------------------------------------------------------------------


def test_choose_pin_new_pin_twice_then_signed_in(secured: Database) -> None:
    person = auth.authenticate(secured, "S1", INITIAL)
    token = auth.issue_token(secured, person)
    asked: list[str] = []
    shown: list[str] = []
    typed = iter([OWN, OWN])

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(typed)

    chosen = choose_pin(secured, person, INITIAL, ask, shown.append)
    assert (chosen.staff_no, chosen.must_change_pin) == ("S1", False)
    assert asked == ["新 PIN 码（至少 6 位数字）", "再输入一次新 PIN 码"]
    assert shown == ["首次登录，请设置您自己的 PIN 码，以后用它登录。",
                     "新 PIN 码已设置，以后请用它登录。"]  # fmt: skip
    assert auth.authenticate(secured, "S1", OWN).must_change_pin is False
    with pytest.raises(auth.AuthError):
        auth.authenticate(secured, "S1", INITIAL)
    with pytest.raises(auth.AuthError):  # like any PIN change, it ends the other sessions
        auth.verify_token(secured, token)


def test_choose_pin_asks_again_then_gives_up(secured: Database) -> None:
    person = auth.authenticate(secured, "S1", INITIAL)
    shown: list[str] = []
    # too short; the initial PIN again; two entries that differ: three refusals
    typed = iter(["1234", INITIAL, OWN, OWN[::-1]])
    with pytest.raises(InputError) as refused:
        choose_pin(secured, person, INITIAL, lambda prompt: next(typed), shown.append)
    assert shown[1:] == [
        "PIN 码至少 6 位数字，请重新输入。",
        "新 PIN 码与原 PIN 码相同，请重新输入。",
        "两次输入的 PIN 码不一致，请重新设置。",
    ]
    assert refused.value.shown() == "未设置新 PIN 码，初始 PIN 码仍然有效"
    assert auth.authenticate(secured, "S1", INITIAL).must_change_pin is True


# --- the kiosk ----------------------------------------------------------------------------


def test_two_people_one_after_the_other(secured: Database, exam: ExamInfo) -> None:
    """S2 signs in and leaves their menu; S1 signs in for the first time (three PIN
    entries) and leaves theirs; then only an admin closes the kiosk."""
    console = ScriptedConsole([
        "S2", OTHER, "",  # Enter: the next person
        "S1", INITIAL, OWN, OWN, "",
        KeyboardInterrupt, "A1", ADMIN,
    ])  # fmt: skip
    prompter = ScriptedPrompter(["退出", "退出"])
    Kiosk(secured, console, prompter).run()

    assert console.entries == [] and prompter.answers == []
    assert [a.message for a in prompter.asked] == ["请选择考试", "请选择考试"]
    assert any("年度考试" in option for option in prompter.asked[0].options)  # their menu
    assert [line for line in prompter.shown if "您好" in line] == [
        "李四（S2），您好。", "张三（S1），您好。"
    ]  # fmt: skip
    assert console.asked == [
        ("工号：", False), ("PIN 码：", True), ("按回车键，换下一位登录。", False),
        ("工号：", False), ("PIN 码：", True), ("新 PIN 码（至少 6 位数字）：", True),
        ("再输入一次新 PIN 码：", True), ("按回车键，换下一位登录。", False),
        ("工号：", False), ("管理员工号：", False), ("PIN 码：", True),
    ]  # fmt: skip
    shown = console.shown
    assert shown[0] == CLEAR
    first_out = shown.index("李四（S2）已退出登录。")
    assert shown[first_out + 1] == CLEAR  # the next person sees nothing of the last one
    assert shown[shown.index("张三（S1）已退出登录。") + 1] == CLEAR
    assert shown[-1] == "考试终端已关闭。"
    everything = "\n".join(shown + prompter.shown)
    assert not any(pin in everything for pin in (INITIAL, OWN, OTHER, ADMIN))
    assert auth.authenticate(secured, "S1", OWN).must_change_pin is False


def test_only_an_admin_closes_it(secured: Database) -> None:
    console = ScriptedConsole([
        KeyboardInterrupt, "",  # Ctrl-C, then Enter alone: back to waiting
        KeyboardInterrupt, "S2", OTHER,  # not an admin
        KeyboardInterrupt, "A1", "000000",  # a wrong PIN
        EOFError, KeyboardInterrupt,  # Ctrl-D is Ctrl-C; Ctrl-C at the admin prompt: back
        "S9", "123456",  # a person with a wrong staff number: said, and the next try
        KeyboardInterrupt, "A1", ADMIN,
    ])  # fmt: skip
    Kiosk(secured, console, ScriptedPrompter()).run()
    assert console.entries == []
    said = [line for line in console.shown if line.startswith(("错误", "S2", "考试终端已"))]
    assert said == [
        "S2 不是管理员，考试终端继续运行。",
        "错误：工号或 PIN 码错误",
        "错误：工号或 PIN 码错误",
        "考试终端已关闭。",
    ]
    assert console.shown.count("关闭考试终端须由管理员输入工号和 PIN 码；直接按回车键返回。") == 5
    # a refused sign-in clears the screen first: a PIN typed as the staff number was echoed
    errors = [n for n, line in enumerate(console.shown) if line.startswith("错误")]
    assert [console.shown[n - 1] for n in errors] == [CLEAR, CLEAR]


def test_a_turn_ends_on_ctrl_c_input_ended_or_an_error(secured: Database) -> None:
    """Whatever ends a person's quiz ends their turn only: they are signed out, the screen
    is cleared and the kiosk waits for the next person. The kiosk's exam is theirs."""
    ends: list[BaseException] = [
        KeyboardInterrupt(),
        InputEnded("input ended"),
        StudyhubError("the exam is closed"),
    ]
    runs: list[tuple[str | None, str | None]] = []

    class Session:
        def __init__(self, database: Database, prompter: object, *, staff_no: str) -> None:
            self.staff_no = staff_no

        def run(self, exam: str | None = None) -> list[object]:
            runs.append((self.staff_no, exam))
            raise ends.pop(0)

    console = ScriptedConsole(["S2", OTHER, ""] * 3 + [KeyboardInterrupt, "A1", ADMIN])
    Kiosk(secured, console, ScriptedPrompter(), exam="e1", session=Session).run()
    assert runs == [("S2", "e1")] * 3
    assert console.shown.count("李四（S2）已退出登录。") == 3
    assert "错误：the exam is closed" in console.shown
    assert console.shown[-1] == "考试终端已关闭。"


def test_a_terminal_that_has_gone_ends_the_kiosk(secured: Database) -> None:
    console = ScriptedConsole([EOFError], gone=True)
    Kiosk(secured, console, ScriptedPrompter()).run()
    assert console.entries == [] and "考试终端已关闭。" not in console.shown


# --- the command ----------------------------------------------------------------------------


def run(db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    return result.exit_code, result.stderr


def test_kiosk_refusals(db_url: str, org: Database) -> None:
    assert run(db_url, "quiz", "--kiosk") == (
        1,
        "错误：考试终端模式须用 PIN 码登录，但还没有人设置 PIN 码\n"
        "提示：先运行 studyhub init --admin 工号，"
        "再用 studyhub staff set-pin 工号 设置初始 PIN 码\n",
    )
    with org.session() as session:
        session.add(Staff(staff_no="A1", name="管理员", role="admin"))
    auth.set_pin(org, "A1", ADMIN, must_change=False)
    code, err = run(db_url, "quiz", "--kiosk", "--staff", "S1")
    assert (code, err) == (
        1, "错误：考试终端模式逐人询问工号和 PIN 码，不能同时使用 --staff 或 --pin-stdin\n"
    )  # fmt: skip
    # no terminal (a script): refused before anyone is asked for anything
    assert run(db_url, "quiz", "--kiosk") == (1, "错误：考试终端模式须在终端中运行\n")
