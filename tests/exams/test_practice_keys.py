"""Practice never shows the key of a question on a paper someone is sitting."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import PermissionDenied
from studyhub.exams import attempts
from studyhub.exams.definitions import close_exam
from studyhub.practice import answer_practice, book_due, draw_practice
from tests.exams.conftest import Define


def test_no_practice_while_sitting_an_exam(org: Database, define: Define) -> None:
    define()
    [before] = draw_practice(org, "S1", type="single", count=1, seed=1)
    view = attempts.start_attempt(org, "e1", "S1")
    for call in (
        lambda: draw_practice(org, "S1", count=1000),
        lambda: book_due(org, "S1"),
        lambda: answer_practice(org, "S1", before, [0]),  # drawn before the attempt began
    ):
        with pytest.raises(PermissionDenied, match="attempt at exam e1 in progress"):
            call()
    assert len(draw_practice(org, "S2", count=1000)) == 25  # others practise as before
    attempts.submit(org, view.attempt_id, "S1")
    assert draw_practice(org, "S1", count=1)


def test_no_practice_while_sitting_through_the_cli(org: Database, define: Define) -> None:
    define()
    attempts.start_attempt(org, "e1", "S1")
    url = org.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli, ["--db", url, "--lang", "en", "practice", "--plain", "--staff", "S1"], input="A\n"
    )
    assert result.exit_code == 1
    assert "attempt at exam e1 in progress" in result.stderr
    assert "甲" not in result.stdout  # no question (and no key) was shown


def test_a_closed_practice_pool(org: Database, define: Define) -> None:
    """The exam draws single and judge questions of topic law: while it is open, practice
    offers only the other types, to everyone; after it closes, everything again."""
    define(
        "practice_pool: closed\n",
        base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: single, count: 4, points: 10}\n"
        "    - {topic: law, type: judge, count: 2, points: 10}\n",
    )
    items = draw_practice(org, "S3", count=1000)
    assert {i.type for i in items} == {"multiple", "fill"} and len(items) == 9
    close_exam(org, "e1")
    assert len(draw_practice(org, "S3", count=1000)) == 25


def test_an_item_of_a_closed_pool_is_not_checked(org: Database, define: Define) -> None:
    [item] = draw_practice(org, "S3", type="single", count=1, seed=2)
    define(
        "practice_pool: closed\n",
        base="key: e2\ntitle: 考试\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: single, count: 2, points: 50}\n",
    )
    with pytest.raises(PermissionDenied, match="kept out of practice"):
        answer_practice(org, "S3", item, [0])


def test_a_topic_practice_while_a_pool_is_closed(org: Database, define: Define) -> None:
    """Found in review: the pool filter's topic subquery was auto-correlated away when
    practice joined Topic for --topic (an InvalidRequestError)."""
    define(
        "practice_pool: closed\n",
        base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: single, count: 4, points: 10}\n",
    )
    items = draw_practice(org, "S3", topic="law", count=1000)
    assert items and "single" not in {i.type for i in items}


def test_a_makeup_keeps_its_parents_pool_closed(org: Database, define: Define) -> None:
    define(
        "practice_pool: closed\n",
        base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: judge, count: 2, points: 50}\n",
    )
    define(
        base="key: e1-bk\ntitle: 补考\nyear: 2026\nkind: makeup\nmakeup_of: e1\npaper:\n"
        "  rules:\n    - {topic: law, type: single, count: 2, points: 50}\n"
    )
    close_exam(org, "e1")
    assert "single" not in {i.type for i in draw_practice(org, "S3", count=1000)}
