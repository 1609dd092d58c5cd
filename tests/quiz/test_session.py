"""The quiz flow (QuizSession) with scripted answers: no terminal involved."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from studyhub import i18n
from studyhub.db import Database
from studyhub.errors import InputError, NotFoundError, PermissionDenied, StudyhubError
from studyhub.exams import attempts
from studyhub.exams.attempts import AttemptRefused
from studyhub.exams.definitions import ExamInfo
from studyhub.models import Attempt
from studyhub.quiz.prompter import Asked, InputEnded, Nav, ScriptedPrompter
from studyhub.quiz.session import QuizSession
from tests.exams.conftest import Define, shift_clock
from tests.quiz.conftest import ORDERED, right, wrong

#: the answer at an exam's start page (开始第 N 次作答？): yes
START = True


def open_attempt(database: Database, staff_no: str = "S1") -> attempts.AttemptView:
    from studyhub.models import Staff

    with database.session() as session:
        attempt_id = session.scalar(
            sa.select(Attempt.id)
            .join(Staff, Staff.id == Attempt.staff_id)
            .where(Staff.staff_no == staff_no, Attempt.status == "in_progress")
        )
    assert attempt_id is not None
    return attempts.get_attempt(database, attempt_id, staff_no)


def headers(prompter: ScriptedPrompter) -> list[str]:
    return [line for line in prompter.shown if re.match(r"第 \d+/\d+ 题 · ", line)]


def test_whole_exam_with_back_skip_flag_summary_and_review(
    org: Database, exam: ExamInfo, statute: None
) -> None:
    saved_before_q3: list[object] = []

    def check_saved(asked: Asked) -> object:
        # every answer is saved the moment it is given, not at the end
        saved_before_q3.extend(i.response for i in open_attempt(org).items[:2])
        return Nav.BACK

    script = [
        START,  # the start page: 开始第 1 次作答？ 是
        right,  # 1
        Nav.FLAG,  # 2: flagged, asked again
        Nav.SKIP,  # 2 -> 3
        Nav.BACK,  # 3 -> 2
        wrong,  # 2 answered wrongly
        check_saved,  # 3: back to 2 to change the answer
        right,  # 2 changed
        *[right] * 7,  # 3..9
        Nav.SKIP,  # 10 skipped -> summary
        "回到未答的第 10 题",
        right,  # 10 -> summary again
        "交卷",
        True,
    ]
    prompter = ScriptedPrompter(script)
    outcomes = QuizSession(org, prompter, staff_no="S1").run("e1")

    assert prompter.answers == []
    assert saved_before_q3 == [[1], [0]]
    seen = headers(prompter)
    assert seen[0].startswith("第 1/10 题 · 单选 · 10 分 · 剩余 ")
    assert re.fullmatch(r"第 1/10 题 · 单选 · 10 分 · 剩余 (60:00|59:5\d)", seen[0])
    assert seen[2].endswith("★已标记") and seen[2].startswith("第 2/10 题")
    assert [h.split(" · ")[0] for h in seen] == [
        "第 1/10 题", "第 2/10 题", "第 2/10 题", "第 3/10 题", "第 2/10 题", "第 3/10 题",
        "第 2/10 题", "第 3/10 题", "第 4/10 题", "第 5/10 题", "第 6/10 题", "第 7/10 题",
        "第 8/10 题", "第 9/10 题", "第 10/10 题", "第 10/10 题",
    ]  # fmt: skip
    assert "第 5/10 题 · 多选 · 10 分" in seen[9]
    assert "第 7/10 题 · 判断 · 10 分" in seen[11]
    assert "第 9/10 题 · 填空 · 10 分" in seen[13]
    # the answer changed at question 2 was preselected when coming back
    second_visits = [a for a in prompter.asked if a.position == 2]
    assert [a.default for a in second_visits] == [None, None, None, 0]
    # the summary: answered, unanswered, flagged
    out = prompter.output
    assert "交卷前检查" in out
    assert "  已答:     9/10\n  未答:     1（第 10 题）\n  已标记:   1（第 2 题）\n" in out
    assert "  已答:     10/10\n  未答:     0\n" in out
    confirm = [a for a in prompter.asked if a.kind == "confirm"]
    # the start page comes first, and starting is a decision whose default is No
    assert (confirm[0].message, confirm[0].default) == (
        "开始第 1 次作答吗？开始后将计入作答次数",
        False,
    )
    assert out.index("━━ 年度考试（e1）━━") < out.index("第 1/10 题")
    for line in (
        "  试题:     共 10 题，满分 100 分",
        "  作答次数: 已用 0 次，还剩 ",
        "  计分方式: ",
        "  及格分:   60%",
        "时间到时，系统按已保存的答案自动交卷",
    ):
        assert line in out, line
    assert confirm[1].message == "交卷后不能再修改答案，确定交卷吗？"
    # the review is paged (q leaves it), so no 按回车返回 after it
    assert [a.kind for a in prompter.asked if a.kind == "pause"] == []
    # score, band, pass and the review with 解析 and the statute text
    (outcome,) = outcomes
    assert outcome.result is not None
    assert (outcome.result.score, outcome.result.band, outcome.result.passed) == (
        Decimal(100), "优秀", True
    )  # fmt: skip
    assert "  得分:   100/100" in out
    assert "  等次:   优秀" in out
    assert "  结果:   及格" in out
    assert "答题回顾" in out
    assert "第 2 题 · 单选 · ✓ 答对 · 10/10 分" in out
    assert re.search(r"^解析:     解析\d+$", out, re.M)
    assert "出处:     示例法 第1条" in out
    assert "为了示例，制定本法。" in out
    stored = attempts.result(org, outcome.result.attempt_id, "S1")
    assert stored.score == Decimal(100)


def test_review_without_stored_statute_shows_the_citation(org: Database, define: Define) -> None:
    define(ORDERED + "review: wrong\n")
    script = [START, wrong, *[right] * 9, "交卷", True]
    prompter = ScriptedPrompter(script)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert outcome.result is not None and outcome.result.score == Decimal(90)
    out = prompter.output
    assert "错题回顾" in out
    assert "第 1 题 · 单选 · ✗ 答错 · 0/10 分" in out
    assert "您的答案: A. 甲" in out
    assert "正确答案: B. 乙" in out
    assert "出处:     示例法 第1条" in out
    assert "第 2 题" not in out.split("错题回顾")[1]


def test_score_only_review(org: Database, define: Define) -> None:
    define(ORDERED + "review: score\npass_mark: 95\n")
    prompter = ScriptedPrompter([START, wrong, *[right] * 9, "交卷", True])
    QuizSession(org, prompter, staff_no="S1").run("e1")
    out = prompter.output
    assert "  结果:   不及格" in out and "  等次:   优秀" in out
    assert "本考试交卷后只显示分数。" in out
    assert "回顾" not in out
    # a result on one screen waits for Enter before anything else
    assert prompter.asked[-1].kind == "pause" and prompter.asked[-1].message == "按回车返回"


def test_leave_mid_way_and_resume(org: Database, exam: ExamInfo) -> None:
    first = ScriptedPrompter([START, right, right, wrong, KeyboardInterrupt, False,
                              KeyboardInterrupt, "离开（本次作答保留，可稍后继续）"])  # fmt: skip
    (outcome,) = QuizSession(org, first, staff_no="S1").run("e1")
    assert outcome.left_open and outcome.result is None
    assert "已离开。已保存 3/10 题的答案，再次进入本考试即可继续作答。" in first.output
    # Ctrl-C then "go on" asked question 4 again
    assert headers(first)[-2:][0].startswith("第 4/10 题") and len(headers(first)) == 5
    view = open_attempt(org)
    assert [i.response for i in view.items[:4]] == [[1], [1], [0], None]

    second = ScriptedPrompter([Nav.BACK, Nav.BACK, right, Nav.SKIP, *[right] * 7, "交卷", True])
    (outcome,) = QuizSession(org, second, staff_no="S1").run("e1")
    assert "继续第 1 次作答：已答 3/10 题，从第 4 题开始。" in second.output
    assert headers(second)[0].startswith("第 4/10 题")
    # the saved answers are preselected when going back
    assert [(a.position, a.default) for a in second.asked[:3]] == [(4, None), (3, 0), (2, 1)]
    assert outcome.result is not None
    assert outcome.result.score == Decimal(90) and outcome.result.number == 1


def test_flags_are_saved_and_shown_again_after_a_crash(org: Database, exam: ExamInfo) -> None:
    first = ScriptedPrompter([START, right, Nav.FLAG, right, Nav.FLAG, Nav.FLAG])
    with pytest.raises(InputEnded):  # the quiz dies at question 3, flagged and unflagged
        QuizSession(org, first, staff_no="S1").run("e1")
    assert "已标记第 2 题。" in first.output
    assert [i.flagged for i in open_attempt(org).items[:4]] == [False, True, False, False]

    second = ScriptedPrompter([Nav.BACK, Nav.SKIP, *[right] * 8, "交卷", True])
    (outcome,) = QuizSession(org, second, staff_no="S1").run("e1")
    seen = headers(second)
    assert seen[0].startswith("第 3/10 题") and not seen[0].endswith("★已标记")
    assert seen[1].startswith("第 2/10 题") and seen[1].endswith("★已标记")
    assert "  已标记:   1（第 2 题）\n" in second.output
    assert outcome.result is not None and outcome.result.score == Decimal(100)
    with pytest.raises(attempts.AttemptClosed):
        attempts.flag(org, outcome.result.attempt_id, 3, True, "S1")


def test_a_flag_is_the_takers_own(org: Database, exam: ExamInfo) -> None:
    view = attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(PermissionDenied, match="belongs to someone else"):
        attempts.flag(org, view.attempt_id, 1, True, "S2")
    with pytest.raises(InputError, match="no question 11 in this attempt"):
        attempts.flag(org, view.attempt_id, 11, True, "S1")
    with pytest.raises(NotFoundError):
        attempts.flag(org, view.attempt_id + 100, 1, True, "S1")
    attempts.flag(org, view.attempt_id, 1, True, "S1")
    attempts.flag(org, view.attempt_id, 1, True, "S1")  # flagging twice keeps one flag
    assert [i.position for i in open_attempt(org).items if i.flagged] == [1]
    attempts.flag(org, view.attempt_id, 1, False, "S1")
    assert not any(i.flagged for i in open_attempt(org).items)


def test_time_up_mid_quiz_goes_to_the_result(org: Database, exam: ExamInfo) -> None:
    def run_out_of_time(asked: Asked) -> object:
        shift_clock(org, open_attempt(org).attempt_id, 3601)
        return right(asked)

    prompter = ScriptedPrompter([START, right, right, run_out_of_time])
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert prompter.answers == []
    assert "时间到：已按截止前保存的答案自动交卷。" in prompter.output
    assert outcome.result is not None
    assert (outcome.result.score, outcome.result.reason) == (Decimal(20), "expired")
    assert "  得分:   20/100" in prompter.output


def test_input_running_out_is_an_error_and_keeps_answers(org: Database, exam: ExamInfo) -> None:
    prompter = ScriptedPrompter([START, right, right])
    with pytest.raises(InputEnded, match="scripted input ran out") as caught:
        QuizSession(org, prompter, staff_no="S1").run("e1")
    assert isinstance(caught.value, StudyhubError)
    assert [i.response for i in open_attempt(org).items[:3]] == [[1], [1], None]


def test_sign_in_asks_for_the_staff_number(org: Database, exam: ExamInfo) -> None:
    prompter = ScriptedPrompter(["S9", "S2", START, KeyboardInterrupt, True])
    QuizSession(org, prompter).run("e1")
    assert prompter.asked[0].message == "请输入工号"
    assert "没有工号为 S9 的人员" in prompter.output
    assert "李四（S2），您好。" in prompter.output
    with pytest.raises(NotFoundError, match="no staff member S9"):
        QuizSession(org, ScriptedPrompter(), staff_no="S9").run("e1")


def test_menu_of_open_exams(org: Database, define: Define) -> None:
    from tests.exams.test_engine import _base

    define(ORDERED + "attempts: 2\n")
    define("kind: practice\naudience: [D2]\n", base=_base("p1"))  # not for S1's department
    prompter = ScriptedPrompter(
        ["年度考试", START, *[right] * 10, "交卷", True, "e1", START, *[right] * 5, wrong,
         *[right] * 4, "交卷", True, "e1", "退出"]
    )  # fmt: skip
    outcomes = QuizSession(org, prompter, staff_no="S1").run()
    menus = [a for a in prompter.asked if a.kind == "menu" and a.message == "请选择考试"]
    assert len(menus) == 4
    past = "查看已交答卷的答题回顾"  # offered once an attempt is submitted
    own = ["我的学法档案（本年度）", "我的合格证书"]  # always offered with the menu
    assert [m.options for m in menus[:3]] == [
        ["年度考试（e1）  剩余 2 次  尚无成绩", *own, "退出"],
        ["年度考试（e1）  剩余 1 次  最好成绩 100 分（100.00%）", past, *own, "退出"],
        ["年度考试（e1）  次数已用完  最好成绩 100 分（100.00%）", past, *own, "退出"],
    ]
    assert [o.result.score if o.result else None for o in outcomes] == [
        Decimal(100), Decimal(90), None
    ]  # fmt: skip
    assert outcomes[2].refused == "no attempts left for exam e1 (2 of 2 used)"
    assert "无法开始：考试 e1 的作答次数已用完（共 2 次，已用 2 次）" in prompter.output


def test_refusal_of_a_named_exam_is_an_error(org: Database, define: Define) -> None:
    define("audience: [D2]\n")
    with pytest.raises(AttemptRefused, match="not for S1's department"):
        QuizSession(org, ScriptedPrompter(), staff_no="S1").run("e1")


def test_english_ui(org: Database, exam: ExamInfo) -> None:
    i18n.set_language("en")
    prompter = ScriptedPrompter([START, *[right] * 10, "Submit", True])
    QuizSession(org, prompter, staff_no="S1").run("e1")
    out = prompter.output
    assert re.search(r"^Question 1/10 · single choice · 10 pt · (60:00|59:5\d) left$", out, re.M)
    assert "Question 5/10 · multiple choice · 10 pt" in out
    assert "  Score:   100/100" in out
    assert "  Outcome: passed" in out
    assert [a.options for a in prompter.asked if a.kind == "choice"][-1] == ["True", "False"]


def test_fill_with_two_blanks_and_empty_answers_skip(org: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from studyhub.banks.importer import import_files
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec

    bank = tmp_path / "two.yaml"
    bank.write_text(
        "bank: {key: two, topic: two}\nquestions:\n"
        "  - {id: t-1, type: fill, stem: '____和____。', answer: [[甲], [乙]]}\n"
        "  - {id: t-2, type: multiple, stem: 多选？, options: [甲, 乙, 丙], answer: AB}\n",
        encoding="utf-8",
    )
    import_files(org, [bank])
    spec = tmp_path / "e.yaml"
    spec.write_text(
        "key: t\ntitle: 两空\nyear: 2026\nshuffle_questions: false\nshuffle_options: false\n"
        "review: full\npaper: {fixed: [t-1, t-2], points: 5}\n",
        encoding="utf-8",
    )
    create_exam(org, load_spec(spec))
    script = [START, "", "", [], "回到未答的第 1 题", "甲", "乙", ["甲", "乙"], "交卷", True]
    prompter = ScriptedPrompter(script)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("t")
    assert [a.message for a in prompter.asked if a.kind == "text"] == [
        "第 1 空", "第 2 空", "第 1 空", "第 2 空",
    ]  # fmt: skip
    assert "  未答:   2（第 1, 2 题）" in prompter.output
    assert outcome.result is not None and outcome.result.score == Decimal(10)


def test_a_stray_enter_at_the_start_page_starts_nothing(org: Database, exam: ExamInfo) -> None:
    """The default at the start page is No: Enter (the default) starts no attempt, and the
    menu comes back."""
    prompter = ScriptedPrompter(["年度考试", lambda asked: asked.default, "退出"])
    outcomes = QuizSession(org, prompter, staff_no="S1").run()
    assert [o.declined for o in outcomes] == [True]
    assert "未开始作答。" in prompter.output
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0
    assert [a.kind for a in prompter.asked] == ["menu", "confirm", "menu"]


def test_the_answer_card_shows_every_question_and_jumps(org: Database, exam: ExamInfo) -> None:
    script = [START, right, Nav.FLAG, Nav.CARD, "x", "7", right, Nav.CARD, "", Nav.SKIP]
    prompter = ScriptedPrompter(script)
    with pytest.raises(InputEnded):
        QuizSession(org, prompter, staff_no="S1").run("e1")
    out = prompter.output
    assert "答题卡" in out
    # question 1 answered, 2 flagged and current, the rest unanswered; ten to a row
    assert "   1●  [  2⚑]    3○     4○     5○     6○     7○     8○     9○    10○" in out
    assert "● 已答  ○ 未答  ⚑ 已标记" in out and "已答 1/10 题，标记 1 题" in out
    assert "请输入 1 到 10 之间的题号，或直接回车返回" in out  # "x" is refused
    seen = [h.split(" · ")[0] for h in headers(prompter)]
    # 1, 2 (flag), 2 (card -> 7), 7 answered -> 8 (card, Enter stays) -> 8 again, skip -> 9
    assert seen == ["第 1/10 题", "第 2/10 题", "第 2/10 题", "第 7/10 题", "第 8/10 题",
                    "第 8/10 题", "第 9/10 题"]  # fmt: skip
    assert open_attempt(org).items[6].response is not None


def test_time_up_on_screen_ends_the_question_and_the_engine_closes_it(
    org: Database, exam: ExamInfo
) -> None:
    """A front end whose countdown reached zero answers Nav.TIMEUP: the session asks the
    engine (its clock decides), which closes the attempt on the saved answers."""
    now = [0.0]

    def time_is_up(asked: Asked) -> object:
        shift_clock(org, open_attempt(org).attempt_id, 3601)
        now[0] = 3601.0  # the local countdown reached zero too
        return Nav.TIMEUP

    prompter = ScriptedPrompter([START, right, time_is_up])
    session = QuizSession(org, prompter, staff_no="S1", clock=lambda: now[0])
    (outcome,) = session.run("e1")
    assert prompter.answers == []
    assert "时间到：已按截止前保存的答案自动交卷。" in prompter.output
    assert outcome.result is not None
    assert (outcome.result.score, outcome.result.reason) == (Decimal(10), "expired")


def test_the_start_page_shows_a_persons_own_limits(org: Database, exam: ExamInfo) -> None:
    """An override (more attempts, a longer time limit) is what the start page states, and
    says it is the person's own."""
    from studyhub.exams.overrides import set_override

    set_override(org, "e1", "S1", attempts=5, time_limit="120m", reason="出差")
    prompter = ScriptedPrompter([False])
    QuizSession(org, prompter, staff_no="S1").run("e1")
    out = prompter.output
    assert "  作答次数: 已用 0 次，还剩 5 次（共 5 次）（您的个人安排）" in out
    assert "  限时:     120 分钟（从开始作答时计时）（您的个人安排）" in out
    other = ScriptedPrompter([False])
    QuizSession(org, other, staff_no="S2").run("e1")
    assert "还剩 3 次（共 3 次）\n" in other.output + "\n" and "个人安排" not in other.output
