"""The review after submitting: paged one question per screen (scripted keys and real key
presses through prompt_toolkit's pipe input), the 解析's option letters as shown, the cited
paragraph of the article, and the review of an earlier attempt from the menu."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prompt_toolkit.input import PipeInput, create_pipe_input

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import PermissionDenied
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from studyhub.exams.history import own_review, submitted_attempts
from studyhub.laws import import_law
from studyhub.letters import remap
from studyhub.quiz.paging import PageKey
from studyhub.quiz.prompter import Asked, ScriptedPrompter
from studyhub.quiz.session import QuizSession
from tests.exams.conftest import Define
from tests.quiz.conftest import ORDERED, right, wrong
from tests.quiz.test_terminal import ENTER, LEFT, RIGHT, RIGHT_KEY, KeyedPrompter

HISTORY = Path(__file__).parent / "letter_explanations.yaml"
#: an exam over the 34 historical questions, options shuffled, every question reviewed
LETTERS_EXAM = """\
key: x1
title: 十一个坚持测验
year: 2026
review: full
shuffle_options: true
paper:
  rules:
    - {topic: letters, type: single, count: 22, points: 2}
    - {topic: letters, type: multiple, count: 12, points: 4}
"""
PAST = "查看已交答卷的答题回顾"


def bank_questions() -> dict[str, dict[str, Any]]:
    """The historical questions by stem."""
    data = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))
    return {q["stem"]: q for q in data["questions"]}


def shown_order(question: dict[str, Any], shown: list[str]) -> list[int]:
    return [question["options"].index(text) for text in shown]


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


@pytest.fixture
def letters_exam(org: Database, define: Define) -> ExamInfo:
    import_files(org, [HISTORY])
    return define(base=LETTERS_EXAM)


def first_option(asked: Asked) -> object:
    return "A" if asked.kind == "choice" else ["A"]


def pages(prompter: ScriptedPrompter) -> list[int | None]:
    return [a.position for a in prompter.asked if a.kind == "page"]


# --- the 解析 names the letters on the screen -----------------------------------------------


def test_the_review_names_the_options_by_the_letters_shown(
    org: Database, letters_exam: ExamInfo
) -> None:
    view = attempts.start_attempt(org, "x1", "S1", seed=18)
    for item in view.items:
        attempts.answer(org, view.attempt_id, item.position, [0], "S1")
    result = attempts.submit(org, view.attempt_id, "S1")
    questions = bank_questions()
    changed = 0
    for item in result.items:
        question = questions[item.stem]
        order = shown_order(question, item.options)
        assert item.explanation == remap(question["explanation"], order)
        changed += item.explanation != question["explanation"]
    assert len(result.items) == 34 and changed >= 25
    # one by hand: "B、C、D分别是“十一个坚持”的第三、六、十一项" names the options shown
    item = next(i for i in result.items if i.stem == "下列表述中，不属于“十一个坚持”的是？")
    named = re.match(r"([A-D])、([A-D])、([A-D])分别是", item.explanation or "")
    assert named is not None
    original = questions[item.stem]["options"]
    assert [item.options["ABCD".index(x)] for x in named.groups()] == original[1:4]


def test_the_paged_review_shows_the_rewritten_letters(
    org: Database, letters_exam: ExamInfo
) -> None:
    attempts.start_attempt(org, "x1", "S1", seed=5)  # the session resumes it
    prompter = ScriptedPrompter([*[first_option] * 34, "交卷", True])
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("x1")
    assert outcome.result is not None
    out = prompter.output
    questions = bank_questions()
    for item in outcome.result.items:
        order = shown_order(questions[item.stem], item.options)
        assert f"解析:     {remap(questions[item.stem]['explanation'], order)}" in out


def test_practice_feedback_names_the_letters_shown(org: Database) -> None:
    from studyhub.practice import answer_practice, draw_practice

    import_files(org, [HISTORY])
    questions = bank_questions()
    items = draw_practice(org, "S1", topic="letters", count=34, seed=3)
    changed = 0
    for item in items:
        feedback = answer_practice(org, "S1", item, [0])
        original = questions[item.stem]["explanation"]
        assert item.options == [questions[item.stem]["options"][i] for i in item.option_order]
        assert feedback.explanation == remap(original, item.option_order)
        changed += feedback.explanation != original
    assert changed >= 25


# --- paging ---------------------------------------------------------------------------------


def test_paging_with_the_answer_card(org: Database, exam: ExamInfo, statute: None) -> None:
    script = [
        True,  # the start page: 开始第 1 次作答？ 是
        wrong, *[right] * 9, "交卷", True,
        PageKey.PREV,  # the result page is the first: it says so
        PageKey.NEXT,  # question 1
        PageKey.CARD, "x",  # not a number
        PageKey.CARD, "12",  # no such question
        PageKey.CARD, "",  # back to the same page
        PageKey.CARD, "10",
        PageKey.NEXT,  # the last: it says so
        PageKey.PREV,  # 9
        PageKey.QUIT,
    ]  # fmt: skip
    prompter = ScriptedPrompter(script)
    QuizSession(org, prompter, staff_no="S1").run("e1")
    assert prompter.answers == []
    assert pages(prompter) == [None, None, 1, 1, 1, 1, 10, 10, 9]
    out = prompter.output
    assert "答题回顾：共 10 题。" in out
    assert "已是第一页。按 → 看第 1 题。" in out
    assert "“x”不是题号。" in out and "没有第 12 题。" in out
    assert "已是最后一题。按 q 返回，按 ← 看上一题。" in out
    assert "答题卡（✓ 答对，✗ 答错，◐ 部分得分）" in out
    assert re.search(r"1✗\]? +2✓ +3✓", out), out  # the exam card's grid
    # question 1's page: the answer, the key, right or wrong, points, 解析 and the article
    first = out.split("第 1 题 · 单选 · ✗ 答错 · 0/10 分\n")[1].split("\n第 ")[0]
    assert re.fullmatch(r"单选题\d+？", first.splitlines()[0])
    assert first.splitlines()[1:5] == ["  A. 甲", "  B. 乙", "  C. 丙", "  D. 丁"]
    assert re.search(
        r"您的答案: A. 甲\n正确答案: B. 乙\n解析:     解析\d+\n出处:     示例法 第1条\n"
        r"  中华人民共和国示例法 第一条（第一章 总则）\n    为了示例，制定本法。",
        first,
    )


def test_a_wrong_answers_review_pages_the_wrong_ones(org: Database, define: Define) -> None:
    define(ORDERED + "review: wrong\n")
    script = [True, wrong, right, wrong, *[right] * 7, "交卷", True, PageKey.NEXT,
              PageKey.CARD, "2", PageKey.NEXT, PageKey.NEXT, PageKey.QUIT]  # fmt: skip
    prompter = ScriptedPrompter(script)
    QuizSession(org, prompter, staff_no="S1").run("e1")
    assert pages(prompter) == [None, 1, 1, 3, 3]
    out = prompter.output
    assert "错题回顾：共 2 题。" in out
    assert "第 2 题答对了，错题回顾中没有它。" in out


def test_without_scripted_keys_every_page_is_shown_once(org: Database, exam: ExamInfo) -> None:
    """Plain mode and scripts: the result and every question, one after the other."""
    prompter = ScriptedPrompter([True, *[right] * 10, "交卷", True])
    QuizSession(org, prompter, staff_no="S1").run("e1")
    headers = [line for line in prompter.shown if re.match(r"第 \d+ 题 · ", line)]
    assert len(headers) == 10 and headers[0] == "第 1 题 · 单选 · ✓ 答对 · 10/10 分"


def test_paging_with_the_keys(org: Database, exam: ExamInfo, pipe: PipeInput) -> None:
    keys = [
        "y" + ENTER,  # the start page
        *RIGHT, ENTER, ENTER,  # 交卷, yes
        "x" + RIGHT_KEY,  # a stray key does nothing; → question 1
        RIGHT_KEY,  # 2
        LEFT,  # 1
        "g", "9" + ENTER,  # the answer card: question 9
        "q",
    ]  # fmt: skip
    prompter = KeyedPrompter(pipe, keys)
    (outcome,) = QuizSession(org, prompter, staff_no="S1").run("e1")
    assert prompter.keys == [] and outcome.result is not None
    out = prompter.out.getvalue()
    shown = re.findall(r"^第 (\d+) 题 · ", out, re.M)
    assert shown == ["1", "2", "1", "9"]
    assert "[  1✓]    2✓" in out and "   9✓    10✓" in out  # question 1 on screen
    assert "\x1b[2J" not in out  # the screen is cleared only on a terminal


# --- the cited paragraph --------------------------------------------------------------------

STATUTE = """\
# 中华人民共和国示例法

