"""studyhub practice: first use, feedback, the wrong-answer book."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from click.testing import CliRunner, Result

from studyhub.cli import cli
from studyhub.db import Database, open_database
from studyhub.i18n import t
from studyhub.models import Attempt, BookEntry, PracticeAnswer, Question, Staff
from studyhub.quiz.practice import PracticeSession
from studyhub.quiz.prompter import ScriptedPrompter
from tests.exams.conftest import Define


def test_first_use_loads_the_banks_and_offers_a_demo_user(app_home) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["practice", "--plain", "--yes", "--count", "2",
                                      "--type", "judge"], input="对\n错\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "首次使用：已导入随附题库" in out
    assert "已创建演示用户（工号 demo）。" in out
    assert "练习 2/2 · 判断" in out and "本次练习答题 2 题" in out
    database = open_database()
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Question)) > 500
        assert session.scalar(sa.select(Staff.staff_no)) == "demo"
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 2
    database.dispose()


def test_input_ending_mid_practice_is_said_as_practice(app_home) -> None:  # type: ignore[no-untyped-def]
    """The answers given are recorded, and the message speaks of practice, not of an exam
    to resume."""
    result = CliRunner().invoke(cli, ["practice", "--plain", "--yes", "--count", "2",
                                      "--type", "judge"], input="对\n")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == "错误：输入在练习完成前已结束；已作答的题目均已记录\n"
    database = open_database()
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 1
    database.dispose()


def test_declining_the_demo_user_asks_for_a_staff_number(app_home) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["practice", "--plain", "--count", "1"], input="n\n")
    assert result.exit_code == 1
    assert "是否创建一个演示用户用于练习？" in result.stdout and "请输入工号" in result.stdout
    assert result.stderr.startswith("错误：输入在答题完成前已结束")


def test_feedback_and_the_book(org: Database) -> None:
    """The org bank's single-choice key is 乙: answer 乙, 甲, 乙 (by text, whatever the order
    shown): two right, one wrong, and the wrong one goes into the book."""
    prompter = ScriptedPrompter(["乙", "甲", "乙"])
    outcome = PracticeSession(org, prompter, "S1").run(type="single", count=3, seed=4)
    assert (outcome.asked, outcome.answered, outcome.right, outcome.into_book) == (3, 3, 2, 1)
    out = prompter.output
    assert out.count("✓ 回答正确") == 2 and out.count("✗ 回答错误（已加入错题本）") == 1
    assert out.count("✓ 正确答案") == 1  # the key is marked beside the wrong choice
    assert out.count("解析: ") == 3 and "出处: " in out
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(BookEntry)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 3


def test_nothing_due_in_the_book(org: Database) -> None:
    prompter = ScriptedPrompter([])
    assert PracticeSession(org, prompter, "S2").run(wrong=True).asked == 0
    assert prompter.output == "错题本是空的：练习和考试中答错的题会自动记入。"


def run(org: Database, *args: str, input: str = "") -> Result:
    url = org.engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["--db", url, "practice", "--plain", "--staff", "S1", *args],
                              input=input)  # fmt: skip


def test_plain_practice_hint_offers_going_back(org: Database) -> None:
    """Plain mode's prompt names < (back to the previous feedback), not the quiz's flags."""
    plain = run(org, "--count", "2", "--type", "judge", input="对\n<\n\n对\n")
    assert plain.exit_code == 0, plain.stderr
    assert t("practice.keys.plain_back") in plain.stdout
    assert t("quiz.keys.plain") not in plain.stdout
    assert "练习 1/2 · 判断（已作答）" in plain.stdout and "  1. 继续（第 2 题）" in plain.stdout
    assert "本次练习答题 2 题，答对 2 题" in plain.stdout


def test_wrong_all_and_the_offer_in_plain_mode(org: Database) -> None:
    from studyhub.practice import answer_practice, draw_practice

    [item] = draw_practice(org, "S1", type="judge", count=1, seed=1)
    answer_practice(org, "S1", item, False)
    with org.session() as session:
        session.execute(sa.update(BookEntry).values(due=dt.datetime(2999, 1, 1, tzinfo=dt.UTC)))
    offered = run(org, "--wrong", input="y\n对\n")
    assert offered.exit_code == 0, offered.stderr
    assert "错题本中暂无到期需要复习的题目（共 1 题，下一题 2999-01-01 到期）。" in offered.stdout
    assert "现在把错题本中的 1 题全部练一遍吗？（答错次数多的在前） [Y/n]" in offered.stdout
    assert "练习开始，共 1 题。" in offered.stdout
    result = run(org, "--wrong", "--all", input="对\n")
    assert result.exit_code == 0, result.stderr
    assert "练习开始，共 1 题。" in result.stdout and "答对 1 题" in result.stdout
    silent = run(org, "--wrong")  # input ends at the offer: nothing more, no error
    assert silent.exit_code == 0, silent.stderr
    assert "练习开始" not in silent.stdout


def test_options_that_do_not_go_together(org: Database) -> None:
    for args, message in [
        (["--all"], "错误：--all 用于练习整个错题本，须与 --wrong 一起使用\n"
                    "提示：studyhub practice --wrong --all\n"),
        (["--mock", "e1", "--topic", "law"], "错误：--mock 按考试的组卷规则抽题"),
        (["--wrong", "--type", "judge"], "错误：--wrong 用于复习错题本，不能同时使用 --type\n"),
        (["--chapter", "第一章"], "错误：无法识别章节 '第一章'\n"),
        (["--chapter", "刑法 第一章"], "错误：没有法律法规 刑法（请用 studyhub law import"),
    ]:  # fmt: skip
        result = run(org, *args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(message), result.stderr


def test_by_chapter_and_a_mock_from_the_command_line(org: Database, statute: None,
                                                     define: Define) -> None:  # fmt: skip
    result = run(org, "--chapter", "示例法 第一章", "--type", "judge", "--count", "1",
                 input="对\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "练习 1/1 · 判断" in result.stdout
    assert "第一条（第一章 总则）\n    为了示例，制定本法。" in result.stdout
    define(base="key: m1\ntitle: 模拟用\nyear: 2026\ntime_limit: 30m\npaper:\n  rules:\n"
           "    - {topic: law, type: judge, count: 2, points: 50}\n")  # fmt: skip
    mock = run(org, "--mock", "m1", input="y\n对\n错\n\ny\n")
    assert mock.exit_code == 0, mock.stderr
    out = re.sub(r": +", ": ", mock.stdout)
    assert "模拟考试：模拟用（m1）" in out and "限时: 30 分钟" in out
    assert "模拟考试 · 第 1/2 题 · 判断 · 50 分 · 剩余 " in out
    assert "得分: 50/100" in out and "模拟考试不计成绩：" in out
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0
