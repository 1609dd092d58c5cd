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
    from studyhub.models import BookEntry

    if entry is None and correct:
        return None
    card = _reviewed(_scheduler(), entry.card if entry is not None else None, question_id,
                     correct, now)  # fmt: skip
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


def _reviewed(scheduler: Any, card: dict[str, Any] | None, question_id: int, correct: bool,
              now: dt.datetime) -> Any:  # fmt: skip
    """The FSRS card after a review. A new card gets the question's id as its card id: fsrs
    makes one up from the clock otherwise, and sleeps 1 ms to keep them apart (inside the
    submission's write transaction, for every wrong answer)."""
    from fsrs import Card, Rating

    before = Card.from_dict(card) if card is not None else Card(card_id=question_id, due=now)
    after, _ = scheduler.review_card(before, Rating.Good if correct else Rating.Again, now)
    return after


def record_attempt_in_book(session: Session, attempt_id: int, now: dt.datetime) -> None:
    """Feed a submitted exam attempt into its taker's book (inside the submission): one read
    of the entries, and one statement writing them (new and updated alike)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, AttemptItem, BookEntry, QuestionVersion

    staff_id = session.scalar(sa.select(Attempt.staff_id).where(Attempt.id == attempt_id))
    if staff_id is None:
        return
    rows = session.execute(
        sa.select(QuestionVersion.question_id, AttemptItem.awarded, AttemptItem.points)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.attempt_id == attempt_id, AttemptItem.response.is_not(None))
    ).all()  # unanswered: nothing learnt  # fmt: skip
    if not rows:
        return
    table = BookEntry.__table__
    columns = ("card", "wrong_count", "right_count", "last_wrong_at")
    entries = {
        row.question_id: dict(row._mapping)
        for row in session.execute(
            sa.select(table.c.question_id, *(table.c[c] for c in columns)).where(
                table.c.staff_id == staff_id,
                table.c.question_id.in_({row.question_id for row in rows}),
            )
        )
    }
    scheduler = _scheduler()
    written: dict[int, dict[str, Any]] = {}
    for question_id, awarded, points in rows:
        correct = awarded == points
        entry = written.get(question_id) or entries.get(question_id)
        if entry is None and correct:
            continue  # a right answer to a question not in the book: nothing to review
        card = _reviewed(scheduler, entry["card"] if entry else None, question_id, correct, now)
        wrong = (entry["wrong_count"] if entry else 0) + (not correct)
        written[question_id] = {
            "staff_id": staff_id, "question_id": question_id, "card": card.to_dict(),
            "due": card.due, "wrong_count": wrong,
            "right_count": (entry["right_count"] if entry else 0) + correct,
            "last_wrong_at": now if not correct else (entry["last_wrong_at"] if entry else None),
            "last_review_at": now,
        }  # fmt: skip
    if written:
        _upsert(session, list(written.values()))


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or update book entries, by (person, question), in one statement."""
    from studyhub.models import BookEntry

    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(BookEntry.__table__).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["staff_id", "question_id"],
        set_={
            name: statement.excluded[name]
            for name in ("card", "due", "wrong_count", "right_count", "last_wrong_at",
                         "last_review_at")
        },
    )  # fmt: skip
    session.execute(statement)


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
