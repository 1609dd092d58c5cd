"""Per person and exam, the result that counts: kept in ``exam_results`` as attempts are
submitted, so that reports read one row per person instead of every attempt.

The rules (DESIGN.md §4): only attempts submitted by the close of the person's own window
count (the exam's close, or an override's); an attempt with no answer saved counts only when
the person has no attempt with answers; the exam's grading method picks the counted
percentage (highest, first, last, or the average). A 补考 is an exam of its own here: its
rows are folded into its parent's figures by the reports.

:func:`counted_query` is the one definition of those rules in SQL. The table is written from
it (:func:`refresh_results`, in the transaction of each submission, results import, exam
update and override); the reports read the table, or the query itself when counting as of an
earlier day; :func:`results_mismatches` (``db check``) compares the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

__all__ = [
    "ResultMismatch",
    "counted_query",
    "empty_flag",
    "has_own_closes",
    "keep_results",
    "own_closes",
    "rebuild_results",
    "refresh_results",
    "results_mismatches",
    "submitted_attempts",
]


#: above this many people, their results are written as the whole exam's (one statement,
#: and no list of ids longer than SQLite takes as parameters)
WHOLE_EXAM_FROM = 2000


def submitted_attempts(
    exam_id: int,
    closes_at: dt.datetime | None,
    until: dt.datetime | None,
    overridden: bool,
) -> tuple[Any, Any]:
    """(the FROM clause, the condition) of the attempts that count for one exam: submitted
    by the close of the taker's own window (the exam's, or an override's) and, counting as
    of an earlier day, by its end."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    source: Any = Attempt.__table__
    condition = sa.and_(Attempt.exam_id == exam_id, Attempt.status == "submitted")
    close: Any = None if closes_at is None else sa.literal(closes_at, Attempt.submitted_at.type)
    if overridden:  # some people's own window closes elsewhere
        mine = own_closes(exam_id)
        source = source.outerjoin(mine, mine.c.staff_id == Attempt.staff_id)
        close = mine.c.closes_at if close is None else sa.func.coalesce(mine.c.closes_at, close)
        condition = sa.and_(condition, sa.or_(close.is_(None), Attempt.submitted_at <= close))
    elif close is not None:
        condition = sa.and_(condition, Attempt.submitted_at <= close)
    if until is not None:
        condition = sa.and_(condition, Attempt.submitted_at < until)
    return source, condition


