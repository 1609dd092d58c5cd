"""The scope of a rate: one exam (with its 补考), its close day and audience; exact rates.

Rates are exact fractions truncated to 0.1% (never rounded up); an empty denominator is None
(shown "-").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.labels import Word

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.models import Exam

__all__ = ["ExamScope", "exam_scope", "exams_for", "is_kept", "percent_text", "rate"]


@dataclass
class ExamScope:
    """What the queries need to know about an exam."""

    exam_id: int
    key: str
    title: str
    year: int
    close_day: dt.date
    grading: str
    pass_mark_h: int
    excellent_h: int | None
    audience: list[int] | None
    closes_at: dt.datetime | None = None
    #: "sqlite" or "postgresql": the department lookup takes the shape each plans best
    dialect: str = "sqlite"
    #: counting as of an earlier day: attempts after its end do not count yet
    until: dt.datetime | None = None
    #: (id, grading, pass mark in hundredths, closes_at, own closes) of each 补考
    makeups: list[tuple[int, str, int, dt.datetime | None, bool]] = field(default_factory=list)
    #: an override gives someone their own close: each person's is looked up
    own_closes: bool = False
    #: the exam has not closed yet: its figures are provisional
    provisional: bool = False
    #: the people in scope are read from the scope kept for this exam and close day
    kept: bool = False


def rate(numerator: int, denominator: int) -> Decimal | None:
    """An exact rate truncated to 4 places (0.9833 = 98.33%); None when nobody is counted."""
    if denominator == 0:
        return None
    return Decimal(numerator * 10000 // denominator).scaleb(-4)


def percent_text(value: Decimal | None) -> str:
    """98.3% style, truncated to one decimal; "-" when there is no denominator."""
    if value is None:
        return "-"
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_DOWN)}%"


def _close_day(exam: Exam, today: dt.date) -> dt.date:
    from studyhub.timeutil import local_date

    if exam.closes_at is not None:
        return local_date(exam.closes_at - dt.timedelta(microseconds=1))
    if exam.closed_at is not None:
        return local_date(exam.closed_at)
    return today


def exam_scope(
    session: Session, exam: Exam, *, today: dt.date | None = None, as_of: dt.date | None = None
) -> ExamScope:
    """The exam as the queries see it; ``as_of`` counts on an earlier day than the close date
    (progress during the window: who is required and where, as of that day)."""
    import sqlalchemy as sa

    from studyhub.exams.definitions import department_subtree
    from studyhub.models import Exam as ExamModel
    from studyhub.models import ExamAudience
    from studyhub.timeutil import local_date

    if exam.kind == "practice":
        raise InputError(
            msg("{key} is a practice exam; practice never counts in rates", key=exam.key)
        )
    if exam.kind == "makeup":
        raise InputError(
            msg("{key} is a {kind}; its results count in its parent exam's rates", key=exam.key,
                kind=Word("makeup"))
        )  # fmt: skip
    roots = list(session.scalars(
        sa.select(ExamAudience.department_id).where(ExamAudience.exam_id == exam.id)))  # fmt: skip
    audience = sorted(department_subtree(session, roots)) if roots else None
    bands = sorted((Decimal(m) for _, m in exam.bands or []), reverse=True)
    from studyhub.exams.counted import has_own_closes

    makeups = [
        (m.id, m.grading, int(m.pass_mark * 100), m.closes_at, has_own_closes(session, m.id))
        for m in session.scalars(sa.select(ExamModel).where(ExamModel.parent_id == exam.id))
    ]
    from studyhub.db import db_now

    now = db_now(session)
    close_day = _close_day(exam, today or local_date(now))
    provisional = exam.status == "open" and (exam.closes_at is None or exam.closes_at > now)
    until = None
    if as_of is not None:
        close_day = min(close_day, as_of)
        if as_of < local_date(now):  # nothing is submitted after today: no need to cut
            from studyhub.timeutil import parse_datetime

            until = parse_datetime(as_of, end_of_day=True)
    scope = ExamScope(
        exam.id, exam.key, exam.title, exam.year, close_day, exam.grading,
        int(exam.pass_mark * 100), int(bands[0] * 100) if bands else None, audience,
        exam.closes_at, session.get_bind().dialect.name, until, makeups,
        has_own_closes(session, exam.id), provisional,
    )  # fmt: skip
    if until is None:
        scope.kept = is_kept(session, exam.id, close_day)
    return scope


def is_kept(session: Session, exam_id: int, close_day: dt.date) -> bool:
    """Whether the exam's scope for ``close_day`` is kept (studyhub.reports.kept_scope) at
    the current roster version."""
    import sqlalchemy as sa

    from studyhub.models import KeptScope, RosterVersion

    current = sa.and_(RosterVersion.id == 1, RosterVersion.version == KeptScope.roster_version)
    found = session.scalar(
        sa.select(KeptScope.exam_id)
        .join(RosterVersion, current)
        .where(KeptScope.exam_id == exam_id, KeptScope.close_day == close_day)
    )
    return found is not None


def exams_for(session: Session, *, year: int | None, exam: str | None) -> list[Exam]:
    import sqlalchemy as sa

    from studyhub.models import Exam

    query = sa.select(Exam).where(Exam.kind.in_(("exam", "external")))
    if exam is not None:
        query = sa.select(Exam).where(Exam.key == exam)
    elif year is not None:
        query = query.where(Exam.year == year)
    found = list(session.scalars(query.order_by(Exam.year, Exam.key)))
    if exam is not None and not found:
        raise NotFoundError(
            msg("no exam {exam}", exam=exam), hint=msg("studyhub exam list shows the exams")
        )
    return found
