"""Practice: questions drawn at random (or due from the wrong-answer book), each answer
checked at once. Practice never counts in rates, and never shows a question awaiting review
after a law changed (its key may no longer hold)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError, PermissionDenied
from studyhub.i18n import msg, msgn
from studyhub.letters import remap
from studyhub.practice.book import review
from studyhub.practice.chapters import Division, parse_division, sources_in
from studyhub.practice.guard import closed_pool_filter, refuse_during_an_attempt
from studyhub.render import printable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = [
    "BookStatus",
    "PracticeDraw",
    "PracticeFeedback",
    "PracticeItem",
    "answer_practice",
    "book_all",
    "book_due",
    "book_status",
    "draw_practice",
    "draw_round",
    "practice_item",
    "shown_explanation",
    "shown_key",
    "shown_terms",
    "staff_id_of",
]


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


def staff_id_of(session: Session, staff_no: str) -> int:
    """The id of staff member ``staff_no``; NotFoundError if there is none."""
    import sqlalchemy as sa

    from studyhub.models import Staff

    staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
    if staff_id is None:
        raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
    return staff_id


def practice_item(row: Any, rng: random.Random, shuffle: bool = True) -> PracticeItem:
    """A question row as practice shows it: options in a random order (when ``shuffle``)."""
    order = list(range(len(row.options or [])))
    if shuffle:
        rng.shuffle(order)
    return PracticeItem(row.version_id, row.question_id, row.external_id, row.type,
                        printable(row.stem), [printable(row.options[i]) for i in order],
                        order)  # fmt: skip


@dataclass
class PracticeDraw:
    """A round of practice drawn, and how many questions that match await review after a
    law changed (left out: their keys may no longer hold)."""

    items: list[PracticeItem]
    held_back: int = 0


def draw_practice(
    database: Database,
    staff_no: str,
    *,
    topic: str | None = None,
    type: str | None = None,
    chapter: str | Division | None = None,
    count: int = 10,
    seed: int | None = None,
) -> list[PracticeItem]:
    """``count`` ready questions at random (of a topic, a type and a chapter of a statute,
    ``民法典 第一编 第二章``, if given); never one awaiting review after a law changed."""
    return draw_round(
        database, staff_no, topic=topic, type=type, chapter=chapter, count=count, seed=seed
    ).items


def draw_round(
    database: Database,
    staff_no: str,
    *,
    topic: str | None = None,
    type: str | None = None,
    chapter: str | Division | None = None,
    count: int = 10,
    seed: int | None = None,
) -> PracticeDraw:
    """:func:`draw_practice`, with the number of matching questions left out because they
    await review after a law changed; InputError when nothing matches (saying so when all
    that match await review)."""
    import sqlalchemy as sa

    from studyhub.exams.paper import in_review
    from studyhub.models import Question, QuestionVersion, Topic

    if count < 1:
        raise InputError(msg("--count must be at least 1"))
    from studyhub.db import db_now

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id_of(session, staff_no), now)
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
        if chapter:
            division = parse_division(chapter) if isinstance(chapter, str) else chapter
            cited = session.scalars(
                query.with_only_columns(QuestionVersion.source).distinct().order_by(None)
            )
            query = query.where(QuestionVersion.source.in_(sources_in(session, division, cited)))
        waiting = query.where(in_review(Question.id)).order_by(None).subquery("waiting")
        held = session.scalar(sa.select(sa.func.count()).select_from(waiting))
        query = query.where(~in_review(Question.id))
        ids = list(session.scalars(query.with_only_columns(Question.id)))
        if not ids and held:
            raise InputError(
                msgn("the {n} question that matches awaits review after a law changed: it is "
                     "not practised until an admin reviews it",
                     "the {n} questions that match await review after a law changed: they are "
                     "not practised until an admin reviews them", held),
                hint=msg("choose another topic, type or chapter"),
            )  # fmt: skip
        if not ids:
            raise InputError(
                msg("no questions match"), hint=msg("studyhub bank list shows what is there")
            )
        chosen = set(rng.sample(ids, min(count, len(ids))))
        rows = [r for r in session.execute(query.where(Question.id.in_(chosen)))]
    rng.shuffle(rows)
    return PracticeDraw([practice_item(row, rng) for row in rows], held or 0)


def _book_rows(session: Session, staff_id: int, now: dt.datetime) -> Any:
    """The person's book entries that may be practised (ready, no closed pool, not awaiting
    review after a law changed), as a query of the question rows with the entries'
    scheduling columns."""
    import sqlalchemy as sa

    from studyhub.exams.paper import in_review
    from studyhub.models import BookEntry, Question, QuestionVersion

    return (
        sa.select(QuestionVersion.id.label("version_id"), Question.id.label("question_id"),
                  Question.external_id, QuestionVersion.type, QuestionVersion.stem,
                  QuestionVersion.options)
        .select_from(BookEntry)
        .join(Question, Question.id == BookEntry.question_id)
        .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                       QuestionVersion.version == Question.current_version))
        .where(BookEntry.staff_id == staff_id, Question.status == "ready",
               closed_pool_filter(session, now), ~in_review(Question.id))
    )  # fmt: skip


def book_due(
    database: Database, staff_no: str, *, count: int = 10, seed: int | None = None
) -> list[PracticeItem]:
    """The questions of the person's wrong-answer book that FSRS says are due, soonest first."""
    from studyhub.db import db_now
    from studyhub.models import BookEntry

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        staff_id = staff_id_of(session, staff_no)
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id, now)
        query = _book_rows(session, staff_id, now).where(BookEntry.due <= now)
        rows = session.execute(query.order_by(BookEntry.due).limit(count)).all()
    return [practice_item(row, rng) for row in rows]


