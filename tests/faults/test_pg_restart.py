"""The PostgreSQL server stops during a quiz and comes back: the quiz says the database is
unavailable and the answers so far are saved, retries the answer being saved, and goes on
after the restart; when it stays down, a clear error, and the attempt resumes later.

Runs on a throw-away cluster of its own (initdb + pg_ctl, as .ci/run does); skipped only
when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from studyhub.db import Database, open_database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from studyhub.quiz.prompter import ScriptedPrompter
from studyhub.quiz.session import DatabaseUnavailable, QuizSession
from tests.exams.conftest import Define, define, org  # noqa: F401  (fixtures)
from tests.faults.cluster import PgCluster, find_pg_bindir
from tests.quiz.conftest import ORDERED, right

BINDIR = find_pg_bindir()
pytestmark = pytest.mark.skipif(BINDIR is None, reason="no PostgreSQL binaries installed")

UNAVAILABLE = "数据库暂时无法连接，您此前的答案均已保存。正在重试保存，请稍候……"
BACK = "数据库已恢复，答案已保存，请继续作答。"


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    assert BINDIR is not None
    server = PgCluster(BINDIR)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def database(cluster: PgCluster) -> Iterator[Database]:
    db = open_database(cluster.url)
    yield db
    db.dispose()


@pytest.fixture
def exam(define: Define) -> ExamInfo:  # noqa: F811
    return define(ORDERED + "review: full\n")


def stop_then(cluster: PgCluster, restart_after: float | None) -> Any:
    """A scripted answer that stops the server (and restarts it later) before answering."""

    def answer(asked: Any) -> Any:
        cluster.stop("fast")
        if restart_after is not None:
            threading.Timer(restart_after, cluster.start).start()
        return right(asked)

    return answer


def responses(database: Database) -> list[Any]:
    return [item.response for item in attempts.get_attempt(database, 1, "S1").items]


def test_quiz_waits_for_a_restart_and_goes_on(
    org: Database,  # noqa: F811
    exam: ExamInfo,
    cluster: PgCluster,
) -> None:
    script = [True, right, right, right, stop_then(cluster, 1.0), *[right] * 6, "交卷", True]
    prompter = ScriptedPrompter(script)
    started = time.monotonic()
    outcomes = QuizSession(org, prompter, staff_no="S1", retry_for=30).run("e1")
    assert time.monotonic() - started < 25
    assert outcomes[0].result is not None and outcomes[0].result.score == 100
    shown = prompter.shown
    assert shown.count(UNAVAILABLE) == 1 and shown.count(BACK) == 1
    assert shown.index(UNAVAILABLE) < shown.index(BACK)
    # the answer being saved when the server went away was saved after the restart
    assert responses(org)[:4] == [[1], [1], [1], [1]]


def test_quiz_gives_up_with_a_clear_error_and_resumes_later(
    org: Database,  # noqa: F811
    exam: ExamInfo,
    cluster: PgCluster,
) -> None:
    prompter = ScriptedPrompter([True, right, right, right, stop_then(cluster, None)])
    session = QuizSession(org, prompter, staff_no="S1", retry_for=1.5)
    with pytest.raises(DatabaseUnavailable) as caught:
        session.run("e1")
    assert caught.value.reason.startswith(
        "the answer to question 4 could not be saved: database postgresql+psycopg://postgres@"
    )
    assert "(check that the database server is running and reachable)" in caught.value.reason
    assert "start the exam again when the database is back" in (caught.value.hint or "")
    assert UNAVAILABLE in prompter.shown
    assert prompter.shown[-1].startswith("数据库仍无法连接")

    cluster.start()
    assert responses(org) == [[1], [1], [1]] + [None] * 7
    prompter = ScriptedPrompter([right] * 7 + ["交卷", True])
    QuizSession(org, prompter, staff_no="S1").run("e1")
    assert "继续第 1 次作答：已答 3/10 题，从第 4 题开始。" in prompter.shown
    assert attempts.result(org, 1, "S1").score == 100
