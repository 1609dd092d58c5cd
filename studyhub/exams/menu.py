"""The exams a staff member may take now, with attempts left and best score: one SQL query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from studyhub.errors import NotFoundError
from studyhub.exams import has_paper
from studyhub.i18n import msg
from studyhub.render import printable

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["OpenExam", "open_exams_for"]


@dataclass
class OpenExam:
    """An exam in the person's menu, with the person's own limits (overrides applied)."""

    key: str
    title: str
    kind: str
    closes: dt.datetime | None
    time_limit_minutes: int | None
    attempts_allowed: int
    #: attempts started so far (any status)
    used: int
    #: None for practice (unlimited)
    attempts_left: int | None
    submitted: int
    best_score: Decimal | None
    best_percent: Decimal | None
    #: an attempt in progress whose time has not run out (starting the exam resumes it)
    open_attempt_id: int | None
    #: the limits that are the person's own (an override): "opens", "closes", "attempts",
    #: "time_limit"
    own: frozenset[str] = frozenset()

    @property
    def can_start(self) -> bool:
        return (
            self.open_attempt_id is not None
            or self.attempts_left is None
            or (self.attempts_left > 0)
        )


def open_exams_for(database: Database, staff_no: str) -> list[OpenExam]:
    """The exams (and practice) open now to ``staff_no``: in their own window (an override
    may give them another), not closed, for their department (sub-departments included) and
    not exempted, with their attempts aggregated in the same query and their own attempts
    and time limit. Empty when the person is not in post today."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams.limits import merge, overrides_for
    from studyhub.models import Attempt, Department, Exam, ExamAudience, Exemption, Staff
    from studyhub.models.base import Hundredths
    from studyhub.timeutil import local_date

    with database.session(readonly=True) as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == staff_no))
        if person is None:
            raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
        now = db_now(session)
        today = local_date(now)
        if (person.in_post_to and person.in_post_to < today) or (
            person.in_post_from and person.in_post_from > today
        ):
            return []
        # the person's department and every department above it
        ancestors = (
            sa.select(Department.id, Department.parent_id)
            .where(Department.id == person.department_id)
            .cte("ancestors", recursive=True)
        )
        ancestors = ancestors.union_all(
            sa.select(Department.id, Department.parent_id).where(
                Department.id == ancestors.c.parent_id
            )
        )
        has_audience = sa.exists().where(ExamAudience.exam_id == Exam.id)
        in_audience = sa.exists().where(
            ExamAudience.exam_id == Exam.id,
            ExamAudience.department_id.in_(sa.select(ancestors.c.id)),
        )
        exempt = sa.exists().where(Exemption.exam_id == Exam.id, Exemption.staff_id == person.id)
        submitted = Attempt.status == "submitted"
        still_open = sa.and_(
            Attempt.status == "in_progress",
            sa.or_(Attempt.deadline.is_(None), Attempt.deadline > now),
        )
        mine = (
            sa.select(
                Attempt.exam_id,
                sa.func.count().label("used"),
                sa.func.count(sa.case((submitted, 1))).label("submitted"),
                sa.type_coerce(
                    sa.func.max(sa.case((submitted, Attempt.score))), Hundredths()
                ).label("best_score"),
                sa.type_coerce(
                    sa.func.max(sa.case((submitted, Attempt.percent))), Hundredths()
                ).label("best_percent"),
                sa.func.max(sa.case((still_open, Attempt.id))).label("open_id"),
            )
            .where(Attempt.staff_id == person.id)
            .group_by(Attempt.exam_id)
            .subquery()
        )
        # overrides that apply to the person (usually none): their exams are read whatever
        # the exam's own window, and their own window decides below
        overrides = overrides_for(session, person)
        in_window = sa.and_(
            sa.or_(Exam.opens_at.is_(None), Exam.opens_at <= now),
            sa.or_(Exam.closes_at.is_(None), Exam.closes_at > now),
        )
        if overrides:
            in_window = sa.or_(in_window, Exam.id.in_(sorted(overrides)))
        query = (
            sa.select(
                Exam.id, Exam.key, Exam.title, Exam.kind, Exam.paper, Exam.opens_at,
                Exam.closes_at, Exam.time_limit_s, Exam.attempts_allowed, mine.c.used,
                mine.c.submitted, mine.c.best_score, mine.c.best_percent, mine.c.open_id,
            )
            .outerjoin(mine, mine.c.exam_id == Exam.id)
            .where(
                Exam.status == "open", Exam.kind != "external", in_window,
                sa.or_(~has_audience, in_audience), ~exempt,
            )
        )  # fmt: skip
        found = []
        for row in session.execute(query):
            if not has_paper(row.paper):
                continue  # a 补考 of an exam sat elsewhere: its results are imported
            limits = merge(row, overrides.get(row.id, []), used=row.used or 0)
            if not limits.is_open(now):
                continue
            found.append(
                OpenExam(
                    key=row.key, title=printable(row.title), kind=row.kind, closes=limits.closes,
                    time_limit_minutes=limits.time_limit_minutes,
                    attempts_allowed=limits.attempts_allowed, used=limits.used,
                    attempts_left=limits.attempts_left, submitted=row.submitted or 0,
                    best_score=row.best_score, best_percent=row.best_percent,
                    open_attempt_id=row.open_id, own=limits.own,
                )
            )  # fmt: skip
        found.sort(key=lambda e: (e.closes is None, e.closes or dt.datetime.min, e.key))
        return found
