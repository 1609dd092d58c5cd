"""A person's own limits for an exam: the exam's window, attempts and time limit, as changed
for them by an override (``studyhub exam override``), the way Moodle's overrides work.

Field by field, the person's own override decides; else the most lenient of the overrides of
their department and the departments above it (the earliest opening, the latest close, the
most attempts, the longest time limit); else the exam's own setting. The attempt engine, the
exam menu and the start page read a person's limits from here; the reports count an attempt
when it was submitted by the close of its taker's own window
(:func:`studyhub.exams.counted.own_closes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import NotFoundError
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam, ExamOverride, Staff

__all__ = [
    "Limits",
    "effective_limits",
    "last_close",
    "limits_for",
    "merge",
    "overrides_for",
]

#: the fields an override may change, as the limits name them
FIELDS = ("opens", "closes", "attempts", "time_limit")


@dataclass(frozen=True)
class Limits:
    """What one person may do with one exam (their own limits, overrides applied)."""

    exam_key: str
    opens: dt.datetime | None
    closes: dt.datetime | None
    attempts_allowed: int
    time_limit: dt.timedelta | None
    #: attempts started so far (any status)
    used: int = 0
    #: practice: unlimited attempts
    unlimited: bool = False
    #: the fields (of :data:`FIELDS`) that are this person's own, not the exam's
    own: frozenset[str] = frozenset()

    @property
    def attempts_left(self) -> int | None:
        """None when attempts are unlimited (practice)."""
        return None if self.unlimited else max(0, self.attempts_allowed - self.used)

    @property
    def time_limit_minutes(self) -> int | None:
        if self.time_limit is None:
            return None
        return -(-int(self.time_limit.total_seconds()) // 60)

    @property
    def personal(self) -> bool:
        """Whether any limit is this person's own (an override applies to them)."""
        return bool(self.own)

    def is_open(self, now: dt.datetime) -> bool:
        """Whether ``now`` is inside the person's window (the exam's status aside)."""
        return (self.opens is None or self.opens <= now) and (
            self.closes is None or now < self.closes
        )

    def deadline(self, started: dt.datetime) -> dt.datetime | None:
        """When an attempt started at ``started`` ends: the time limit, or the close if
        that comes first."""
        ends = [d for d in (self.closes,) if d is not None]
        if self.time_limit is not None:
            ends.append(started + self.time_limit)
        return min(ends) if ends else None


def _ancestors(department_id: int | None) -> Any:
    """A SELECT of the department and every department above it."""
    import sqlalchemy as sa

    from studyhub.models import Department

    up = (
        sa.select(Department.id, Department.parent_id)
        .where(Department.id == department_id)
        .cte("override_ancestors", recursive=True)
    )
    up = up.union_all(
        sa.select(Department.id, Department.parent_id).where(Department.id == up.c.parent_id)
    )
    return sa.select(up.c.id)


def overrides_for(
    session: Session, person: Staff, exam_ids: Iterable[int] | None = None
) -> dict[int, list[ExamOverride]]:
    """The overrides that apply to ``person``, by exam id: their own first, then their
    department's and those above it (one query)."""
    import sqlalchemy as sa

    from studyhub.models import ExamOverride

    query = sa.select(ExamOverride).where(
        sa.or_(
            ExamOverride.staff_id == person.id,
            ExamOverride.department_id.in_(_ancestors(person.department_id))
            if person.department_id is not None
            else sa.false(),
        )
    )
    if exam_ids is not None:
        query = query.where(ExamOverride.exam_id.in_(list(exam_ids)))
    found: dict[int, list[ExamOverride]] = {}
    for row in session.scalars(query.order_by(ExamOverride.id)):
        found.setdefault(row.exam_id, []).append(row)
    for rows in found.values():
        rows.sort(key=lambda r: r.staff_id is None)  # the person's own first
    return found


def _lenient(values: list[Any], pick: Any) -> Any:
    present = [v for v in values if v is not None]
    return pick(present) if present else None


def merge(
    exam: Any, overrides: Sequence[ExamOverride], *, used: int = 0, key: str | None = None
) -> Limits:
    """The limits of ``exam`` (an Exam, or a row with its columns) under ``overrides`` (the
    person's own first, then their departments')."""
    personal = next((o for o in overrides if o.staff_id is not None), None)
    departments = [o for o in overrides if o.staff_id is None]
    chosen: dict[str, Any] = {}
    own: set[str] = set()
    for name, column, pick in (("opens", "opens_at", min), ("closes", "closes_at", max),
                               ("attempts", "attempts_allowed", max),
                               ("time_limit", "time_limit_s", max)):  # fmt: skip
        value = getattr(personal, column) if personal is not None else None
        if value is None:
            value = _lenient([getattr(o, column) for o in departments], pick)
        if value is None:
            value = getattr(exam, column)
        else:
            own.add(name)
        chosen[name] = value
    return Limits(
        exam_key=key or exam.key, opens=chosen["opens"], closes=chosen["closes"],
        attempts_allowed=int(chosen["attempts"]),
        time_limit=dt.timedelta(seconds=chosen["time_limit"]) if chosen["time_limit"] else None,
        used=used, unlimited=exam.kind == "practice", own=frozenset(own),
    )  # fmt: skip


def _used(session: Session, exam_id: int, staff_id: int) -> int:
    import sqlalchemy as sa

    from studyhub.models import Attempt

    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Attempt)
            .where(Attempt.exam_id == exam_id, Attempt.staff_id == staff_id)
        )
        or 0
    )


def limits_for(session: Session, exam: Exam, person: Staff, *, used: int | None = None) -> Limits:
    """``person``'s own limits for ``exam`` inside the caller's unit of work."""
    overrides = overrides_for(session, person, [exam.id]).get(exam.id, [])
    count = _used(session, exam.id, person.id) if used is None else used
    return merge(exam, overrides, used=count)


def effective_limits(database: Database, exam_key: str, staff_no: str) -> Limits:
    """A person's own limits for an exam: window (opens, closes), attempts allowed, used and
    left, time limit, and which of them are the person's own (an override).

    For the exam's start page and anything else that shows a person what they may do.
    Raises NotFoundError for an unknown exam or staff number."""
    import sqlalchemy as sa

    from studyhub.models import Exam, Staff

    with database.session(readonly=True) as session:
        exam = session.scalar(sa.select(Exam).where(Exam.key == exam_key))
        if exam is None:
            raise NotFoundError(
                msg("no exam {exam}", exam=exam_key),
                hint=msg("studyhub exam list shows the exams"),
            )
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == staff_no))
        if person is None:
            raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
        return limits_for(session, exam, person)


def last_close(session: Session, exam: Exam) -> dt.datetime | None:
    """When the last window of the exam closes: the exam's close, or a later one that an
    override gives someone (None: the exam has no close). Answer keys stay hidden from
    review and practice until then."""
    import sqlalchemy as sa

    from studyhub.models import ExamOverride

    if exam.closes_at is None:
        return None
    latest = session.scalar(
        sa.select(sa.func.max(ExamOverride.closes_at)).where(ExamOverride.exam_id == exam.id)
    )
    return exam.closes_at if latest is None else max(exam.closes_at, latest)
