"""Practice modes through the library: by chapter (the 编 and 章 of the statute cited), the
whole wrong-answer book most-missed first, the menu's counts, and mock exams that count
nowhere, with practice's guards (an exam in progress, closed pools) holding for each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import InputError, NotFoundError, PermissionDenied
from studyhub.exams import attempts
from studyhub.exams.definitions import close_exam
from studyhub.laws import import_law
from studyhub.models import Attempt, AttemptItem, BookEntry, PracticeAnswer, Question
from studyhub.practice import (
    Division,
    answer_practice,
    book_all,
    book_status,
    draw_mock,
    draw_practice,
    grade_mock,
    mock_exams,
    parse_division,
    practice_choices,
)
from studyhub.reports.rates import rates
from tests.exams.conftest import Define

#: a statute in two 编, each with its own 第一章 (as the 民法典's are numbered); the org
#: bank's questions cite another law (示例法)
STATUTE = """\
# 中华人民共和国章节法

## 第一编 总则

### 第一章 一般规定

第一条 为了示例，制定本法。

第二条 民事主体一律平等。

### 第二章 自然人

#### 第一节 民事权利能力

第三条 自然人从出生时起到死亡时止，具有民事权利能力。

## 第二编 合同

### 第一章 通则

第四条 合同是民事主体之间设立、变更、终止民事法律关系的协议。
"""

#: the sources of the chapter bank's questions (ids ch-1 .. ch-6)
SOURCES = [
    "章节法 第1条",  # 第一编 第一章
    "《中华人民共和国章节法》第二条",  # 第一编 第一章, another spelling
    "章节法 第3条",  # 第一编 第二章 (its 第一节 is finer than practice needs)
    "章节法 第4条",  # 第二编 第一章
    "章节法 第2条、第4条",  # both 编
    "章节法",  # the law alone: no chapter
]


@pytest.fixture
def chapters(org: Database, tmp_path: Path) -> Database:
    """The statute above and a bank "ch" of six judge questions citing it."""
    statute = tmp_path / "章节法.md"
    statute.write_text(STATUTE, encoding="utf-8")
    import_law(org, statute)
    questions = [
        {"id": f"ch-{n}", "type": "judge", "stem": f"章节题{n}。", "answer": True,
         "source": source, "explanation": f"解析{n}"}
        for n, source in enumerate(SOURCES, start=1)
    ]  # fmt: skip
    bank = tmp_path / "ch.yaml"
    bank.write_text(
        yaml.safe_dump({"bank": {"key": "ch", "topic": "ch"}, "questions": questions},
                       allow_unicode=True), encoding="utf-8")  # fmt: skip
    import_files(org, [bank])
    return org


def ids(items: list) -> set[str]:
    return {item.external_id for item in items}


def test_parse_division() -> None:
    assert parse_division("民法典 第一编 第二章") == Division("民法典", 1, 2)
    assert parse_division("《中华人民共和国民法典》第1编") == Division("民法典", 1, 0)
    assert parse_division("宪法 第三章") == Division("宪法", 0, 3)
    assert parse_division("民法典 第一编 总则 第二章 自然人") == Division("民法典", 1, 2)
    assert parse_division("行政处罚法") == Division("行政处罚法")
    for bad in ("第一编", "民法典 第一编 第二编", ""):
        with pytest.raises(InputError, match="cannot read the chapter"):
            parse_division(bad)


def test_practice_by_chapter(chapters: Database) -> None:
    def drawn(text: str) -> set[str]:
        return ids(draw_practice(chapters, "S1", chapter=text, count=100, seed=1))

    assert drawn("章节法 第一编 第一章") == {"ch-1", "ch-2", "ch-5"}
    assert drawn("章节法 第一编 第二章") == {"ch-3"}
    assert drawn("章节法 第一编") == {"ch-1", "ch-2", "ch-3", "ch-5"}
    assert drawn("章节法 第二编") == {"ch-4", "ch-5"}
    assert drawn("中华人民共和国章节法") == {f"ch-{n}" for n in range(1, 6)}  # not ch-6
    assert ids(draw_practice(chapters, "S1", chapter=Division("章节法", 2, 1), count=9)) == {
        "ch-4", "ch-5",
    }  # fmt: skip
    with pytest.raises(InputError, match="章节法 has a 第一章 in several 编; name the 编 too"):
        drawn("章节法 第一章")
    with pytest.raises(InputError, match="章节法 has no such 编 or 章: 章节法 第三编"):
        drawn("章节法 第三编")
    with pytest.raises(NotFoundError, match="no law 刑法"):
        drawn("刑法 第一章")
    # with the other filters: only judge questions cite the statute
    with pytest.raises(InputError, match="no questions match"):
        draw_practice(chapters, "S1", chapter="章节法 第二编", type="single")


def test_the_menu_counts(chapters: Database, define: Define) -> None:
    choices = practice_choices(chapters, "S1")
    assert choices.types == [("single", 10), ("multiple", 6), ("judge", 12), ("fill", 3)]
    assert choices.total == 31
    assert [(key, n) for key, _, n in choices.topics] == [("ch", 6), ("law", 25)]
    assert [(c.division, c.heading, c.count) for c in choices.chapters] == [
        (Division("章节法"), "中华人民共和国章节法", 5),
        (Division("章节法", 1), "第一编 总则", 4),
        (Division("章节法", 1, 1), "第一章 一般规定", 3),
        (Division("章节法", 1, 2), "第二章 自然人", 1),
        (Division("章节法", 2), "第二编 合同", 2),
        (Division("章节法", 2, 1), "第一章 通则", 2),
    ]
    assert (choices.book.total, choices.book.due) == (0, 0)
    # an open exam with a closed pool takes its questions out of the counts
    define("practice_pool: closed\n", base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n"
           "  rules:\n    - {topic: ch, type: judge, count: 2, points: 10}\n")  # fmt: skip
    closed = practice_choices(chapters, "S1")
    assert closed.total == 25 and closed.chapters == [] and ("ch", "ch", 6) not in closed.topics
    with pytest.raises(InputError, match="no questions match"):
        draw_practice(chapters, "S1", chapter="章节法 第一编")


def test_the_menu_is_refused_during_an_exam(org: Database, define: Define) -> None:
    define()
    attempts.start_attempt(org, "e1", "S1")
    for call in (
        lambda: practice_choices(org, "S1"),
        lambda: book_all(org, "S1"),
        lambda: mock_exams(org, "S1"),
        lambda: draw_mock(org, "S1", "e1"),
    ):
        with pytest.raises(PermissionDenied, match="attempt at exam e1 in progress"):
            call()


def _into_book(database: Database, staff: str, misses: dict[str, int]) -> None:
    """Answer the judge questions named wrongly so many times (then leave none due)."""
    items = {i.external_id: i for i in draw_practice(database, staff, type="judge", count=50)}
    for external_id, times in misses.items():
        for _ in range(times):
            answer_practice(database, staff, items[external_id], False)
    with database.session() as session:
        session.execute(sa.update(BookEntry).values(due=dt.datetime(2999, 1, 1, tzinfo=dt.UTC)))


def test_the_whole_book_most_missed_first(org: Database, define: Define) -> None:
    _into_book(org, "S1", {"law-judge-01": 1, "law-judge-02": 3, "law-judge-03": 2})
    status = book_status(org, "S1")
    assert (status.total, status.due) == (3, 0)
    assert status.next_due == dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    assert [i.external_id for i in book_all(org, "S1")] == [
        "law-judge-02", "law-judge-03", "law-judge-01",
    ]  # fmt: skip
    assert [i.external_id for i in book_all(org, "S1", count=1)] == ["law-judge-02"]
    assert book_status(org, "S2").total == 0
    # a closed pool stays closed in the book too
    define("practice_pool: closed\n", base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n"
           "  rules:\n    - {topic: law, type: judge, count: 2, points: 10}\n")  # fmt: skip
    assert book_all(org, "S1") == [] and book_status(org, "S1").total == 0
    close_exam(org, "e1")
    assert len(book_all(org, "S1")) == 3


# --- mock exams ------------------------------------------------------------------------------


def right(item) -> object:  # type: ignore[no-untyped-def]
    if item.type == "single":
        return [item.options.index("乙")]
    if item.type == "multiple":
        return sorted([item.options.index("甲"), item.options.index("丙")])
    if item.type == "judge":
        return True
    return ["甲"]


def counts(database: Database) -> tuple[int, int, int, int]:
    with database.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Attempt, AttemptItem, PracticeAnswer, BookEntry)
        )


def test_a_mock_by_an_exams_rules_counts_nowhere(org: Database, define: Define) -> None:
    define("pass_mark: 60\nbands: {优秀: 90, 合格: 60}\n")
    before = rates(org, exam="e1")
    [listed] = mock_exams(org, "S1")
    assert (listed.key, listed.questions, listed.points) == ("e1", 10, Decimal(100))
    assert listed.time_limit == dt.timedelta(minutes=60)
    paper = draw_mock(org, "S1", "e1", seed=3)
    assert [i.type for i in paper.items].count("single") == 4 and len(paper.items) == 10
    assert paper.total == Decimal(100) and paper.time_limit == dt.timedelta(minutes=60)
    assert not hasattr(paper.items[0], "answer")
    # nine right, the first one left unanswered
    responses = {n: right(item) for n, item in enumerate(paper.items) if n}
    result = grade_mock(org, "S1", paper, responses)
    assert (result.score, result.max_score, result.percent) == (Decimal(90), Decimal(100),
                                                                Decimal(90))  # fmt: skip
    assert result.passed and result.band == "优秀"
    assert [r.correct for r in result.items] == [False] + [True] * 9
    assert result.items[0].response is None and result.items[0].key is not None
    # no attempt, no rate; nine practice answers; nothing wrong, so nothing into the book
    assert counts(org) == (0, 0, 9, 0)
    assert rates(org, exam="e1") == before
    # a wrong answer goes into the wrong-answer book like any practice answer
    first = paper.items[0]
    wrong = {"single": [first.options.index("丁")], "multiple": [first.options.index("丁")],
             "judge": False, "fill": ["丁"]}[first.type]  # fmt: skip
    assert grade_mock(org, "S1", paper, {0: wrong}).into_book == 1
    assert counts(org)[::2] == (0, 10)


def test_a_fixed_paper_and_the_exams_own_scoring(org: Database, define: Define) -> None:
    define("scoring: partial\nshuffle_questions: false\n",
           base="key: fx\ntitle: 固定卷\nyear: 2026\npaper:\n"
           "  fixed: [law-multiple-01, law-judge-01]\n  points: 5\n")  # fmt: skip
    paper = draw_mock(org, "S1", "fx", seed=1)
    assert [i.external_id for i in paper.items] == ["law-multiple-01", "law-judge-01"]
    assert paper.time_limit is None and paper.total == Decimal(10)
    half = [paper.items[0].options.index("甲")]  # one of the two right options
    result = grade_mock(org, "S1", paper, {0: half, 1: True})
    assert result.score == Decimal("7.50") and [r.correct for r in result.items] == [False, True]


def test_mocks_keep_closed_pools_closed(org: Database, define: Define) -> None:
    define("practice_pool: closed\n")
    with pytest.raises(PermissionDenied, match="exam e1 keeps its questions out of practice"):
        draw_mock(org, "S1", "e1")
    assert mock_exams(org, "S1") == []
    # another exam drawing from the same pool: too few questions are open to practice
    define(base="key: e2\ntitle: 另一场\nyear: 2026\npaper:\n"
           "  rules:\n    - {topic: law, type: single, count: 4, points: 10}\n")  # fmt: skip
    assert [m.key for m in mock_exams(org, "S1")] == ["e2"]
    with pytest.raises(InputError, match=r"needs 4 questions by rule 1 .*; 0 are open"):
        draw_mock(org, "S1", "e2")
    close_exam(org, "e1")
    assert len(draw_mock(org, "S1", "e2").items) == 4
    # a paper drawn before a pool closed is not graded (no key is shown)
    paper = draw_mock(org, "S1", "e1")
    define("practice_pool: closed\n", base="key: e3\ntitle: 又一场\nyear: 2026\npaper:\n"
           "  rules:\n    - {topic: law, type: single, count: 1, points: 10}\n")  # fmt: skip
    with pytest.raises(PermissionDenied, match="kept out of practice"):
        grade_mock(org, "S1", paper, {})
    assert counts(org) == (0, 0, 0, 0)


def test_no_mock_of_an_unknown_exam_or_one_without_a_paper(org: Database, define: Define) -> None:
    with pytest.raises(NotFoundError, match="no exam nope"):
        draw_mock(org, "S1", "nope")
    define(base="key: ext\ntitle: 法宣在线考试\nyear: 2026\nkind: external\n")
    with pytest.raises(InputError, match="exam ext has no paper"):
        draw_mock(org, "S1", "ext")
    assert mock_exams(org, "S1") == []


def test_hidden_questions_are_not_drawn(chapters: Database) -> None:
    with chapters.session() as session:
        session.execute(sa.update(Question).where(Question.external_id == "ch-3")
                        .values(status="hidden"))  # fmt: skip
    with pytest.raises(InputError, match="no questions match"):
        draw_practice(chapters, "S1", chapter="章节法 第一编 第二章")
