"""A SQLite file that turns read-only or runs out of space during a quiz: the taker gets a
clear error, and every answer committed before it is intact.

As root, file permissions do not stop writes, so read-only is simulated with
``PRAGMA query_only`` (through a test-only connect hook) and with a ``file:...?mode=ro`` URI;
a full disk with ``PRAGMA max_page_count`` (further growth fails with SQLITE_FULL). The
chmod variant runs only when the tests do not run as root.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from studyhub.db import Database, create_engine, open_database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from studyhub.quiz.prompter import InputEnded, ScriptedPrompter
from studyhub.quiz.session import DatabaseUnavailable, QuizSession
from tests.exams.conftest import Define, define, org  # noqa: F401  (fixtures)
from tests.quiz.conftest import ORDERED, right

#: the shown answers to questions 1-3 of the ordered exam (single choice, answer B)
FIRST_THREE = [[1], [1], [1]]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A SQLite file of its own, whatever backend the suite runs on: these faults are
    SQLite's (a file that cannot be written)."""
    (tmp_path / "faults").mkdir()
    db = open_database(f"sqlite:///{tmp_path / 'faults' / 'quiz.db'}")
    yield db
    db.dispose()


@pytest.fixture
def exam(define: Define) -> ExamInfo:  # noqa: F811
    return define(ORDERED + "review: full\n")


def three_answers_then(fault: Callable[[], Any], *rest: Any) -> list[Any]:
    """A script answering questions 1-3 right, then calling ``fault`` before answering 4."""

    def faulty(asked: Any) -> Any:
        fault()
        return right(asked)

    return [True, right, right, right, faulty, *rest]  # (True: the start page's 开始作答)


def quiz(database: Database, script: list[Any]) -> tuple[QuizSession, ScriptedPrompter]:
    prompter = ScriptedPrompter(script)
    slept: list[float] = []
    session = QuizSession(database, prompter, staff_no="S1", sleep=slept.append, retry_for=3)
    return session, prompter


def saved(database: Database) -> list[Any]:
    fresh = open_database(database.engine.url.render_as_string(hide_password=False))
    try:
        return [item.response for item in attempts.get_attempt(fresh, 1, "S1").items]
    finally:
        fresh.dispose()


def assert_clear_error(err: DatabaseUnavailable, prompter: ScriptedPrompter, words: str) -> None:
    assert err.reason.startswith("the answer to question 4 could not be saved: database sqlite:///")
    assert words in err.reason
    assert err.hint == (
        "the answers saved before it are kept; start the exam again when the database is back "
        "to resume the attempt"
    )
    assert "数据库暂时无法连接，您此前的答案均已保存。正在重试保存，请稍候……" in prompter.shown
    assert prompter.shown[-1].startswith("数据库仍无法连接，最后一项未能保存；此前的答案均已保存")


def on_connect(database: Database, *pragmas: str) -> None:
    """From now on every new connection runs ``pragmas`` (the pool is emptied first)."""
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()


def test_read_only_database_query_only(org: Database, exam: ExamInfo) -> None:  # noqa: F811
    session, prompter = quiz(
        org, three_answers_then(lambda: on_connect(org, "PRAGMA query_only = ON"))
    )
    with pytest.raises(DatabaseUnavailable) as caught:
        session.run("e1")
    assert_clear_error(
        caught.value,
        prompter,
        "attempt to write a readonly database (the database file or its directory is not writable)",
    )
    assert saved(org) == [*FIRST_THREE] + [None] * 7


def test_read_only_database_file_uri(org: Database, exam: ExamInfo, tmp_path: Path) -> None:  # noqa: F811
    session, prompter = quiz(org, [True, right, right, right])
    with pytest.raises(InputEnded):  # the script ends at question 4
        session.run("e1")
    path = tmp_path / "faults" / "quiz.db"
    readonly = Database(create_engine(f"sqlite:///file:{path}?mode=ro&uri=true"))
    try:
        session, prompter = quiz(readonly, [right])
        with pytest.raises(DatabaseUnavailable) as caught:
            session.run("e1")  # resumes attempt 1 at question 4
    finally:
        readonly.dispose()
    assert_clear_error(caught.value, prompter, "attempt to write a readonly database")
    assert "继续第 1 次作答：已答 3/10 题，从第 4 题开始。" in prompter.shown
    assert saved(org) == [*FIRST_THREE] + [None] * 7


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (see query_only)")
def test_read_only_database_chmod(org: Database, exam: ExamInfo, tmp_path: Path) -> None:  # noqa: F811
    directory = tmp_path / "faults"

    def chmod() -> None:
        org.engine.dispose()
        for path in directory.iterdir():
            path.chmod(0o444)
        directory.chmod(0o555)

    session, _prompter = quiz(org, three_answers_then(chmod))
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            session.run("e1")
    finally:
        directory.chmod(0o755)
        for path in directory.iterdir():
            path.chmod(0o644)
    assert caught.value.reason.startswith("the answer to question 4 could not be saved")
    assert saved(org) == [*FIRST_THREE] + [None] * 7


def test_disk_full(org: Database, exam: ExamInfo) -> None:  # noqa: F811
    """The disk fills up: an answer needing a new page fails with SQLITE_FULL."""
    # a fill answer as long as allowed, in characters of 4 bytes (CJK Extension B): 4,000
    # bytes, more than a page holds, so it needs a new page
    long_answer = "\U00020000" * 1000

    def fill_disk() -> None:
        # the file may grow no more, and what free room its pages have left is taken
        import sqlite3

        with org.engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        on_connect(org, f"PRAGMA max_page_count = {pages + 4}")
        path = org.engine.url.database
        raw = sqlite3.connect(path)
        raw.execute(f"PRAGMA max_page_count = {pages + 4}")
        raw.execute("CREATE TABLE IF NOT EXISTS padding (x BLOB)")
        raw.commit()
        for size in (4096, 1024, 256, 64, 16, 4, 1):
            try:
                while True:
                    raw.execute("INSERT INTO padding VALUES (zeroblob(?))", (size,))
                    raw.commit()
            except sqlite3.OperationalError:
                raw.rollback()
        raw.close()

    script = [True, *[right] * 8, lambda asked: (fill_disk(), long_answer)[1]]
    session, prompter = quiz(org, script)
    with pytest.raises(DatabaseUnavailable) as caught:
        session.run("e1")
    err = caught.value
    assert err.reason.startswith("the answer to question 9 could not be saved: database sqlite:")
    assert err.reason.endswith(
        "database or disk is full (free some disk space; everything committed before this is kept)"
    )
    assert prompter.shown[-1].startswith("数据库仍无法连接，最后一项未能保存；此前的答案均已保存")
    assert saved(org) == [[1], [1], [1], [1], [0, 2], [0, 2], True, True, None, None]
