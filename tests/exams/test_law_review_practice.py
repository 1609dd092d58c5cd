"""Practice skips the questions a law's new version put in doubt (issue #23), and says so;
`exam update` warns as `exam create` does; the quiz review and practice feedback show the
article of the version the question version cites."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.banks.importer import import_files
from studyhub.banks.review import resolve_reviews, review_queue
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import InputError
from studyhub.exams import attempts
from studyhub.laws import import_law
from studyhub.models import Question
from studyhub.practice import (
    answer_practice,
    book_all,
    book_status,
    draw_practice,
    draw_round,
    practice_choices,
)
from studyhub.quiz.practice import PracticeSession
from studyhub.quiz.practice_menu import PracticeMenu
from studyhub.quiz.prompter import ScriptedPrompter
from studyhub.quiz.review import item_lines, review_articles
from tests.exams.conftest import Define
from tests.exams.test_law_review import BANK, spec
from tests.test_law_versions import V1, V2, write

#: topic tx: both its questions cite articles V2 changed or removed
ALL_IN_DOUBT = """\
bank: {key: tx, topic: tx}
questions:
  - {id: x1, type: judge, stem: 乙一, answer: true, source: 测试法 第2条}
  - {id: x2, type: judge, stem: 乙二, answer: true, source: 测试法 第3条}