def book_all(
    database: Database, staff_no: str, *, count: int | None = None, seed: int | None = None
) -> list[PracticeItem]:
    """Every question of the person's wrong-answer book, due or not (``count`` of them when
    given), the most missed first: most wrong answers, then the most recently missed."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import BookEntry

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        staff_id = staff_id_of(session, staff_no)
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id, now)
        query = _book_rows(session, staff_id, now).order_by(
            BookEntry.wrong_count.desc(),
            sa.case((BookEntry.last_wrong_at.is_(None), 1), else_=0),
            BookEntry.last_wrong_at.desc(),
            BookEntry.question_id,
        )
        if count is not None:
            query = query.limit(count)
        rows = session.execute(query).all()
    return [practice_item(row, rng) for row in rows]


@dataclass
class BookStatus:
    """The person's wrong-answer book: questions in it (that may be practised now), those
    due, and when the next one falls due."""

    total: int
    due: int
    next_due: dt.datetime | None


def book_status(database: Database, staff_no: str) -> BookStatus:
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import BookEntry

    with database.session(readonly=True) as session:
        staff_id = staff_id_of(session, staff_no)
        now = db_now(session)
        later = sa.case((BookEntry.due > now, BookEntry.due), else_=None)
        query = _book_rows(session, staff_id, now).with_only_columns(
            sa.func.count(),
            sa.func.sum(sa.case((BookEntry.due <= now, 1), else_=0)),
            sa.func.min(sa.type_coerce(later, BookEntry.due.type)),
        )
        total, due, next_due = session.execute(query).one()
    return BookStatus(int(total or 0), int(due or 0), next_due)


def shown_terms(version: Any, item: PracticeItem, response: Any) -> Any:
    """A response given in shown terms as stored (option indexes of the bank's order)."""
    if version.type in ("single", "multiple"):
        return sorted(item.option_order[int(i)] for i in response)
    if version.type == "fill":
        from studyhub.exams.attempts import check_typed

        return check_typed([str(v) for v in response])
    return response


def shown_key(version: Any, item: PracticeItem) -> Any:
    """The key in shown terms: option indexes as shown, True/False, accepted answers."""
    key: Any = version.answer
    if version.type in ("single", "multiple"):
        return sorted(item.option_order.index(i) for i in key)
    if version.type == "fill":
        return [[printable(text) for text in accepted] for accepted in key]
    return key


def shown_explanation(version: Any, item: PracticeItem) -> str:
    """The 解析 with its letter references rewritten to the letters as shown."""
    explanation = version.explanation or ""
    if version.type in ("single", "multiple"):
        explanation = remap(explanation, item.option_order)
    return printable(explanation)


def answer_practice(database: Database, staff_no: str, item: PracticeItem, response: Any,
                    *, source: str = "practice") -> PracticeFeedback:  # fmt: skip
    """Check a practice answer (in shown terms), record it and update the book; the feedback
    carries the key, the 解析 and the citation at once."""

    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams.grading import is_correct
    from studyhub.models import PracticeAnswer, Question, QuestionVersion

    with database.session() as session:
        staff_id = staff_id_of(session, staff_no)
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
        canonical = shown_terms(version, item, response)
        correct = is_correct(version.type, version.answer, canonical)
        session.add(PracticeAnswer(staff_id=staff_id, question_version_id=version.id,
                                   response=canonical, correct=correct, source=source,
                                   answered_at=now))  # fmt: skip
        entry = review(session, staff_id, item.question_id, correct, now)
        session.flush()
        return PracticeFeedback(correct, shown_key(version, item), shown_explanation(version, item),
                                printable(version.source or ""), entry is not None,
                                entry.due if entry is not None else None)  # fmt: skip
