"""Grading and submitting an attempt, inside the caller's unit of work.

Used by the attempt engine (a taker submits, or their time runs out) and by closing an exam
(open attempts are graded on their saved answers), so neither depends on the other.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from studyhub.exams import grading
from studyhub.exams.views import items_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["submit_in_session"]


def submit_in_session(session: Session, attempt_id: int, now: dt.datetime, *,
                      reason: str = "taker") -> bool:  # fmt: skip
    """Grade and submit inside the caller's unit of work; False if it was already submitted.

    The status flips with a guarded UPDATE, so two submissions racing grade it once.
    """
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Attempt, AttemptItem, Exam, Hundredths, Staff

    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.status != "in_progress":
        return False
    exam = session.get(Exam, attempt.exam_id)
    assert exam is not None
    submitted_at = now
    if attempt.deadline is not None:
        # after its deadline no answer was taken: it is graded, and stamped, as of then
        # (expired; or closed by `exam close` after its time had run out)
        submitted_at = min(now, attempt.deadline)
    flipped = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
        .values(status="submitted", submitted_at=submitted_at, submit_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not flipped:
        return False
    score = Decimal(0)
    total = Decimal(0)
    awards = []
    answered = 0
    for item, version in items_of(session, attempt_id):
        answered += item.answered_at is not None
        weights = None
        if version.extra and "weights" in version.extra:
            weights = [Decimal(w) for w in version.extra["weights"]]
        awarded = grading.award(version.type, version.answer, item.response, item.points,
                                scoring=exam.choice_scoring, weights=weights)  # fmt: skip
        awards.append({"item_id": item.id, "awarded": awarded})
        score += awarded
        total += item.points
    if awards:
        table = AttemptItem.__table__
        session.connection().execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("item_id"))
            .values(awarded=sa.bindparam("awarded", type_=Hundredths())),
            awards,
        )
    session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt_id)
        .values(score=score, max_score=total, percent=grading.percent(score, total),
                passed=grading.passed(score, total, exam.pass_mark), answered=answered)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.expire(attempt)
    from studyhub.exams.counted import refresh_results
    from studyhub.practice.book import record_attempt_in_book

    refresh_results(session, exam.id, [attempt.staff_id])
    record_attempt_in_book(session, attempt_id, now)
    person = session.get(Staff, attempt.staff_id)
    record_event(
        session, actor=person.staff_no if person else "system", actor_id=attempt.staff_id,
        action="attempt.submit", object_type="attempt",
        object_key=f"{exam.key}/{person.staff_no if person else attempt.staff_id}/{attempt.number}",
        details={"score": str(score), "max_score": str(total), "reason": reason,
                 "answered": answered}, at=now,
    )  # fmt: skip
    return True