def empty_flag() -> Any:
    """1 for an attempt submitted with no answer saved, else 0 (an imported one: 0)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    return sa.case((Attempt.answered == 0, 1), else_=0)


def counted_query(
    exam_id: int,
    method: str,
    pass_h: int,
    closes_at: dt.datetime | None,
    until: dt.datetime | None = None,
    overridden: bool = False,
    staff_ids: Collection[int] | None = None,
) -> Select[Any]:
    """Per person: counted percentage (hundredths) ``pct``, ``passed`` (0/1), attempts ``n``
    and the latest submission that counts ``at``, for one exam (only ``staff_ids`` when
    given)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    pct = sa.type_coerce(Attempt.percent, sa.Integer)
    source, submitted = submitted_attempts(exam_id, closes_at, until, overridden)
    if staff_ids is not None:
        submitted = sa.and_(submitted, Attempt.staff_id.in_(sorted(staff_ids)))
    empty = empty_flag()
    if method in ("first", "last"):
        number = Attempt.number.asc() if method == "first" else Attempt.number.desc()
        ranked = (
            sa.select(
                Attempt.staff_id,
                pct.label("pct"),
                Attempt.submitted_at.label("at"),
                sa.func.row_number()
                .over(partition_by=Attempt.staff_id, order_by=(empty, number))
                .label("rn"),
                sa.func.count().over(partition_by=Attempt.staff_id).label("n"),
            )
            .select_from(source)
            .where(submitted)
            .subquery()
        )
        return sa.select(
            ranked.c.staff_id,
            ranked.c.pct,
            sa.case((ranked.c.pct >= pass_h, 1), else_=0).label("passed"),
            ranked.c.n,
            ranked.c.at,
        ).where(ranked.c.rn == 1)
    latest = sa.func.max(Attempt.submitted_at).label("at")
    if method == "average":
        answered = sa.func.count(sa.case((empty == 0, 1)))
        # the attempts with answers, or (none has any) every attempt, all scoring 0
        total = sa.case(
            (answered > 0, sa.func.sum(sa.case((empty == 0, pct), else_=0))), else_=sa.func.sum(pct)
        )
        count = sa.case((answered > 0, answered), else_=sa.func.count())
        return (
            sa.select(
                Attempt.staff_id,
                # hundredths, truncated as grading.counted_score truncates to the cent
                (total // count).label("pct"),
                sa.case((total >= pass_h * count, 1), else_=0).label("passed"),
                sa.func.count().label("n"),
                latest,
            )
            .select_from(source)
            .where(submitted)
            .group_by(Attempt.staff_id)
        )
    best = sa.func.max(pct)
    return (
        sa.select(
            Attempt.staff_id,
            best.label("pct"),
            sa.case((best >= pass_h, 1), else_=0).label("passed"),
            sa.func.count().label("n"),
            latest,
        )
        .select_from(source)
        .where(submitted)
        .group_by(Attempt.staff_id)
    )


def _exam_query(session: Session, exam: Any, staff_ids: Collection[int] | None) -> Select[Any]:
    """The rows ``exam_results`` should hold for ``exam`` (only ``staff_ids`` when given):
    exam id, staff id, pct, passed, attempts, band, submitted_at."""
    import sqlalchemy as sa

    counted = counted_query(
        exam.id, exam.grading, int(exam.pass_mark * 100), exam.closes_at, None,
        has_own_closes(session, exam.id), staff_ids,
    ).subquery("counted")  # fmt: skip
    bands = sorted(
        ((int(Decimal(str(m)) * 100), name) for name, m in exam.bands or []), reverse=True
    )
    band: Any = sa.null()
    if bands:
        band = sa.case(*((counted.c.pct >= low, name) for low, name in bands), else_=sa.null())
    return sa.select(
        sa.literal(exam.id).label("exam_id"),
        counted.c.staff_id,
        counted.c.pct,
        counted.c.passed,
        counted.c.n.label("attempts"),
        sa.cast(band, sa.String(64)).label("band"),
        counted.c.at.label("submitted_at"),
    )


def refresh_results(
    session: Session, exam_id: int, staff_ids: Collection[int] | None = None
) -> None:
    """Write the counted results of ``exam_id`` (only ``staff_ids``' when given) from their
    attempts, in the caller's transaction: two statements, over those people's attempts."""
    import sqlalchemy as sa

    from studyhub.models import Exam, ExamResult

    if staff_ids is not None and not staff_ids:
        return
    if staff_ids is not None and len(staff_ids) > WHOLE_EXAM_FROM:
        staff_ids = None  # a results import of many people: the whole exam, in one pass
    exam = session.get(Exam, exam_id)
    if exam is None or exam.kind == "practice":
        return
    table = ExamResult.__table__
    gone = sa.delete(table).where(table.c.exam_id == exam_id)
    if staff_ids is not None:
        gone = gone.where(table.c.staff_id.in_(sorted(staff_ids)))
    session.execute(gone)
    rows = _exam_query(session, exam, staff_ids)
    session.execute(
        sa.insert(table).from_select(
            ["exam_id", "staff_id", "pct", "passed", "attempts", "band", "submitted_at"], rows
        )
    )


#: the exam fields the counted results follow
_EXAM_FIELDS = ("grading", "pass_mark", "closes_at", "bands", "kind")


def keep_results(maker: Any) -> None:
    """Keep ``exam_results`` right whatever writes through the ORM sessions of ``maker``:
    after each flush, the results of the people whose attempts were added, changed or
    deleted are worked out again in the same transaction (the whole exam's, when an
    override or the exam's grading, pass mark, bands or close changed). Writes that bypass
    the ORM (a submission's guarded UPDATE) call :func:`refresh_results` themselves."""
    from sqlalchemy import event

    event.listen(maker, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    import sqlalchemy as sa

    from studyhub.models import Attempt, Exam, ExamOverride

    people: dict[int, set[int]] = {}
    whole: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Attempt):
            if obj in session.new and obj.status != "submitted":
                continue  # a new attempt counts once it is submitted
            people.setdefault(obj.exam_id, set()).add(obj.staff_id)
        elif isinstance(obj, ExamOverride):
            whole.add(obj.exam_id)
        elif isinstance(obj, Exam) and obj in session.dirty:
            state = sa.inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _EXAM_FIELDS):
                whole.add(obj.id)
    for exam_id in whole:
        refresh_results(session, exam_id)
    for exam_id, staff_ids in people.items():
        if exam_id not in whole:
            refresh_results(session, exam_id, staff_ids)


