"""studyhub practice: first use, feedback, the wrong-answer book."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import Database, open_database
from studyhub.models import BookEntry, PracticeAnswer, Question, Staff
from studyhub.quiz.practice import PracticeSession
from studyhub.quiz.prompter import ScriptedPrompter


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
    assert out.count("正确答案: ") == 1  # the key is shown for the wrong answer
    assert out.count("解析: ") == 3 and "出处: " in out
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(BookEntry)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 3


def test_nothing_due_in_the_book(org: Database) -> None:
    prompter = ScriptedPrompter([])
    assert PracticeSession(org, prompter, "S2").run(wrong=True).asked == 0
    assert prompter.output == "错题本中暂无到期需要复习的题目。"


def test_practice_does_not_offer_going_back_or_flagging(org: Database) -> None:
    """Practice cannot go back or flag, so its prompts give their own key hint, not the
    quiz's (which a quiz question still gets)."""
    from decimal import Decimal

    from studyhub.exams.attempts import ItemView
    from studyhub.i18n import t
    from studyhub.quiz.prompter import QuestionPrompt

    item = ItemView(1, "single", "题", ["甲", "乙"], Decimal(1))
    assert QuestionPrompt("h", item).hint("quiz.keys.choice") == t("quiz.keys.choice")
    practice = QuestionPrompt("h", item, navigable=False)
    assert practice.hint("quiz.keys.choice") == t("practice.keys")
    plain = CliRunner().invoke(
        cli,
        ["--db", org.engine.url.render_as_string(hide_password=False), "practice", "--plain",
         "--staff", "S1", "--count", "1", "--type", "judge"],
        input="对\n",
    )  # fmt: skip
    assert plain.exit_code == 0, plain.stderr
    assert t("practice.keys.plain") in plain.stdout
    assert t("quiz.keys.plain") not in plain.stdout
