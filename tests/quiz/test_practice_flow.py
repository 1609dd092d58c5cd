"""Practice that teaches, through the prompter seam: key hints per question type, ← back to
the previous question's feedback, the key marked beside the choice, the whole book offered
when nothing is due, the practice menu, and mock exams that count nowhere."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa
from prompt_toolkit.input import PipeInput, create_pipe_input

from studyhub.db import Database
from studyhub.exams.attempts import ItemView
from studyhub.i18n import t
from studyhub.models import Attempt, BookEntry, PracticeAnswer
from studyhub.practice import answer_practice, draw_practice
from studyhub.quiz.mock import MockSession
from studyhub.quiz.practice import PracticeSession
from studyhub.quiz.practice_menu import PracticeMenu
from studyhub.quiz.prompter import Asked, Nav, QuestionPrompt, ScriptedPrompter
from tests.exams.conftest import Define
from tests.quiz.conftest import right
from tests.quiz.test_terminal import DOWN, ENTER, LEFT, KeyedPrompter


def count(database: Database, model: object) -> int:
    with database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))  # type: ignore[arg-type]


def test_key_hints_say_what_each_type_takes() -> None:
    def hint(qtype: str, quiz_hint: str) -> str:
        item = ItemView(1, qtype, "题", ["甲", "乙"], Decimal(1))
        return QuestionPrompt("h", item, navigable=False).hint(quiz_hint)

    single = hint("single", "quiz.keys.choice")
    assert single == "（↑↓ 选择，回车作答；→ 跳过，← 上一题，Ctrl-C 结束）"
    assert "不选" not in single  # the cursor is always on an option: Enter answers
    assert hint("judge", "quiz.keys.choice") == single
    assert "空格勾选" in hint("multiple", "quiz.keys.checkbox")
    assert "PgUp 上一题" in hint("fill", "quiz.keys.text")
    # the quiz keeps its own (flags, no feedback)
    quiz = QuestionPrompt("h", ItemView(1, "single", "题", ["甲"], Decimal(1)))
    assert quiz.hint("quiz.keys.choice") == t("quiz.keys.choice")


def test_a_wrong_answer_shows_the_key_beside_the_choice(org: Database) -> None:
    """Single 乙 is the key: 甲 is marked wrong, 乙 marked as the key, both styled; a right
    answer is marked right; the options carry the marks, so no 正确答案 row is needed."""
    prompter = ScriptedPrompter(["甲", "乙"])
    PracticeSession(org, prompter, "S1").run(type="single", count=2, seed=4)
    styled = prompter.styled
    assert styled[0] == ("wrong", "✗ 回答错误（已加入错题本）")
    marks = [(style, text.split(". ", 1)[1]) for style, text in styled if ". " in text]
    assert ("wrong", "甲  ✗ 你的选择") in marks and ("right", "乙  ✓ 正确答案") in marks
    assert ("right", "乙  ✓ 你的选择") in marks  # the second answer, right
    assert "正确答案: " not in prompter.output and prompter.output.count("解析: ") == 2
    plain = [line for line in prompter.shown if "丙" in line]
    assert plain and all(not line.endswith("你的选择") for line in plain)  # unmarked


def test_judge_and_fill_feedback(org: Database) -> None:
    prompter = ScriptedPrompter([1, "乙"])  # 错误 (the key is 正确), then a wrong blank
    PracticeSession(org, prompter, "S1").run(type="judge", count=1, seed=1)
    PracticeSession(org, prompter, "S1").run(type="fill", count=1, seed=1)
    assert ("wrong", "  错误  ✗ 你的选择") in prompter.styled
    assert ("right", "  正确  ✓ 正确答案") in prompter.styled
    assert "您的答案: 乙" in prompter.output and "正确答案: 甲 / A" in prompter.output


def test_back_shows_the_previous_feedback_again(org: Database) -> None:
    """← at question 2 shows question 1 with its feedback (not asked again, not recorded
    again); from there on returns to question 2. At question 3, ← twice goes back two."""
    prompter = ScriptedPrompter(["甲", Nav.BACK, 1, "乙", Nav.BACK, -1, 1, 1, "乙"])
    outcome = PracticeSession(org, prompter, "S1").run(type="single", count=3, seed=4)
    assert (outcome.answered, outcome.right) == (3, 2)
    assert count(org, PracticeAnswer) == 3
    assert prompter.output.count("练习 1/3 · 单选（已作答）") == 2
    assert prompter.output.count("练习 2/3 · 单选（已作答）") == 2
    assert prompter.output.count("✗ 你的选择") == 3  # question 1's feedback, shown 3 times
    menus = [a for a in prompter.asked if a.kind == "menu"]
    assert [m.options for m in menus[:2]] == [
        ["继续（第 2 题）"], ["继续（第 3 题）", "再往前看（第 1 题）"],
    ]  # fmt: skip
    assert [a.position for a in prompter.asked if a.kind == "choice"] == [1, 2, 2, 3, 3]


def test_back_to_a_skipped_question_asks_it_and_f_does_nothing(org: Database) -> None:
    prompter = ScriptedPrompter([Nav.BACK, Nav.SKIP, Nav.FLAG, Nav.BACK, "乙", "乙"])
    outcome = PracticeSession(org, prompter, "S1").run(type="single", count=2, seed=4)
    assert (outcome.answered, outcome.right) == (2, 2)
    assert "已经是第一题。" in prompter.output and "已跳过。" in prompter.output
    assert [a.position for a in prompter.asked] == [1, 1, 2, 2, 1, 2]


def _book(database: Database, misses: dict[str, int]) -> None:
    items = {i.external_id: i for i in draw_practice(database, "S1", type="judge", count=50)}
    for external_id, times in misses.items():
        for _ in range(times):
            answer_practice(database, "S1", items[external_id], False)
    with database.session() as session:
        session.execute(sa.update(BookEntry).values(due=dt.datetime(2999, 1, 2, tzinfo=dt.UTC)))


def test_nothing_due_offers_the_whole_book_most_missed_first(org: Database) -> None:
    _book(org, {"law-judge-01": 1, "law-judge-02": 3})
    prompter = ScriptedPrompter([True, 0, 0])
    outcome = PracticeSession(org, prompter, "S1").run(wrong=True)
    assert (
        prompter.shown[0] == "错题本中暂无到期需要复习的题目（共 2 题，下一题 2999-01-02 到期）。"
    )
    assert prompter.asked[0].message == "现在把错题本中的 2 题全部练一遍吗？（答错次数多的在前）"
    assert prompter.asked[0].default is True
    assert [a.message for a in prompter.asked[1:]] == ["判断题2。", "判断题1。"]
    assert (outcome.answered, outcome.right) == (2, 2)
    # declined, or input gone: nothing asked
    declined = ScriptedPrompter([False])
    assert PracticeSession(org, declined, "S1").run(wrong=True).asked == 0
    assert PracticeSession(org, ScriptedPrompter([]), "S1").run(wrong=True).asked == 0


def test_an_empty_book(org: Database) -> None:
    prompter = ScriptedPrompter([])
    assert PracticeSession(org, prompter, "S2").run(wrong=True, all_book=True).asked == 0
    assert PracticeSession(org, prompter, "S2").run(wrong=True).asked == 0
    assert prompter.shown == ["错题本是空的：练习和考试中答错的题会自动记入。"]


# --- the menu ----------------------------------------------------------------------------


def test_the_menu_by_type_topic_chapter_and_book(org: Database, statute: None) -> None:
    def judge_right(asked: Asked) -> object:
        return 0

    prompter = ScriptedPrompter([
        "type", "judge", judge_right, judge_right,
        "topic", "back",
        "chapter", "示例法", "第一章 总则", right, right,
        "wrong",
        "quit",
    ])  # fmt: skip
    PracticeMenu(org, prompter, "S1").run(count=2, seed=1)
    menus = [a for a in prompter.asked if a.kind == "menu"]
    assert menus[0].message == "请选择练习方式"
    assert menus[0].options == [
        "随机练习（共 25 题）", "按专题练习", "按章节练习（法律法规的编、章）", "按题型练习",
        "错题本（到期 0 题，共 0 题）", "模拟考试（按考试的组卷规则，限时，不计成绩）", "退出",
    ]  # fmt: skip
    assert menus[1].options == [
        "单选（10 题）",
        "多选（6 题）",
        "判断（6 题）",
        "填空（3 题）",
        "返回",
    ]
    assert "练习 2/2 · 判断" in prompter.output
    assert menus[3].options == ["law（25 题）", "返回"]
    assert menus[5].options == ["中华人民共和国示例法（25 题）", "返回"]  # no 编: the 章 next
    assert menus[6].options == ["全部（25 题）", "第一章 总则（25 题）", "返回"]
    assert prompter.output.count("练习开始，共 2 题。") == 2  # by type, then by chapter
    assert "错题本是空的" in prompter.output
    assert count(org, PracticeAnswer) == 4


def test_the_menu_without_statutes_and_ctrl_c(org: Database) -> None:
    prompter = ScriptedPrompter(["chapter", KeyboardInterrupt])
    PracticeMenu(org, prompter, "S1").run()
    assert "尚未导入法律法规文本" in prompter.output and prompter.shown[-1] == "练习结束。"


def test_the_menu_shows_why_a_mock_cannot_start(org: Database, define: Define) -> None:
    define(base="key: big\ntitle: 大考\nyear: 2026\npaper:\n"
           "  rules:\n    - {topic: law, type: single, count: 4, points: 10}\n")  # fmt: skip
    with org.session() as session:  # hide all but two single-choice questions
        from studyhub.models import Question

        hide = sa.update(Question).where(
            Question.type == "single", Question.external_id > "law-single-02"
        )
        session.execute(hide.values(status="hidden"))
    prompter = ScriptedPrompter(["mock", "big", "quit"])
    PracticeMenu(org, prompter, "S1").run()
    assert [a.options for a in prompter.asked][1] == ["大考（big）：4 题，不限时", "返回"]
    assert "不能开始：按考试 big 的第 1 条组卷规则" in prompter.output


# --- mock exams --------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_mock_exam_start_to_review(org: Database, exam: object) -> None:
    """Start page, ten questions (one skipped, one flagged, then answered from the summary),
    hand in, result and review; no attempt anywhere."""
    answers: list[object] = [True]  # start
    answers += [right] * 3 + [Nav.SKIP] + [right] * 5 + [Nav.FLAG, "乙"]
    answers += [3, right]  # the summary: back to question 4 (the first unanswered)
    answers += [-1, True]  # the summary again: hand in, confirmed
    prompter = ScriptedPrompter(answers)
    result = MockSession(org, prompter, "S1", clock=Clock()).run("e1", seed=2)
    assert result is not None and result.score == Decimal(90)  # question 10 answered 乙
    out = prompter.output
    assert out.startswith("模拟考试：年度考试（e1）\n")
    assert "  限时:   60 分钟\n  及格分: 60%\n" in out and "模拟考试不计成绩：" in out
    assert prompter.asked[0].message == "开始模拟考试吗？" and prompter.asked[0].default is False
    assert "模拟考试 · 第 1/10 题 · 单选 · 10 分 · 剩余 60:00" in out
    assert "模拟考试 · 第 10/10 题 · 填空 · 10 分 · 剩余 60:00 · ★已标记" in out
    summary = next(a for a in prompter.asked if a.kind == "menu")
    assert summary.options == ["交卷", "回到第 4 题检查", "打开答题卡，按题号跳转"]
    assert "答题卡" in out and "  4○" in out and " 10⚑" in out  # the exam's card
    assert "  未答:     1（第 4 题）\n  已标记:   1（第 10 题）\n" in out
    squeezed = re.sub(r": +", ": ", out)  # without the alignment of key-value lines
    assert "模拟考试成绩：年度考试\n  得分: 90/100\n  得分率: 90%\n  等次: 优秀\n" in squeezed
    review = "第 10 题 · 填空 · ✗ 0/10 分\n填空题3：____。\n您的答案: 乙\n正确答案: 甲 / A"
    assert review in squeezed
    assert count(org, Attempt) == 0 and count(org, PracticeAnswer) == 10


def test_time_up_grades_what_was_answered_in_time(org: Database, exam: object) -> None:
    clock = Clock()

    def late(asked: Asked) -> object:
        clock.now += 3600  # the answer comes after the 60 minutes
        return right(asked)

    prompter = ScriptedPrompter([True, right, right, late])
    result = MockSession(org, prompter, "S1", clock=clock).run("e1")
    assert result is not None and result.score == Decimal(20)
    assert "时间到，按已作答的题目评分。" in prompter.output
    assert count(org, PracticeAnswer) == 2 and count(org, Attempt) == 0


def test_the_answer_card_and_the_countdown_in_a_mock(org: Database, exam: object) -> None:
    """g opens the card (a number typed: that question; Enter: stay); the summary offers the
    card too; the footer's countdown reaching 0 (Nav.TIMEUP) hands in what was answered."""
    clock = Clock()
    countdowns: list[object] = []

    class Watching(ScriptedPrompter):
        def ask_question(self, question: QuestionPrompt) -> object:
            assert question.time_left is not None and question.timed
            countdowns.append(question.time_left())
            return super().ask_question(question)

    def timeup(asked: Asked) -> object:
        clock.now += 3600
        return Nav.TIMEUP

    answers: list[object] = [True, right, Nav.CARD, "7", right]  # 1; at 2 the card: 7
    answers += [Nav.CARD, "", right, right, right]  # at 8 the card, Enter: stay; 8, 9, 10
    answers += [-2, "3", timeup]  # the summary: the card, 3; time runs out at 3
    prompter = Watching(answers)
    result = MockSession(org, prompter, "S1", clock=clock).run("e1", seed=2)
    assert result is not None
    out = prompter.output
    assert "[  2○]" in out and "  1●" in out and "[  8○]" in out
    assert "第 7/10 题" in out and "第 3/10 题" in out
    assert countdowns[0] == dt.timedelta(minutes=60)
    assert "时间到，按已作答的题目评分。" in out
    assert count(org, PracticeAnswer) == 5 and count(org, Attempt) == 0