## 第一章 总则

第一条 为了示例，制定本法。

第二条 行政机关应当依法行政。
有下列情形之一的，不予处罚：
（一）违法行为轻微；
（二）及时改正。
本条所称行政机关，包括法律授权的组织。
"""
CITING = """\
bank: {key: cite, topic: cite}
questions:
  - {id: c-1, type: judge, stem: 一。, answer: true, source: 示例法 第2条第2款}
  - {id: c-2, type: judge, stem: 二。, answer: true, source: 示例法 第二条}
  - {id: c-3, type: judge, stem: 三。, answer: true, source: 示例法 第2条第9款}
"""


def test_the_article_is_cut_to_the_cited_paragraph(
    org: Database, define: Define, tmp_path: Path
) -> None:
    (tmp_path / "示例法.md").write_text(STATUTE, encoding="utf-8")
    import_law(org, tmp_path / "示例法.md")
    (tmp_path / "cite.yaml").write_text(CITING, encoding="utf-8")
    import_files(org, [tmp_path / "cite.yaml"])
    define("shuffle_questions: false\nreview: full\npaper: {fixed: [c-1, c-2, c-3], points: 5}\n",
           base="key: c\ntitle: 出处\nyear: 2026\n")  # fmt: skip
    prompter = ScriptedPrompter([True, "正确", "正确", "正确", "交卷", True])
    QuizSession(org, prompter, staff_no="S1").run("c")
    out = prompter.output
    first = out.split("第 1 题 · ")[1].split("第 2 题 · ")[0]
    assert "  中华人民共和国示例法 第二条第二款（第一章 总则）\n" in first
    assert (
        "    有下列情形之一的，不予处罚：\n    （一）违法行为轻微；\n    （二）及时改正。" in first
    )
    assert "依法行政" not in first and "法律授权的组织" not in first
    second = out.split("第 2 题 · ")[1].split("第 3 题 · ")[0]
    assert "第二条（第一章 总则）" in second
    assert "依法行政" in second and "法律授权的组织" in second  # the whole article
    third = out.split("第 3 题 · ")[1]
    assert "第二条（第一章 总则）" in third and "法律授权的组织" in third  # no 9th paragraph


# --- an earlier attempt, from the menu ------------------------------------------------------


def test_an_earlier_review_from_the_menu(org: Database, define: Define) -> None:
    define(ORDERED + "attempts: 2\nreview: wrong\n")
    script = ["年度考试", True, wrong, *[right] * 9, "交卷", True,
              PAST, "第 1 次作答", PageKey.NEXT, PageKey.QUIT,
              PAST, "返回", "退出"]  # fmt: skip
    prompter = ScriptedPrompter(script)
    QuizSession(org, prompter, staff_no="S1").run()
    assert prompter.answers == []
    chosen = [a for a in prompter.asked if a.kind == "menu" and a.message == "请选择要查看的答卷"]
    assert len(chosen) == 2
    assert re.fullmatch(r"年度考试（e1）第 1 次作答 · 90/100 分 · \d{4}-\d\d-\d\d \d\d:\d\d 交卷",
                        chosen[0].options[0])  # fmt: skip
    assert prompter.output.count("第 1 题 · 单选 · ✗ 答错 · 0/10 分") == 2


def test_a_review_after_close_shows_the_score_until_then(org: Database, define: Define) -> None:
    define(ORDERED + "review: full\nreview_after_close: true\n")
    script = [True, *[right] * 10, "交卷", True]
    QuizSession(org, ScriptedPrompter(script), staff_no="S1").run("e1")
    prompter = ScriptedPrompter([PAST, "第 1 次作答", "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    assert "本考试交卷后只显示分数。" in prompter.output
    assert not any(a.kind == "page" for a in prompter.asked)
    assert "正确答案" not in prompter.output


def test_no_earlier_review_while_an_attempt_is_in_progress(org: Database, define: Define) -> None:
    define(ORDERED + "attempts: 2\nreview: full\n")
    script = [True, *[right] * 10, "交卷", True]
    QuizSession(org, ScriptedPrompter(script), staff_no="S1").run("e1")
    view = attempts.start_attempt(org, "e1", "S1")  # attempt 2, left open
    (past,) = submitted_attempts(org, "S1")
    with pytest.raises(PermissionDenied, match="attempt at exam e1 in progress"):
        own_review(org, "S1", past.attempt_id)
    prompter = ScriptedPrompter([PAST, "第 1 次作答", "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    out = prompter.output
    assert "无法查看：您在考试 e1 中还有未交的答卷；答题回顾会显示答案，交卷后才能查看" in out
    assert "正确答案" not in out and "解析" not in out
    attempts.submit(org, view.attempt_id, "S1")
    assert own_review(org, "S1", past.attempt_id).review == "full"


def test_nothing_to_review_offers_no_menu_entry(org: Database, exam: ExamInfo) -> None:
    prompter = ScriptedPrompter(["退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    (menu,) = [a for a in prompter.asked if a.kind == "menu"]
    assert PAST not in menu.options
