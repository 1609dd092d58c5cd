"""Practice and the wrong-answer book (错题本). Practice never counts in rates.

Every wrong answer, in an exam or in practice, puts the question in the person's book as an
FSRS lapse; a right answer to a question in the book is a successful review. ``--wrong``
practice drills the questions that are due. Questions many people keep getting wrong are
flagged for the bank admin.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = [
    "FlaggedQuestion",
    "PracticeFeedback",
    "PracticeItem",
    "answer_practice",
    "book_due",
    "draw_practice",
    "flagged_questions",
    "record_attempt_in_book",
]

#: a question is flagged when at least this many answers were wrong ...
FLAG_MIN_WRONG = 3
#: ... and at least this share of its answers were wrong
FLAG_MIN_SHARE = Decimal("0.5")


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


def _scheduler() -> Any:
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def _staff_id(session: Session, staff_no: str) -> int:
    import sqlalchemy as sa

    from studyhub.models import Staff

    staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
    if staff_id is None:
        raise NotFoundError(f"no staff member {staff_no}")
    return staff_id


def _item(row: Any, rng: random.Random) -> PracticeItem:
    order = list(range(len(row.options or [])))
    rng.shuffle(order)
    return PracticeItem(row.version_id, row.question_id, row.external_id, row.type, row.stem,
                        [row.options[i] for i in order], order)  # fmt: skip


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
        raise InputError("--count must be at least 1")
    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        _staff_id(session, staff_no)
        query = (
            sa.select(QuestionVersion.id.label("version_id"), Question.id.label("question_id"),
                      Question.external_id, QuestionVersion.type, QuestionVersion.stem,
                      QuestionVersion.options)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(Question.status == "ready")
            .order_by(Question.id)
        )  # fmt: skip
        if topic:
            query = query.join(Topic, Topic.id == Question.topic_id).where(Topic.key == topic)
        if type:
            query = query.where(QuestionVersion.type == type)
        ids = list(session.scalars(query.with_only_columns(Question.id)))
        if not ids:
            raise InputError("no questions match", hint="studyhub bank list shows what is there")
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
        rows = session.execute(
            sa.select(QuestionVersion.id.label("version_id"), Question.id.label("question_id"),
                      Question.external_id, QuestionVersion.type, QuestionVersion.stem,
                      QuestionVersion.options)
            .select_from(BookEntry)
            .join(Question, Question.id == BookEntry.question_id)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(BookEntry.staff_id == staff_id, BookEntry.due <= now,
                   Question.status == "ready")
            .order_by(BookEntry.due)
            .limit(count)
        ).all()  # fmt: skip
    return [_item(row, rng) for row in rows]


def _review(session: Session, staff_id: int, question_id: int, correct: bool,
            now: dt.datetime) -> Any:  # fmt: skip
    """Record a wrong answer as a lapse (adding the question to the book) or a right answer
    as a review of a question already in the book; returns the entry (or None)."""
    entry = _entries(session, staff_id, [question_id]).get(question_id)
    return _apply_review(session, entry, staff_id, question_id, correct, now)


def _entries(session: Session, staff_id: int, question_ids: list[int]) -> dict[int, Any]:
    """The person's book entries for these questions, by question id (one query)."""
    import sqlalchemy as sa

    from studyhub.models import BookEntry

    if not question_ids:
        return {}
    return {
        entry.question_id: entry
        for entry in session.scalars(
            sa.select(BookEntry).where(BookEntry.staff_id == staff_id,
                                       BookEntry.question_id.in_(set(question_ids)))
        )
    }  # fmt: skip


def _apply_review(session: Session, entry: Any, staff_id: int, question_id: int,
                  correct: bool, now: dt.datetime) -> Any:  # fmt: skip
    """:func:`_review` with the entry (or None) already read."""
    from fsrs import Card, Rating

    from studyhub.models import BookEntry

    if entry is None and correct:
        return None
    card = Card.from_dict(entry.card) if entry is not None else Card()
    card, _ = _scheduler().review_card(card, Rating.Good if correct else Rating.Again, now)
    if entry is None:
        entry = BookEntry(staff_id=staff_id, question_id=question_id, card={}, due=now,
                          wrong_count=0, right_count=0)  # fmt: skip
        session.add(entry)
    entry.card = card.to_dict()
    entry.due = card.due
    entry.last_review_at = now
    if correct:
        entry.right_count += 1
    else:
        entry.wrong_count += 1
        entry.last_wrong_at = now
    return entry