def test_leaving_or_not_starting_a_mock_records_nothing(org: Database, exam: object) -> None:
    prompter = ScriptedPrompter([False, True, right, KeyboardInterrupt, False, right,
                                 KeyboardInterrupt, True])  # fmt: skip
    assert MockSession(org, prompter, "S1").run("e1") is None
    assert prompter.shown[-1] == "未开始模拟考试。"
    assert MockSession(org, prompter, "S1").run("e1") is None
    assert prompter.asked[-1].message == "结束模拟考试吗？本次不评分，也不记录。"
    assert prompter.shown[-1] == "模拟考试已结束，未评分，也未记录。"
    assert count(org, PracticeAnswer) == 0 and count(org, Attempt) == 0


# --- real key presses (prompt_toolkit pipe input) -----------------------------------------


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


def test_left_arrow_and_colours_with_real_keys(org: Database, pipe: PipeInput) -> None:
    """Enter answers question 1 (whatever option is under the cursor), ← at question 2
    shows it again and Enter comes back; the key is green, a wrong choice red."""
    items = draw_practice(org, "S1", type="single", count=2, seed=4)
    wrong_first = next(i for i, option in enumerate(items[0].options) if option != "乙")
    keys = [DOWN * wrong_first + ENTER, LEFT, ENTER, ENTER]
    prompter = KeyedPrompter(pipe, keys)
    outcome = PracticeSession(org, prompter, "S1").drill(items, "practice")
    assert (outcome.answered, outcome.right) == (2, 1 if items[1].options[0] == "乙" else 0)
    out = prompter.out.getvalue()
    assert "练习 1/2 · 单选（已作答）" in out
    assert "\x1b[1;31m" in out and "✗ 你的选择\x1b[0m" in out
    assert "\x1b[1;32m" in out and "✓ 正确答案\x1b[0m" in out
    assert prompter.keys == []
