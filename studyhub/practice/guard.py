"""What practice may not show: nothing to a person while they sit an exam, and never the
questions an exam with ``practice_pool: closed`` draws from, until that exam closes.

Practice shows the key of every question answered, so a question on a paper being sat must
not come up: a person with an attempt in progress is refused practice altogether (with the
reason), and an exam may keep its whole pool (the topics and types its rules draw from, or
its fixed questions) out of everyone's practice while it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.errors import PermissionDenied

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

__all__ = ["closed_pool_filter", "refuse_during_an_attempt"]


def refuse_during_an_attempt(session: Session, staff_id: int, now: dt.datetime) -> None:
    """PermissionDenied when the person has an attempt in progress (before its deadline)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, Exam

    key = session.scalar(
        sa.select(Exam.key)
        .join(Attempt, Attempt.exam_id == Exam.id)
        .where(
            Attempt.staff_id == staff_id,
            Attempt.status == "in_progress",
            sa.or_(Attempt.deadline.is_(None), Attempt.deadline > now),
        )
        .limit(1)
    )
    if key is not None:
        raise PermissionDenied(
            f"you have an attempt at exam {key} in progress; practice shows answer keys, so "
            "it opens again once you submit",
            hint=f"go back to the exam with studyhub quiz {key}",
        )


def closed_pool_filter(session: Session, now: dt.datetime) -> Any:
    """A condition on Question/QuestionVersion/Topic rows that leaves out the pools of open
    exams with ``practice_pool: closed`` (``sa.true()`` when there are none)."""
    import sqlalchemy as sa

    from studyhub.models import Exam, Question, QuestionVersion, Topic

    rows = session.execute(
        sa.select(Exam.spec, Exam.paper).where(
            Exam.status == "open", sa.or_(Exam.closes_at.is_(None), Exam.closes_at > now)
        )
    ).all()
    pairs: set[tuple[str, str]] = set()
    fixed: set[str] = set()
    for spec, paper in rows:
        if (spec or {}).get("practice_pool") != "closed":
            continue
        for rule in (paper or {}).get("rules", []):
            pairs.add((str(rule.get("topic")), str(rule.get("type"))))
        fixed.update(str(x) for x in (paper or {}).get("fixed", []))
    conditions = []
    if pairs:
        topic_key = sa.select(Topic.key).where(Topic.id == Question.topic_id).scalar_subquery()
        conditions.append(sa.not_(sa.tuple_(topic_key, QuestionVersion.type).in_(sorted(pairs))))
    if fixed:
        conditions.append(Question.external_id.not_in(sorted(fixed)))
    return sa.and_(sa.true(), *conditions)
