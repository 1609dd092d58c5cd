"""The questionary front end, driven by key presses through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.quiz.prompter import InputEnded
from studyhub.quiz.session import QuizSession
from studyhub.quiz.terminal import TerminalPrompter
from tests.quiz.test_session import open_attempt

DOWN, UP, LEFT, RIGHT_KEY = "\x1b[B", "\x1b[A", "\x1b[D", "\x1b[C"
ENTER, SPACE, CTRL_C = "\r", " ", "\x03"
PAGE_UP, PAGE_DOWN, CTRL_F = "\x1b[5~", "\x1b[6~", "\x06"

#: the start page (开始第 N 次作答？, default No): y moves to 是, Enter takes it
START = "y" + ENTER
#: the review (its first page is the result): q leaves it
BACK = "q"

#: key presses answering questions 1-10 of the ordered exam right, one string per prompt
RIGHT = [
    DOWN + ENTER, DOWN + ENTER, DOWN + ENTER, DOWN + ENTER,  # single: B
    SPACE + DOWN + DOWN + SPACE + ENTER, SPACE + DOWN + DOWN + SPACE + ENTER,  # multiple: A, C
    ENTER, ENTER,  # judge: 正确 is first
    "甲" + ENTER, "甲" + ENTER,  # fill
]  # fmt: skip


class KeyedPrompter(TerminalPrompter):
    """Sends the next prompt's key presses into the pipe just before the prompt runs, so no
    prompt can read keys meant for the next one; fails loudly when the keys run out."""

    def __init__(self, pipe: PipeInput, keys: list[str]) -> None:
        self.out = io.StringIO()
        super().__init__(input=pipe, output=DummyOutput(), stream=self.out)
        self.pipe = pipe
        self.keys = list(keys)
        self.prompts = 0

    def _run(self, question: Any) -> Any:
        if not self.keys:
            raise InputEnded("no key presses left for this prompt")
        self.pipe.send_text(self.keys.pop(0))
        self.prompts += 1
        return super()._run(question)


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


def test_arrow_keys_space_and_enter_answer_a_whole_exam(
    org: Database, exam: ExamInfo, pipe: PipeInput
) -> None:
    prompter = KeyedPrompter(pipe, [START, *RIGHT, ENTER, ENTER, BACK])  # 交卷, confirm: yes
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert prompter.keys == []
    assert outcome.result is not None and outcome.result.score == Decimal(100)
    out = prompter.out.getvalue()
    assert "第 1/10 题 · 单选 · 10 分 · 剩余 " in out
    assert "  得分:   100/100" in out


def test_back_skip_flag_keys_and_preselected_answers(
    org: Database, exam: ExamInfo, pipe: PipeInput
) -> None:
    keys = [
        START,
        RIGHT[0],  # 1: B
        "f",  # 2: flag
        RIGHT_KEY,  # 2: skip
        LEFT,  # 3: back to 2
        ENTER,  # 2: A (wrong)
        PAGE_UP,  # 3: back to 2
        DOWN + ENTER,  # 2: the pointer starts on the saved A: down to B
        *RIGHT[2:8],  # 3-8
        PAGE_DOWN,  # 9 (text): skip
        CTRL_F,  # 10 (text): flag
        "甲" + ENTER,  # 10
        DOWN + ENTER,  # summary: go to unanswered 9
        "甲" + ENTER,  # 9
        ENTER,  # 10: its saved answer is the default text; Enter keeps it
        ENTER,  # summary: submit
        ENTER,  # confirm
        BACK,
    ]
    prompter = KeyedPrompter(pipe, keys)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert prompter.keys == []
    out = prompter.out.getvalue()
    assert "已标记第 2 题。" in out and "已标记第 10 题。" in out
    assert "  已标记:   2（第 2, 10 题）" in out
    assert "  未答:     1（第 9 题）" in out
    assert outcome.result is not None and outcome.result.score == Decimal(100)


def test_ctrl_c_then_leave_then_resume(org: Database, exam: ExamInfo, pipe: PipeInput) -> None:
    keys = [START, *RIGHT[:3], CTRL_C, ENTER, CTRL_C, DOWN + ENTER]  # go on, then leave
    prompter = KeyedPrompter(pipe, keys)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert outcome.left_open and prompter.keys == []
    assert "已离开。已保存 3/10 题的答案" in prompter.out.getvalue()
    assert [i.response for i in open_attempt(org).items[:4]] == [[1], [1], [1], None]

    # resume: question 4 first; going back shows 3 with its answer preselected (Enter keeps)
    keys = [LEFT, ENTER, *RIGHT[3:], ENTER, ENTER, BACK]
    prompter = KeyedPrompter(pipe, keys)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    out = prompter.out.getvalue()
    assert "继续第 1 次作答：已答 3/10 题，从第 4 题开始。" in out
    headers = [line.split(" · ")[0] for line in out.splitlines() if line.startswith("第 ")]
    assert headers[:3] == ["第 4/10 题", "第 3/10 题", "第 4/10 题"]
    assert outcome.result is not None and outcome.result.score == Decimal(100)


def test_keys_running_out_is_an_error(org: Database, exam: ExamInfo, pipe: PipeInput) -> None:
    prompter = KeyedPrompter(pipe, [START, *RIGHT[:2]])
    with pytest.raises(InputEnded):
        QuizSession(org, prompter, staff_no="S1").run("e1")
    assert [i.response for i in open_attempt(org).items[:3]] == [[1], [1], None]


def test_a_key_hint_that_would_break_goes_on_a_line_of_its_own(pipe: PipeInput) -> None:
    """On an 80-column screen: after a short question the hint follows it; after one whose
    last screen line has no room left, the hint starts a line of its own (never "（↑" on
    one line and "↓ 选择" on the next)."""
    prompter = KeyedPrompter(pipe, [])
    hint = " （↑↓ 选择，回车确认）"  # 22 columns
    assert prompter._hint("短问题？", hint) == hint
    long = "依照民法典的规定，" * 6  # 108 columns: 2 + 108 = 110, 30 used on the second line
    assert prompter._hint(long, hint) == hint
    longer = "依" * 28  # 2 + 56 = 58 columns, 22 more is 80: no room for the closing bracket
    assert prompter._hint(longer, hint) == "\n  （↑↓ 选择，回车确认）"
    assert prompter._hint("第一行\n" + "依" * 20, hint) == hint  # only the last line counts
    assert prompter._hint("问题", "") is None


@pytest.mark.parametrize(("keys", "words"), [(ENTER, "未选任何一项"), (" " + ENTER, "[甲]")])
def test_a_checkbox_answered_says_so_in_chinese(pipe: PipeInput, keys: str, words: str) -> None:
    """questionary writes "done" after a checkbox left with nothing ticked (and "done (N
    selections)" for several): the screen shows Chinese instead."""
    from prompt_toolkit.output.plain_text import PlainTextOutput

    screen = io.StringIO()
    prompter = TerminalPrompter(input=pipe, output=PlainTextOutput(screen))
    pipe.send_text(keys)
    assert prompter.ask_checkbox("哪些？", ["甲", "乙"]) == ([] if keys == ENTER else [0])
    shown = screen.getvalue()
    assert f"哪些？ {words}" in shown and "done" not in shown, shown
