"""A person's submitted attempts, to look at their review again (from the quiz menu, or an
admin's export of one person's review).

What a review shows is decided when it is asked for, by the exam's review setting
(:func:`studyhub.exams.views.review_level`): the score only, the wrong answers, or every
question; an exam reviewed only after it closes shows the score until then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from studyhub.errors import NotFoundError, PermissionDenied
from studyhub.i18n import msg

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.exams.views import AttemptResult

__all__ = ["SubmittedAttempt", "own_review", "person_review", "submitted_attempts"]


@dataclass
class SubmittedAttempt:
    attempt_id: int
    exam_key: str
    exam_title: str
    number: int
    score: Decimal
    max_score: Decimal
    submitted_at: dt.datetime


def submitted_attempts(database: Database, staff_no: str) -> list[SubmittedAttempt]:
    """The attempts ``staff_no`` sat here and submitted (not results imported from
    elsewhere: those have no questions), newest first."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, Exam, Staff
    from studyhub.render import printable

    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(Attempt.id, Exam.key, Exam.title, Attempt.number, Attempt.score,
                      Attempt.max_score, Attempt.submitted_at)
            .join(Exam, Exam.id == Attempt.exam_id)
            .join(Staff, Staff.id == Attempt.staff_id)
            .where(Staff.staff_no == staff_no, Attempt.status == "submitted",
                   Attempt.origin == "local")
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        ).all()  # fmt: skip
    return [
        SubmittedAttempt(r.id, r.key, printable(r.title), r.number, r.score or Decimal(0),
                         r.max_score or Decimal(0), r.submitted_at)
        for r in rows
    ]  # fmt: skip


def person_review(
    database: Database, exam_key: str, staff_no: str, number: int | None = None
) -> AttemptResult:
    """The review of ``staff_no``'s attempt ``number`` of ``exam_key`` (their latest
    submitted one when not given), as the exam's review setting allows it now."""
    import sqlalchemy as sa

    from studyhub.exams import attempts
    from studyhub.exams.definitions import exam_by_key
    from studyhub.models import Attempt, Staff

    with database.session(readonly=True) as session:
        exam = exam_by_key(session, exam_key)
        staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
        if staff_id is None:
            raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
        query = (
            sa.select(Attempt.id)
            .where(Attempt.exam_id == exam.id, Attempt.staff_id == staff_id,
                   Attempt.status == "submitted", Attempt.origin == "local")
            .order_by(Attempt.number.desc())
        )  # fmt: skip
        if number is not None:
            query = query.where(Attempt.number == number)
        attempt_id = session.scalars(query).first()
    if attempt_id is None:
        if number is not None:
            raise NotFoundError(
                msg("{staff_no} has no submitted attempt {number} of exam {exam}",
                    staff_no=staff_no, number=number, exam=exam_key)
            )  # fmt: skip
        raise NotFoundError(
            msg("{staff_no} has no submitted attempt of exam {exam} sat here",
                staff_no=staff_no, exam=exam_key)
        )  # fmt: skip
    return attempts.result(database, attempt_id, staff_no)


def own_review(database: Database, staff_no: str, attempt_id: int) -> AttemptResult:
    """The review of one of ``staff_no``'s own submitted attempts, as the exam's review
    setting allows it now. Refused while they have an attempt in progress: a review shows
    answer keys, and the questions may be on the paper being sat."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams import attempts
    from studyhub.models import Staff
    from studyhub.practice.guard import exam_in_progress

    with database.session(readonly=True) as session:
        now = db_now(session)
        staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
        busy = None if staff_id is None else exam_in_progress(session, staff_id, now)
    if busy is not None:
        raise PermissionDenied(
            msg("you have an attempt at exam {exam} in progress; a review shows answer keys, "
                "so it opens again once you submit", exam=busy),
            hint=msg("go back to the exam with studyhub quiz {exam}", exam=busy),
        )  # fmt: skip
    return attempts.result(database, attempt_id, staff_no)
