"""Papers and the questions a law's new version put in doubt (issue #23): no paper draws them
until they are reviewed, unless the exam says allow_unreviewed; exam create says what a rule
loses; attempts already taken keep the versions they showed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.banks.review import resolve_reviews, review_queue
from studyhub.db import Database
from studyhub.errors import InputError
from studyhub.exams import attempts, paper
from studyhub.exams.definitions import questions_in_review
from studyhub.exams.spec import load_spec
from studyhub.laws import import_law
from studyhub.models import AttemptItem, QuestionVersion
from tests.exams.conftest import Define
from tests.test_law_versions import V1, V2, write

#: six judge questions in topic tl: 二, 三, 四 and 七 cite articles V2 changed, moved or removed
BANK = """\
bank: {key: tl, topic: tl}
questions:
  - {id: t1, type: judge, stem: 甲一, answer: true, source: 测试法 第1条}
  - {id: t2, type: judge, stem: 甲二, answer: true, source: 测试法 第2条}
  - {id: t3, type: judge, stem: 甲三, answer: true, source: 测试法 第3条}
  - {id: t4, type: judge, stem: 甲四, answer: true, source: 测试法 第4条}
  - {id: t5, type: judge, stem: 甲五, answer: true, source: 测试法 第1条}
  - {id: t7, type: judge, stem: 甲七, answer: true, source: 测试法 第7条}
"""


def spec(count: int, extra: str = "", key: str = "r1") -> str:
    return (
        f"key: {key}\ntitle: 学法考试\nyear: 2026\nattempts: 100\nreview: full\n{extra}"
        f"paper:\n  rules:\n    - {{topic: tl, type: judge, count: {count}, points: 10}}\n"
    )


@pytest.fixture
def revised(org: Database, tmp_path: Path) -> Database:
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK)])
    import_law(org, write(tmp_path, "v2.md", V2))
    assert {i.question for i in review_queue(org)} == {"t2", "t3", "t4", "t7"}
    return org


def drawn(database: Database, key: str, staff: str = "S1") -> set[str]:
    view = attempts.start_attempt(database, key, staff, seed=random.randrange(10**6))
    attempts.submit(database, view.attempt_id, staff)
    return {item.stem for item in view.items}


@pytest.mark.parametrize("as_list", [500, 2], ids=["ids-listed", "subquery"])
def test_papers_skip_the_questions_awaiting_review(
    revised: Database, define: Define, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    as_list: int,
) -> None:  # fmt: skip
    """Few questions awaiting review are left out by their ids; many, by a subquery."""
    monkeypatch.setattr(paper, "WAITING_AS_LIST", as_list)
    define(base=spec(2))
    for _ in range(5):
        assert drawn(revised, "r1") == {"甲一", "甲五"}
    held, fixed = questions_in_review(revised, load_spec(write(tmp_path, "s.yaml", spec(2))))
    assert [(index, count) for index, _, count in held] == [(1, 4)] and fixed == []
    with pytest.raises(InputError) as caught:
        define(base=spec(3, key="r2"))
    assert "the banks have 2 (short by 1)" in str(caught.value)
    assert "4 more await review after a law changed" in str(caught.value)


def test_allow_unreviewed_draws_them(revised: Database, define: Define, tmp_path: Path) -> None:
    define(base=spec(6, "allow_unreviewed: true\n"))
    assert drawn(revised, "r1") == {"甲一", "甲二", "甲三", "甲四", "甲五", "甲七"}
    allowed = load_spec(write(tmp_path, "s.yaml", spec(6, "allow_unreviewed: true\n")))
    assert questions_in_review(revised, allowed) == ([], [])


def test_reviewed_questions_are_drawn_again(revised: Database, define: Define) -> None:
    ids = {i.question: i.id for i in review_queue(revised)}
    resolve_reviews(revised, [ids["t2"]], "ok")
    resolve_reviews(revised, [ids["t3"]], "retired")
    define(base=spec(3))
    assert drawn(revised, "r1") == {"甲一", "甲二", "甲五"}


def test_a_fixed_paper_still_shows_them_and_create_names_them(
    revised: Database, tmp_path: Path
) -> None:
    fixed = spec(1).split("paper:")[0] + "paper:\n  fixed: [t1, t2, t7]\n  points: 10\n"
    assert questions_in_review(revised, load_spec(write(tmp_path, "f.yaml", fixed))) == (
        [],
        ["t2", "t7"],
    )


def test_attempts_taken_keep_the_versions_they_showed(
    org: Database, define: Define, tmp_path: Path
) -> None:
    import_law(org, write(tmp_path, "v1.md", V1))
    import_files(org, [write(tmp_path, "tl.yaml", BANK)])
    define(base=spec(6))
    view = attempts.start_attempt(org, "r1", "S1")
    for item in view.items:
        attempts.answer(org, view.attempt_id, item.position, True, "S1")
    before = attempts.submit(org, view.attempt_id, "S1")

    def pinned() -> list[tuple[int, str, str]]:
        with org.session(readonly=True) as session:
            return [
                tuple(row)
                for row in session.execute(
                    sa.select(
                        AttemptItem.question_version_id,
                        QuestionVersion.stem,
                        QuestionVersion.source,
                    )
                    .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
                    .where(AttemptItem.attempt_id == view.attempt_id)
                    .order_by(AttemptItem.position)
                )
            ]

    shown = pinned()
    import_law(org, write(tmp_path, "v2.md", V2))
    ids = {i.question: i.id for i in review_queue(org)}
    resolve_reviews(org, [ids["t3"]], "retired")
    rewritten = BANK.replace("stem: 甲四, answer: true, source: 测试法 第4条",
                             "stem: 甲四改, answer: false, source: 测试法 第3条")  # fmt: skip
    import_files(org, [write(tmp_path, "tl.yaml", rewritten)])
    assert pinned() == shown
    after = attempts.result(org, view.attempt_id, "S1")
    assert (after.score, after.passed) == (before.score, before.passed)
