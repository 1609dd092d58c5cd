"""Nothing slow inside a write transaction (issue 22, item 1): the paper is drawn before
the write transaction of a start (checked inside it, drawn again once if the bank changed
meanwhile); a submit writes the wrong-answer book in one statement, with FSRS cards that
carry their question's id (fsrs otherwise sleeps 1 ms per new card)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.exams import attempts, paper
from studyhub.models import AttemptItem, BookEntry, QuestionVersion
from tests.conftest import BACKEND
from tests.exams.conftest import Define


def _question_ids(database: Database, attempt_id: int) -> list[int]:
    with database.session() as session:
        return list(
            session.scalars(
                sa.select(QuestionVersion.question_id)
                .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
                .where(AttemptItem.attempt_id == attempt_id)
                .order_by(AttemptItem.position)
            )
        )


def test_the_paper_is_drawn_outside_the_write_transaction(
    org: Database, define: Define, monkeypatch: pytest.MonkeyPatch
) -> None:
    define()
    draw = paper.draw_paper
    seen: list[Any] = []

    def watched(session: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(session.connection().get_execution_options().get("readonly"))
        if BACKEND == "sqlite":  # another writer gets the lock while the paper is drawn
            import sqlite3

            other = sqlite3.connect(org.engine.url.database, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other.close()
        return draw(session, *args, **kwargs)

    monkeypatch.setattr(paper, "draw_paper", watched)
    view = attempts.start_attempt(org, "e1", "S1")
    assert seen == [True] and len(view.items) == 10
    # resuming draws nothing (a bank that changed cannot stop a resume)
    monkeypatch.setattr(paper, "draw_paper", lambda *a, **k: pytest.fail("drew a paper"))
    assert attempts.start_attempt(org, "e1", "S1").attempt_id == view.attempt_id


def test_a_draw_the_bank_changed_under_is_drawn_again(
    org: Database, define: Define, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    define()
    with org.session(readonly=True) as session:
        drawn = paper.draw_paper(
            session, {"fixed": ["law-judge-01", "law-judge-02"]}, 1,
            shuffle_questions=False, shuffle_options=False,
        )  # fmt: skip
        assert paper.still_current(session, drawn)
    from studyhub.banks.importer import import_files

    edited = tmp_path / "edit.yaml"
    edited.write_text(
        "bank: {key: law, topic: law}\nquestions:\n"
        "  - {id: law-judge-01, type: judge, stem: 判断题1（改）。, answer: true}\n",
        encoding="utf-8",
    )
    import_files(org, [edited])
    with org.session(readonly=True) as session:
        assert not paper.still_current(session, drawn)  # a new version since the draw

    calls: list[bool] = []
    current = paper.still_current

    def first_stale(session: Any, items: Any) -> bool:
        calls.append(True)
        return len(calls) > 1 and current(session, items)

    monkeypatch.setattr(paper, "still_current", first_stale)
    view = attempts.start_attempt(org, "e1", "S2")
    assert len(calls) == 2 and len(view.items) == 10


def test_a_submit_writes_the_book_in_one_statement_without_sleeping(
    org: Database, define: Define, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fsrs.card

    define()
    view = attempts.start_attempt(org, "e1", "S1")
    ids = _question_ids(org, view.attempt_id)
    singles = [item for item in view.items if item.type == "single"]
    # the first single question is in the book already (one lapse); S1 answers it right now
    in_book = ids[singles[0].position - 1]
    from studyhub.practice.book import review

    with org.session() as session:
        review(session, org_staff_id(org, "S1"), in_book, False, attempts_now(org))
    right_index = singles[0].options.index("乙")
    attempts.answer(org, view.attempt_id, singles[0].position, [right_index], "S1")
    for item in singles[1:3]:  # two wrong answers: new entries
        attempts.answer(org, view.attempt_id, item.position, [item.options.index("丁")], "S1")

    monkeypatch.setattr(fsrs.card.time, "sleep", lambda s: pytest.fail("fsrs slept"))
    writes: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "book_entries" in statement and not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    sa.event.listen(org.engine, "before_cursor_execute", count)
    try:
        attempts.submit(org, view.attempt_id, "S1")
    finally:
        sa.event.remove(org.engine, "before_cursor_execute", count)
    assert len(writes) == 1, writes

    with org.session() as session:
        entries = {
            e.question_id: e for e in session.scalars(sa.select(BookEntry).order_by(BookEntry.id))
        }
    assert set(entries) == {in_book, *(ids[i.position - 1] for i in singles[1:3])}
    assert (entries[in_book].wrong_count, entries[in_book].right_count) == (1, 1)
    for item in singles[1:3]:
        entry = entries[ids[item.position - 1]]
        assert (entry.wrong_count, entry.right_count) == (1, 0)
        assert entry.card["card_id"] == entry.question_id
        assert entry.last_wrong_at is not None and entry.due >= entry.last_wrong_at


def org_staff_id(database: Database, staff_no: str) -> int:
    from studyhub.models import Staff

    with database.session() as session:
        return session.scalars(sa.select(Staff.id).where(Staff.staff_no == staff_no)).one()


def attempts_now(database: Database) -> Any:
    from studyhub.db import db_now

    with database.session() as session:
        return db_now(session)