"""


@pytest.fixture
def revised(org: Database, tmp_path: Path) -> Database:
    """V1; topic tl (t2, t3, t4, t7 cite what V2 changes) and tx (all of it); S1 has t2
    and t1 in the wrong-answer book; then V2."""
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK), write(tmp_path, "tx.yaml", ALL_IN_DOUBT)])
    for item in draw_practice(org, "S1", topic="tl", count=6, seed=1):
        if item.external_id in ("t1", "t2"):
            answer_practice(org, "S1", item, False)  # the key is true: into the book
    import_law(org, write(tmp_path, "v2.md", V2))
    assert len(review_queue(org)) == 6
    return org


def stems(items: list) -> set[str]:  # type: ignore[type-arg]
    return {item.stem for item in items}


def test_practice_never_draws_a_question_awaiting_review(revised: Database) -> None:
    for seed in range(5):
        assert stems(draw_practice(revised, "S1", topic="tl", count=10, seed=seed)) == {
            "甲一", "甲五"}  # fmt: skip
    drawn = draw_round(revised, "S1", topic="tl", count=10)
    assert drawn.held_back == 4
    everything = draw_round(revised, "S1", count=100)
    assert everything.held_back == 6 and len(everything.items) == 25 + 2
    # a topic all of whose questions await review: said so, not "no questions match"
    with pytest.raises(InputError) as caught:
        draw_practice(revised, "S1", topic="tx")
    assert str(caught.value) == (
        "the 2 questions that match await review after a law changed: they are not "
        "practised until an admin reviews them"
    )
    # reviewed, a question is practised again
    ids = {i.question: i.id for i in review_queue(revised)}
    resolve_reviews(revised, [ids["x1"]], "ok")
    assert stems(draw_practice(revised, "S1", topic="tx")) == {"乙一"}


def test_the_wrong_answer_book_leaves_them_out(revised: Database) -> None:
    assert stems(book_all(revised, "S1")) == {"甲一"}
    assert book_status(revised, "S1").total == 1
    ids = {i.question: i.id for i in review_queue(revised)}
    resolve_reviews(revised, [ids["t2"]], "ok")
    assert stems(book_all(revised, "S1")) == {"甲一", "甲二"}


def test_the_menu_counts_without_them_and_says_how_many_wait(revised: Database) -> None:
    choices = practice_choices(revised, "S1")
    assert choices.waiting == {"tl": 4, "tx": 2}
    assert [(key, n) for key, _, n in choices.topics] == [("law", 25), ("tl", 2), ("tx", 0)]
    assert dict(choices.types)["judge"] == 6 + 2
    prompter = ScriptedPrompter(["topic", "tx", "topic", "tl", 0, 0, "quit"])
    PracticeMenu(revised, prompter, "S1").run(seed=1)
    menus = [a.options for a in prompter.asked if a.kind == "menu"]
    assert menus[0][0] == "随机练习（共 27 题，另有 6 题因法律修订待复核）"
    assert menus[1] == [
        "law（25 题）",
        "tl（2 题，另有 4 题因法律修订待复核）",
        "tx（0 题，另有 2 题因法律修订待复核）",
        "返回",
    ]
    assert "符合条件的 2 道试题都因法律修订待复核，管理员复核前不能练习。" in prompter.output
    assert "另有 4 道试题因法律修订待复核，本轮不练习。" in prompter.output
    assert "练习开始，共 2 题。" in prompter.output


def test_a_round_says_so_in_english(revised: Database, english: None) -> None:
    prompter = ScriptedPrompter([0, 0])
    PracticeSession(revised, prompter, "S1").run(topic="tl")
    assert (
        "4 more questions await review after a law changed and are left out of this round."
        in prompter.output
    )


def run(db_url: str, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", lang, *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_exam_update_warns_when_a_rule_loses_questions(
    org: Database, db_url: str, tmp_path: Path
) -> None:
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK)])
    path = write(tmp_path, "e.yaml", spec(2))
    code, _, err = run(db_url, "exam", "create", str(path))
    assert code == 0 and "待复核" not in err
    import_law(org, write(tmp_path, "v2.md", V2))
    write(tmp_path, "e.yaml", spec(2).replace("学法考试", "学法考试（修订后）"))
    code, _, err = run(db_url, "exam", "update", str(path))
    assert code == 0, err
    assert (
        "提示：试卷规则 1（tl，判断）有 4 道试题因法律修订待复核，复核前不会抽到"
        "（studyhub bank review）。" in err
    )
    code, _, err = run(db_url, "exam", "update", str(path), lang="en")
    assert "paper rule 1 (tl, true/false) leaves out questions awaiting review" in err
    # allowed: nothing to say
    write(tmp_path, "e.yaml", spec(2, "allow_unreviewed: true\n"))
    code, _, err = run(db_url, "exam", "update", str(path))
    assert code == 0 and "待复核" not in err
    # a fixed paper names its questions awaiting review
    fixed = spec(1).split("paper:")[0] + "paper:\n  fixed: [t1, t2]\n  points: 10\n"
    write(tmp_path, "e.yaml", fixed)
    code, _, err = run(db_url, "exam", "update", str(path))
    assert code == 0 and "t2" in err and "t1" not in err


def test_the_review_shows_the_article_of_the_version_cited(
    org: Database, define: Define, tmp_path: Path
) -> None:
    """An attempt on t4 (第4条 of V1) taken before V2: its review, after V2, shows V1's
    第四条 with its date, not V2's 第四条 (another article)."""
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK)])
    with org.session() as session:
        session.execute(
            sa.update(Question).where(Question.external_id != "t4").values(status="hidden")
        )
    define(base=spec(1))
    view = attempts.start_attempt(org, "r1", "S1", seed=random.randrange(100))
    attempts.answer(org, view.attempt_id, 1, False, "S1")
    attempts.submit(org, view.attempt_id, "S1")
    import_law(org, write(tmp_path, "v2.md", V2))
    result = attempts.result(org, view.attempt_id, "S1")
    lines = item_lines(result.items[0], review_articles(org, result))
    assert "  中华人民共和国测试法（2020-01-01 版） 第四条（第一章 总则）" in lines
    assert "    县级以上人民政府负责本行政区域内的示例工作。" in lines
    assert not any("内部管理制度" in line for line in lines)  # V2's 第四条


def test_practice_feedback_shows_the_article_of_the_version_cited(
    org: Database, tmp_path: Path
) -> None:
    """A question written for V1, settled as still right after V2: practice shows V1's
    第四条 with its date."""
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK)])
    import_law(org, write(tmp_path, "v2.md", V2))
    ids = {i.question: i.id for i in review_queue(org)}
    resolve_reviews(org, [ids["t4"]], "ok")
    with org.session() as session:
        session.execute(
            sa.update(Question).where(Question.external_id != "t4").values(status="hidden")
        )
    prompter = ScriptedPrompter([0])
    PracticeSession(org, prompter, "S1").run(count=1)
    assert "  中华人民共和国测试法（2020-01-01 版） 第四条（第一章 总则）" in prompter.shown
    assert "内部管理制度" not in prompter.output
