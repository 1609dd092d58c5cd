"""The wrong-answer book (错题本), scheduled by FSRS.

Every wrong answer, in an exam or in practice, puts the question in the person's book as an
FSRS lapse; a right answer to a question in the book is a successful review. ``--wrong``
practice drills the questions that are due. Questions many people keep getting wrong are
flagged for the bank admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = ["FlaggedQuestion", "flagged_questions", "record_attempt_in_book", "review"]

#: a question is flagged when at least this many answers were wrong ...
FLAG_MIN_WRONG = 3
#: ... and at least this share of its answers were wrong
FLAG_MIN_SHARE = Decimal("0.5")


def _scheduler() -> Any:
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def review(session: Session, staff_id: int, question_id: int, correct: bool,
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