def answer_practice(database: Database, staff_no: str, item: PracticeItem, response: Any,
                    *, source: str = "practice") -> PracticeFeedback:  # fmt: skip
    """Check a practice answer (in shown terms), record it and update the book; the feedback
    carries the key, the 解析 and the citation at once."""

    from studyhub.db import db_now
    from studyhub.exams.grading import is_correct
    from studyhub.models import PracticeAnswer, QuestionVersion

    with database.session() as session:
        staff_id = _staff_id(session, staff_no)
        version = session.get(QuestionVersion, item.version_id)
        if version is None:
            raise NotFoundError(f"no question version {item.version_id}")
        canonical: Any = response
        if version.type in ("single", "multiple"):
            canonical = sorted(item.option_order[int(i)] for i in response)
        correct = is_correct(version.type, version.answer, canonical)
        now = db_now(session)
        session.add(PracticeAnswer(staff_id=staff_id, question_version_id=version.id,
                                   response=canonical, correct=correct, source=source,
                                   answered_at=now))  # fmt: skip
        entry = _review(session, staff_id, item.question_id, correct, now)
        key: Any = version.answer
        if version.type in ("single", "multiple"):
            key = sorted(item.option_order.index(i) for i in version.answer)
        session.flush()
        in_book = entry is not None
        return PracticeFeedback(correct, key, version.explanation, version.source, in_book,
                                entry.due if entry is not None else None)  # fmt: skip


def record_attempt_in_book(session: Session, attempt_id: int, now: dt.datetime) -> None:
    """Feed a submitted exam attempt into its taker's book (inside the submission)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, AttemptItem, QuestionVersion

    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        return
    rows = session.execute(
        sa.select(QuestionVersion.question_id, AttemptItem.awarded, AttemptItem.points,
                  AttemptItem.response)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.attempt_id == attempt_id)
    ).all()  # fmt: skip
    answered = [row for row in rows if row.response is not None]  # unanswered: nothing learnt
    entries = _entries(session, attempt.staff_id, [row.question_id for row in answered])
    for question_id, awarded, points, _ in answered:
        entry = _apply_review(session, entries.get(question_id), attempt.staff_id, question_id,
                              awarded == points, now)  # fmt: skip
        if entry is not None:
            entries[question_id] = entry


@dataclass
class FlaggedQuestion:
    bank: str
    question: str
    stem: str
    answers: int
    wrong: int
    wrong_share: Decimal


def flagged_questions(
    database: Database, *, min_wrong: int = FLAG_MIN_WRONG, min_share: Decimal = FLAG_MIN_SHARE
) -> list[FlaggedQuestion]:
    """Questions answered wrongly many times (exams and practice), for the bank admin: a wrong
    key or a misleading stem shows up here first."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, Bank, PracticeAnswer, Question, QuestionVersion

    exam_answers = (
        sa.select(QuestionVersion.question_id.label("question_id"),
                  sa.case((AttemptItem.awarded < AttemptItem.points, 1), else_=0).label("wrong"))
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.response.is_not(None), AttemptItem.awarded.is_not(None))
    )  # fmt: skip
    practice = (
        sa.select(QuestionVersion.question_id.label("question_id"),
                  sa.case((PracticeAnswer.correct, 0), else_=1).label("wrong"))
        .join(QuestionVersion, QuestionVersion.id == PracticeAnswer.question_version_id)
    )  # fmt: skip
    answers = sa.union_all(exam_answers, practice).subquery("answers")
    totals = (
        sa.select(answers.c.question_id, sa.func.count().label("answers"),
                  sa.func.sum(answers.c.wrong).label("wrong"))
        .group_by(answers.c.question_id)
        .having(sa.func.sum(answers.c.wrong) >= min_wrong)
        .subquery("totals")
    )  # fmt: skip
    query = (
        sa.select(Bank.key, Question.external_id, QuestionVersion.stem, totals.c.answers,
                  totals.c.wrong)
        .join(Question, Question.id == totals.c.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                       QuestionVersion.version == Question.current_version))
        .order_by(totals.c.wrong.desc(), Bank.key, Question.external_id)
    )  # fmt: skip
    with database.session(readonly=True) as session:
        rows = session.execute(query).all()
    flagged = []
    for bank, question, stem, total, wrong in rows:
        share = (Decimal(int(wrong)) / Decimal(int(total))).quantize(Decimal("0.01"))
        if share >= min_share:
            flagged.append(FlaggedQuestion(bank, question, stem, int(total), int(wrong), share))
    return flagged
