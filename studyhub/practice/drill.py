"""Practice: questions drawn at random (or due from the wrong-answer book), each answer
checked at once. Practice never counts in rates."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError, PermissionDenied
from studyhub.i18n import msg
from studyhub.letters import remap
from studyhub.practice.book import review
from studyhub.practice.guard import closed_pool_filter, refuse_during_an_attempt
from studyhub.render import printable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = ["PracticeFeedback", "PracticeItem", "answer_practice", "book_due", "draw_practice"]


@dataclass
class PracticeItem:
    """A practice question as shown: no key."""

    version_id: int
    question_id: int
    external_id: str
    type: str
    stem: str
    options: list[str]
    option_order: list[int]

    @property
    def blanks(self) -> int:
        return max(1, self.stem.count("____")) if self.type == "fill" else 0


@dataclass
class PracticeFeedback:
    correct: bool
    #: the key in shown terms (option indexes as shown, True/False, accepted answers)
    key: Any
    explanation: str
    source: str
    in_book: bool
    due: dt.datetime | None


def _staff_id(session: Session, staff_no: str) -> int:
    import sqlalchemy as sa

    from studyhub.models import Staff

    staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
    if staff_id is None:
        raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
    return staff_id


def _item(row: Any, rng: random.Random) -> PracticeItem:
    order = list(range(len(row.options or [])))
    rng.shuffle(order)
    return PracticeItem(row.version_id, row.question_id, row.external_id, row.type,
                        printable(row.stem), [printable(row.options[i]) for i in order],
                        order)  # fmt: skip


def draw_practice(
    database: Database,
    staff_no: str,
    *,
    topic: str | None = None,
    type: str | None = None,
    count: int = 10,
    seed: int | None = None,
) -> list[PracticeItem]:
    """``count`` ready questions at random (of a topic and type, if given)."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion, Topic

    if count < 1:
        raise InputError(msg("--count must be at least 1"))
    from studyhub.db import db_now

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        now = db_now(session)
        refuse_during_an_attempt(session, _staff_id(session, staff_no), now)
        query = (
            sa.select(QuestionVersion.id.label("version_id"), Question.id.label("question_id"),
                      Question.external_id, QuestionVersion.type, QuestionVersion.stem,
                      QuestionVersion.options)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(Question.status == "ready", closed_pool_filter(session, now))
            .order_by(Question.id)
        )  # fmt: skip
        if topic:
            query = query.join(Topic, Topic.id == Question.topic_id).where(Topic.key == topic)
        if type:
            query = query.where(QuestionVersion.type == type)
        ids = list(session.scalars(query.with_only_columns(Question.id)))
        if not ids:
            raise InputError(
                msg("no questions match"), hint=msg("studyhub bank list shows what is there")
            )
        chosen = set(rng.sample(ids, min(count, len(ids))))
        rows = [r for r in session.execute(query.where(Question.id.in_(chosen)))]
    rng.shuffle(rows)
    return [_item(row, rng) for row in rows]


def book_due(
    database: Database, staff_no: str, *, count: int = 10, seed: int | None = None
) -> list[PracticeItem]:
    """The questions of the person's wrong-answer book that FSRS says are due, soonest first."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import BookEntry, Question, QuestionVersion

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        staff_id = _staff_id(session, staff_no)
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id, now)
        rows = session.execute(
            sa.select(QuestionVersion.id.label("version_id"), Question.id.label("question_id"),
                      Question.external_id, QuestionVersion.type, QuestionVersion.stem,
                      QuestionVersion.options)
            .select_from(BookEntry)
            .join(Question, Question.id == BookEntry.question_id)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(BookEntry.staff_id == staff_id, BookEntry.due <= now,
                   Question.status == "ready", closed_pool_filter(session, now))
            .order_by(BookEntry.due)
            .limit(count)
        ).all()  # fmt: skip
    return [_item(row, rng) for row in rows]


def answer_practice(database: Database, staff_no: str, item: PracticeItem, response: Any,
                    *, source: str = "practice") -> PracticeFeedback:  # fmt: skip
    """Check a practice answer (in shown terms), record it and update the book; the feedback
    carries the key, the 解析 and the citation at once."""

    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams.grading import is_correct
    from studyhub.models import PracticeAnswer, Question, QuestionVersion

    with database.session() as session:
        staff_id = _staff_id(session, staff_no)
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id, now)
        version = session.get(QuestionVersion, item.version_id)
        if version is None:
            raise NotFoundError(msg("no question version {version}", version=item.version_id))
        allowed = session.scalar(
            sa.select(Question.id)
            .where(Question.id == version.question_id, closed_pool_filter(session, now))
            .join(QuestionVersion, QuestionVersion.id == item.version_id)
        )
        if allowed is None:
            raise PermissionDenied(
                msg("this question is kept out of practice while an exam is open")
            )
        canonical: Any = response
        if version.type in ("single", "multiple"):
            canonical = sorted(item.option_order[int(i)] for i in response)
        elif version.type == "fill":
            from studyhub.exams.attempts import check_typed

            canonical = check_typed([str(v) for v in response])
        correct = is_correct(version.type, version.answer, canonical)
        session.add(PracticeAnswer(staff_id=staff_id, question_version_id=version.id,
                                   response=canonical, correct=correct, source=source,
                                   answered_at=now))  # fmt: skip
        entry = review(session, staff_id, item.question_id, correct, now)
        key: Any = version.answer
        explanation = version.explanation or ""
        if version.type in ("single", "multiple"):
            key = sorted(item.option_order.index(i) for i in version.answer)
            explanation = remap(explanation, item.option_order)  # the letters as shown
        session.flush()
        in_book = entry is not None
        if version.type == "fill":
            key = [[printable(text) for text in accepted] for accepted in key]
        return PracticeFeedback(correct, key, printable(explanation),
                                printable(version.source or ""), in_book,
                                entry.due if entry is not None else None)  # fmt: skip
