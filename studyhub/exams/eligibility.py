"""Whether a person may start an attempt at an exam now: kind, status, their own window,
post, audience, exemption, a 补考 already passed, attempts left. No terminal code here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from studyhub.errors import PermissionDenied
from studyhub.exams import grading
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.exams.limits import Limits
    from studyhub.models import Exam, Staff

__all__ = ["AttemptRefused", "check_may_start", "has_passed", "in_audience", "local_time"]


class AttemptRefused(PermissionDenied):
    """The person may not start (or go on with) this attempt."""


def local_time(moment: dt.datetime) -> str:
    from studyhub.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def in_audience(session: Session, exam: Exam, person: Staff) -> bool:
    import sqlalchemy as sa

    from studyhub.models import ExamAudience
    from studyhub.org.roster import department_subtree

    roots = list(
        session.scalars(
            sa.select(ExamAudience.department_id).where(ExamAudience.exam_id == exam.id)
        )
    )
    if not roots:
        return True
    return person.department_id in set(session.scalars(department_subtree(roots)))


def _is_exempt(session: Session, exam_id: int, staff_id: int) -> bool:
    import sqlalchemy as sa

    from studyhub.models import Exemption

    return (
        session.scalar(
            sa.select(Exemption.id).where(
                Exemption.exam_id == exam_id, Exemption.staff_id == staff_id
            )
        )
        is not None
    )


def check_may_start(
    session: Session, exam: Exam, person: Staff, now: dt.datetime, limits: Limits
) -> None:
    """AttemptRefused with the reason when ``person`` may not start a new attempt now;
    the window and attempts are the person's own (``limits``)."""
    from studyhub.exams import has_paper
    from studyhub.timeutil import local_date

    if exam.kind == "external" or not has_paper(exam.paper):
        raise AttemptRefused(
            msg("{exam} is sat on another platform; its results are imported", exam=exam.key)
        )
    if exam.status == "closed":
        raise AttemptRefused(msg("exam {exam} is closed", exam=exam.key))
    if limits.opens and now < limits.opens:
        raise AttemptRefused(
            msg("exam {exam} opens at {time}", exam=exam.key, time=local_time(limits.opens))
        )
    if limits.closes and now >= limits.closes:
        raise AttemptRefused(
            msg("exam {exam} closed at {time}", exam=exam.key, time=local_time(limits.closes))
        )
    today = local_date(now)
    if (person.in_post_to and person.in_post_to < today) or (
        person.in_post_from and person.in_post_from > today
    ):
        raise AttemptRefused(msg("{staff_no} is not in post", staff_no=person.staff_no))
    if not in_audience(session, exam, person):
        raise AttemptRefused(
            msg("exam {exam} is not for {staff_no}'s department", exam=exam.key,
                staff_no=person.staff_no)
        )  # fmt: skip
    if _is_exempt(session, exam.id, person.id):
        raise AttemptRefused(
            msg("{staff_no} is exempt from exam {exam} (免考)", staff_no=person.staff_no,
                exam=exam.key)
        )  # fmt: skip
    if exam.kind == "makeup" and exam.parent_id is not None:
        from studyhub.models import Exam as ExamModel

        parent = session.get(ExamModel, exam.parent_id)
        if parent is not None and has_passed(session, parent, person.id):
            raise AttemptRefused(
                msg("{staff_no} already passed {exam}; no makeup needed",
                    staff_no=person.staff_no, exam=parent.key)
            )  # fmt: skip
    if limits.attempts_left == 0:
        raise AttemptRefused(
            msg("no attempts left for exam {exam} ({used} of {allowed} used)",
                exam=exam.key, used=limits.used, allowed=limits.attempts_allowed)
        )  # fmt: skip


def has_passed(session: Session, exam: Exam, staff_id: int) -> bool:
    """Whether the person's counted score at ``exam`` reaches its pass mark (an attempt
    with no answer does not count when they have one with answers)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    rows = session.execute(
        sa.select(Attempt.score, Attempt.max_score, Attempt.answered)
        .where(Attempt.exam_id == exam.id, Attempt.staff_id == staff_id,
               Attempt.status == "submitted")
        .order_by(Attempt.number)
    ).all()  # fmt: skip
    if not rows:
        return False
    counting = grading.counting([(r.score, r.answered) for r in rows])
    counted = grading.counted_score(exam.grading, counting)
    total = max(r.max_score for r in rows)
    return counted is not None and grading.passed(counted, total, exam.pass_mark)
