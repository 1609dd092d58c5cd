"""Practice, the wrong-answer book (FSRS) and flagged questions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import InputError
from studyhub.exams import attempts
from studyhub.models import BookEntry, PracticeAnswer
from studyhub.practice import (
    PracticeItem,
    answer_practice,
    book_due,
    draw_practice,
    flagged_questions,
)
from tests.exams.conftest import Define


def right(item: PracticeItem) -> object:
    if item.type == "single":
        return [item.options.index("乙")]
    if item.type == "multiple":
        return sorted([item.options.index("甲"), item.options.index("丙")])
    if item.type == "judge":
        return True
    return ["甲"]


def wrong(item: PracticeItem) -> object:
    if item.type in ("single", "multiple"):
        return [item.options.index("丁")]
    if item.type == "judge":
        return False
    return ["丁"]


def make_due(database: Database) -> None:
    with database.session() as session:
        session.execute(sa.update(BookEntry).values(due=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))


def test_draw_filters_and_hides_keys(org: Database) -> None:
    items = draw_practice(org, "S1", topic="law", type="judge", count=4, seed=3)
    assert len(items) == 4 and {i.type for i in items} == {"judge"}
    assert len({i.question_id for i in items}) == 4
    assert not hasattr(items[0], "answer")
    assert draw_practice(org, "S1", count=100, seed=1).__len__() == 25  # all there is
    with pytest.raises(InputError, match="no questions match"):
        draw_practice(org, "S1", topic="nope")


def test_feedback_and_the_book(org: Database) -> None:
    [item] = draw_practice(org, "S1", type="single", count=1, seed=5)
    feedback = answer_practice(org, "S1", item, wrong(item))
    assert not feedback.correct and feedback.in_book
    assert feedback.key == [item.options.index("乙")]
    assert feedback.explanation.startswith("解析") and feedback.source == "示例法 第1条"
    assert book_due(org, "S1") == []  # due again in a minute, not yet
    make_due(org)
    [due] = book_due(org, "S1")
    assert due.question_id == item.question_id
    again = answer_practice(org, "S1", due, right(due))
    assert again.correct and again.in_book and again.due is not None
    assert again.due > dt.datetime.now(dt.UTC)
    with org.session() as session:
        entry = session.scalars(sa.select(BookEntry)).one()
        assert (entry.wrong_count, entry.right_count) == (1, 1)
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 2


def test_right_answers_do_not_fill_the_book(org: Database) -> None:
    for item in draw_practice(org, "S1", count=5, seed=9):
        assert answer_practice(org, "S1", item, right(item)).correct
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(BookEntry)) == 0


def test_exam_mistakes_feed_the_book(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    first, second = view.items[0], view.items[1]
    if first.type in ("single", "multiple"):
        response: object = [first.options.index("丁")]
    elif first.type == "judge":
        response = False
    else:
        response = ["丁"] * first.blanks
    attempts.answer(org, view.attempt_id, first.position, response, "S1")
    attempts.submit(org, view.attempt_id, "S1")
    with org.session() as session:
        entries = session.scalars(sa.select(BookEntry)).all()
    assert len(entries) == 1 and entries[0].wrong_count == 1  # unanswered ones are not lapses
    assert second.answered is False


def test_flagged_questions(org: Database) -> None:
    [item] = draw_practice(org, "S1", type="judge", count=1, seed=2)
    for person in ("S1", "S2", "S3"):
        answer_practice(org, person, item, wrong(item))
    answer_practice(org, "S1", item, right(item))
    flagged = flagged_questions(org)
    assert [(f.question, f.answers, f.wrong, f.wrong_share) for f in flagged] == [
        (item.external_id, 4, 3, Decimal("0.75"))
    ]
    assert flagged_questions(org, min_wrong=4) == []


def test_bank_flagged_command(org: Database) -> None:
    import json

    from click.testing import CliRunner

    from studyhub.cli import cli

    [item] = draw_practice(org, "S1", type="judge", count=1, seed=2)
    for person in ("S1", "S2", "S3"):
        answer_practice(org, person, item, wrong(item))
    url = org.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "bank", "flagged", "--format", "json"])
    assert result.exit_code == 0
    assert [(r["question"], r["wrong"], r["wrong_share"]) for r in json.loads(result.stdout)] == [
        (item.external_id, 3, "1.00")
    ]
