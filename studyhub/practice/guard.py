"""What practice may not show: nothing to a person while they sit an exam, and never the
questions an exam with ``practice_pool: closed`` draws from, until that exam closes.

Practice shows the key of every question answered, so a question on a paper being sat must
not come up: a person with an attempt in progress is refused practice altogether (with the
reason), and an exam may keep its whole pool (the topics and types its rules draw from, or
its fixed questions) out of everyone's practice while it is open (until its last window
closes, a person's own included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.errors import PermissionDenied
from studyhub.i18n import msg

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

__all__ = ["closed_pool_filter", "exam_in_progress", "refuse_during_an_attempt"]


def exam_in_progress(session: Session, staff_id: int, now: dt.datetime) -> str | None:
    """The key of the exam the person has an attempt in progress at (before its deadline),
    or None: while there is one, nothing that shows answer keys opens to them."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, Exam

    return session.scalar(
        sa.select(Exam.key)
        .join(Attempt, Attempt.exam_id == Exam.id)
        .where(
            Attempt.staff_id == staff_id,
            Attempt.status == "in_progress",
            sa.or_(Attempt.deadline.is_(None), Attempt.deadline > now),
        )
        .limit(1)
    )


def refuse_during_an_attempt(session: Session, staff_id: int, now: dt.datetime) -> None:
    """PermissionDenied when the person has an attempt in progress (before its deadline)."""
    key = exam_in_progress(session, staff_id, now)
    if key is not None:
        raise PermissionDenied(
            msg("you have an attempt at exam {exam} in progress; practice shows answer keys, so "
                "it opens again once you submit", exam=key),
            hint=msg("go back to the exam with studyhub quiz {exam}", exam=key),
        )  # fmt: skip


def closed_pool_filter(session: Session, now: dt.datetime) -> Any:
    """A condition on Question/QuestionVersion rows that leaves out the pools of open exams
    with ``practice_pool: closed`` (and of their open 补考, which draw from the same pool);
    ``sa.true()`` when there are none."""
    import sqlalchemy as sa

    from studyhub.models import Exam, ExamOverride, Question, QuestionVersion, Topic

    # an exam is open until its last window closes (an override may give someone a later one)
    later = sa.exists().where(ExamOverride.exam_id == Exam.id, ExamOverride.closes_at > now)
    rows = session.execute(
        sa.select(Exam.id, Exam.parent_id, Exam.spec, Exam.paper).where(
            Exam.status == "open",
            sa.or_(Exam.closes_at.is_(None), Exam.closes_at > now, later),
        )
    ).all()
    parents = {
        exam_id: spec
        for exam_id, spec in session.execute(
            sa.select(Exam.id, Exam.spec).where(
                Exam.id.in_([r.parent_id for r in rows if r.parent_id is not None])
            )
        )
    }
    pairs: set[tuple[str, str]] = set()
    fixed: set[str] = set()
    for _, parent_id, spec, paper in rows:
        closed = (spec or {}).get("practice_pool") == "closed" or (
            parent_id is not None
            and (parents.get(parent_id) or {}).get("practice_pool") == "closed"
        )
        if not closed:
            continue
        for rule in (paper or {}).get("rules", []):
            pairs.add((str(rule.get("topic")), str(rule.get("type"))))
        fixed.update(str(x) for x in (paper or {}).get("fixed", []))
    conditions = []
    if pairs:
        topic_ids = dict(
            session.execute(
                sa.select(Topic.key, Topic.id).where(Topic.key.in_({k for k, _ in pairs}))
            ).all()
        )
        ids = sorted((topic_ids[key], qtype) for key, qtype in pairs if key in topic_ids)
        if ids:
            conditions.append(sa.not_(sa.tuple_(Question.topic_id, QuestionVersion.type).in_(ids)))
    if fixed:
        conditions.append(Question.external_id.not_in(sorted(fixed)))
    return sa.and_(sa.true(), *conditions)