def rebuild_results(session: Session) -> int:
    """Write every exam's counted results afresh (``db check --repair``, and the migration
    that made the table); returns the rows written."""
    import sqlalchemy as sa

    from studyhub.models import Exam, ExamResult

    session.execute(sa.delete(ExamResult))
    for exam_id in session.scalars(sa.select(Exam.id).where(Exam.kind != "practice")):
        refresh_results(session, exam_id)
    return session.scalar(sa.select(sa.func.count()).select_from(ExamResult)) or 0


@dataclass
class ResultMismatch:
    """A person whose kept result differs from the one their attempts give."""

    exam: str
    staff_no: str
    #: (pct, passed, attempts, band, submitted_at) as kept, and as recomputed (None: no row)
    kept: tuple[Any, ...] | None
    computed: tuple[Any, ...] | None


def results_mismatches(session: Session, *, limit: int = 20) -> list[ResultMismatch]:
    """The people (at most ``limit``) whose row in ``exam_results`` differs from a
    recomputation from their attempts (``db check``): compared in SQL, exam by exam."""
    import sqlalchemy as sa

    from studyhub.models import Exam, ExamResult, Staff

    table = ExamResult.__table__
    columns = ("staff_id", "pct", "passed", "attempts", "band", "submitted_at")
    found: list[ResultMismatch] = []
    for exam in session.scalars(sa.select(Exam).where(Exam.kind != "practice").order_by(Exam.key)):
        computed = _exam_query(session, exam, None).subquery("computed")
        kept = sa.select(*(table.c[c] for c in columns)).where(table.c.exam_id == exam.id)
        fresh = sa.select(*(computed.c[c] for c in columns))
        differing = sa.union(
            sa.select(sa.except_(kept, fresh).subquery().c.staff_id),
            sa.select(sa.except_(fresh, kept).subquery().c.staff_id),
        ).subquery()
        for (staff_id,) in session.execute(sa.select(differing.c.staff_id).limit(limit)):
            number = session.scalar(sa.select(Staff.staff_no).where(Staff.id == staff_id))
            a, b = (
                session.execute(query.where(query.selected_columns[0] == staff_id)).first()
                for query in (kept, fresh)
            )
            found.append(
                ResultMismatch(exam.key, number or str(staff_id),
                               tuple(a)[1:] if a else None, tuple(b)[1:] if b else None)
            )  # fmt: skip
            if len(found) >= limit:
                return found
    return found


def has_own_closes(session: Session, exam_id: int) -> bool:
    """Whether any override of the exam changes its close (the reports then look each
    person's own close up)."""
    import sqlalchemy as sa

    from studyhub.models import ExamOverride

    return (
        session.scalar(
            sa.select(ExamOverride.id)
            .where(ExamOverride.exam_id == exam_id, ExamOverride.closes_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def own_closes(exam_id: int) -> Any:
    """A subquery ``(staff_id, closes_at)``: the close of each person whose own window for
    the exam closes elsewhere than the exam (their own override's close, else the latest of
    their department's and those above it). Everyone else's close is the exam's."""
    import sqlalchemy as sa

    from studyhub.models import Department, ExamOverride, Staff

    given = sa.and_(ExamOverride.exam_id == exam_id, ExamOverride.closes_at.is_not(None))
    tree = (
        sa.select(ExamOverride.id.label("override_id"), ExamOverride.department_id.label("dept"))
        .where(given, ExamOverride.department_id.is_not(None))
        .cte(f"override_tree_{exam_id}", recursive=True)
    )
    tree = tree.union_all(
        sa.select(tree.c.override_id, Department.id).where(Department.parent_id == tree.c.dept)
    )
    personal = sa.select(
        ExamOverride.staff_id.label("staff_id"), ExamOverride.closes_at.label("closes_at"),
        sa.literal(1).label("personal"),
    ).where(given, ExamOverride.staff_id.is_not(None))  # fmt: skip
    by_department = (
        sa.select(Staff.id.label("staff_id"), ExamOverride.closes_at.label("closes_at"),
                  sa.literal(0).label("personal"))
        .join(tree, tree.c.dept == Staff.department_id)
        .join(ExamOverride, ExamOverride.id == tree.c.override_id)
    )  # fmt: skip
    both = sa.union_all(personal, by_department).subquery(f"override_closes_{exam_id}")
    return (
        sa.select(
            both.c.staff_id,
            sa.func.coalesce(
                sa.func.max(sa.case((both.c.personal == 1, both.c.closes_at))),
                sa.func.max(both.c.closes_at),
            ).label("closes_at"),
        )
        .group_by(both.c.staff_id)
        .subquery(f"own_closes_{exam_id}")
    )
