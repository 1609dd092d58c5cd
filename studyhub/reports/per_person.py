"""One row per person of an exam's scope: required, participated, counted score, passed,
excellent, department on the close day (DESIGN.md §4). Every figure and list is built on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Select


from studyhub.admin.firstrun import DEMO_STAFF_NO
from studyhub.exams.counted import counted_query, empty_flag, submitted_attempts
from studyhub.reports.scope import ExamScope

__all__ = ["counted_attempts", "person_results", "rate_inputs", "scope_people"]


def _department_on(scope: ExamScope, only: Any = None) -> tuple[Any, Any]:
    """(a FROM item to outer-join on staff id, or None; the department id expression):
    the posting in force on the close date, else the latest before it (a leaver's last
    department), else the staff table's own. PostgreSQL ranks postings with a window (of
    the staff ids ``only`` selects, when given); SQLite looks each person's up through the
    (staff, valid_from) index."""
    import sqlalchemy as sa

    from studyhub.models import Staff, StaffPosting

    d = scope.close_day
    if scope.dialect == "postgresql":
        # Only someone with a posting that starts after the close day can have been in
        # another department that day than the staff table's own (a move sets it to the
        # newest posting's): the others need no look-up, which at a province's size is half
        # the query.
        moved_since = sa.select(StaffPosting.staff_id).where(StaffPosting.valid_from > d)
        if only is not None:
            moved_since = moved_since.where(StaffPosting.staff_id.in_(only))
        ranked = (
            sa.select(
                StaffPosting.staff_id,
                StaffPosting.department_id,
                sa.func.row_number()
                .over(partition_by=StaffPosting.staff_id,
                      order_by=(StaffPosting.valid_from.desc(), StaffPosting.id.desc()))
                .label("rn"),
            )
            .where(StaffPosting.valid_from <= d, StaffPosting.staff_id.in_(moved_since))
            .subquery("ranked")
        )  # fmt: skip
        posting = (
            sa.select(ranked.c.staff_id, ranked.c.department_id)
            .where(ranked.c.rn == 1)
            .subquery("posting")
        )
        return posting, sa.func.coalesce(posting.c.department_id, Staff.department_id)
    latest = (
        sa.select(StaffPosting.department_id)
        .where(StaffPosting.staff_id == Staff.id, StaffPosting.valid_from <= d)
        .order_by(StaffPosting.valid_from.desc(), StaffPosting.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return None, sa.func.coalesce(latest, Staff.department_id)


def _results(scope: ExamScope) -> Any:
    """Per person with a counted attempt: counted percentage, passed, attempts (补考 in).
    Read from the results kept as attempts are submitted; counting as of an earlier day,
    worked out from the attempts submitted by then."""
    import sqlalchemy as sa

    from studyhub.models import ExamResult

    def own(exam_id: int, method: str, pass_h: int, closes_at: Any, own_closes: bool) -> Any:
        if scope.until is None:
            kept = ExamResult.__table__
            return sa.select(
                kept.c.staff_id, kept.c.pct, kept.c.passed, kept.c.attempts.label("n")
            ).where(kept.c.exam_id == exam_id)
        counted = counted_query(exam_id, method, pass_h, closes_at, scope.until, own_closes)
        return counted.with_only_columns(*list(counted.selected_columns)[:4])

    main = own(
        scope.exam_id, scope.grading, scope.pass_mark_h, scope.closes_at, scope.own_closes
    ).subquery("main")
    if not scope.makeups:
        return main
    parts = [sa.select(main.c.staff_id, main.c.pct, main.c.passed, main.c.n)]
    for makeup_id, method, pass_h, closes_at, own_closes in scope.makeups:
        extra = own(makeup_id, method, pass_h, closes_at, own_closes).subquery()
        parts.append(sa.select(extra.c.staff_id, extra.c.pct, extra.c.passed, extra.c.n))
    union = sa.union_all(*parts).subquery("results")
    return (
        sa.select(union.c.staff_id, sa.func.max(union.c.pct).label("pct"),
                  sa.func.max(union.c.passed).label("passed"), sa.func.sum(union.c.n).label("n"))
        .group_by(union.c.staff_id)
        .subquery("counted")
    )  # fmt: skip


def _in_post(scope: ExamScope) -> Any:
    import sqlalchemy as sa

    from studyhub.models import Staff

    d = scope.close_day
    return sa.and_(sa.or_(Staff.in_post_from.is_(None), Staff.in_post_from <= d),
                   sa.or_(Staff.in_post_to.is_(None), Staff.in_post_to >= d))  # fmt: skip


def scope_people(scope: ExamScope, only: Any = None) -> Select[Any]:
    """Who is counted for the exam on its close day, whatever they did: staff id, department
    id on that day, candidate (1 when in post that day and in the audience: required unless
    exempt) and exempt; of the staff ids ``only`` selects, when given. Everyone counted has
    a department, and the demo person is not counted. This is what ``kept_scope_people``
    keeps."""
    import sqlalchemy as sa

    from studyhub.models import Exemption, Staff

    posting, department_id = _department_on(scope, only)
    in_audience = sa.true() if scope.audience is None else department_id.in_(scope.audience)
    query = (
        sa.select(
            Staff.id.label("staff_id"),
            department_id.label("department_id"),
            sa.case((sa.and_(_in_post(scope), in_audience), 1), else_=0).label("candidate"),
            sa.case((Exemption.id.is_not(None), 1), else_=0).label("exempt"),
        )
        .outerjoin(Exemption, sa.and_(Exemption.staff_id == Staff.id,
                                      Exemption.exam_id == scope.exam_id))
        .where(department_id.is_not(None), Staff.staff_no != DEMO_STAFF_NO)
    )  # fmt: skip
    if posting is not None:
        query = query.outerjoin(posting, posting.c.staff_id == Staff.id)
    if only is not None:
        query = query.where(Staff.id.in_(only))
    return query


def _computed_base(scope: ExamScope, results: Any) -> tuple[Any, Any, Any]:
    """(per person of the staff table: department on the close day, in post, exemption and
    result; whether they are counted at all; whether in post and in the audience)."""
    import sqlalchemy as sa

    from studyhub.models import Exemption, Staff

    posting, department_id = _department_on(scope)
    base_query = (
        sa.select(
            Staff.id.label("staff_id"),
            Staff.staff_no,
            Staff.name,
            department_id.label("department_id"),
            Staff.department_id.label("own_department_id"),
            sa.case((_in_post(scope), 1), else_=0).label("in_post"),
            sa.case((Exemption.id.is_not(None), 1), else_=0).label("is_exempt"),
            sa.case((results.c.staff_id.is_not(None), 1), else_=0).label("sat"),
            results.c.staff_id.label("result_of"),
            results.c.pct,
            results.c.passed.label("passed_exam"),
            sa.func.coalesce(results.c.n, 0).label("attempts"),
        )
        .select_from(Staff)
        .outerjoin(results, results.c.staff_id == Staff.id)
        .outerjoin(Exemption, sa.and_(Exemption.staff_id == Staff.id,
                                      Exemption.exam_id == scope.exam_id))
    )  # fmt: skip
    if posting is not None:
        base_query = base_query.outerjoin(posting, posting.c.staff_id == Staff.id)
    base = base_query.subquery("base")
    in_audience = sa.true() if scope.audience is None else base.c.department_id.in_(scope.audience)
    # everyone counted has a department (a person without a posting yet, such as the first
    # admin before the roster, is in no row and so in no total), and the demo person none
    # (the staff table's own department first: the posting lookup only for those without)
    has_department = sa.or_(
        base.c.own_department_id.is_not(None), base.c.department_id.is_not(None)
    )
    counted = sa.and_(has_department, base.c.staff_no != DEMO_STAFF_NO)
    return base, counted, sa.and_(base.c.in_post == 1, in_audience)


def _kept_base(scope: ExamScope, results: Any) -> tuple[Any, Any, Any]:
    """As :func:`_computed_base`, from the scope kept for the exam and close day: one row
    per person counted, their department, candidacy and exemption read, not worked out."""
    import sqlalchemy as sa

    from studyhub.models import KeptScopePerson, Staff

    kept = KeptScopePerson.__table__
    base = (
        sa.select(
            kept.c.staff_id,
            Staff.staff_no,
            Staff.name,
            kept.c.department_id,
            kept.c.candidate,
            kept.c.exempt.label("is_exempt"),
            sa.case((results.c.staff_id.is_not(None), 1), else_=0).label("sat"),
            results.c.staff_id.label("result_of"),
            results.c.pct,
            results.c.passed.label("passed_exam"),
            sa.func.coalesce(results.c.n, 0).label("attempts"),
        )
        .select_from(kept)
        .outerjoin(Staff, Staff.id == kept.c.staff_id)
        .outerjoin(results, results.c.staff_id == kept.c.staff_id)
        .where(kept.c.exam_id == scope.exam_id, kept.c.close_day == scope.close_day)
    ).subquery("base")
    return base, sa.true(), base.c.candidate == 1


def _scoped_base(scope: ExamScope) -> tuple[Any, Any]:
    """(the per-person base of the exam, worked out or kept; the condition of being in
    scope: counted, and in post and in the audience or with a counted attempt)."""
    import sqlalchemy as sa

    results = _results(scope)
    make = _kept_base if scope.kept else _computed_base
    base, counted, candidate = make(scope, results)
    return base, sa.and_(counted, sa.or_(candidate, base.c.result_of.is_not(None)))


def rate_inputs(scope: ExamScope) -> Select[Any]:
    """Per person in scope, only what the rates add up: department id on the close date,
    ``exempt`` (0/1), ``result_of`` (their staff id when they have a counted result, else
    NULL), the counted percentage (hundredths) and ``passed``. No flags worked out per row:
    the rates' aggregates pick their people by condition and skip the NULLs of people
    without a result (:func:`studyhub.reports.rates.rates_select`)."""
    import sqlalchemy as sa

    base, in_scope = _scoped_base(scope)
    return sa.select(
        base.c.department_id, base.c.is_exempt.label("exempt"), base.c.result_of, base.c.pct,
        base.c.passed_exam.label("passed"),
    ).where(in_scope)  # fmt: skip


def person_results(scope: ExamScope, *, names: bool = True) -> Select[Any]:
    """One row per person in scope of the exam: staff id, number, name, department id (and,
    with ``names``, its code and name) on the close date, and flags required, exempt,
    participated, passed, excellent (0/1), with the counted percentage (hundredths) and the
    number of attempts. Each person's department, scope and exemption are worked out once,
    or read from the scope kept for the exam (:mod:`studyhub.reports.kept_scope`)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    base, in_scope = _scoped_base(scope)
    # every row is in scope (the WHERE below): the flags need not say so again
    required = base.c.is_exempt == 0
    participated = sa.and_(required, base.c.sat == 1)
    excellent = (
        sa.and_(participated, base.c.pct >= scope.excellent_h)
        if scope.excellent_h is not None
        else sa.false()
    )
    flag = lambda condition: sa.case((condition, 1), else_=0)  # noqa: E731
    columns = [
        base.c.staff_id, base.c.staff_no, base.c.name, base.c.department_id,
        flag(required).label("required"),
        flag(base.c.is_exempt == 1).label("exempt"),
        flag(participated).label("participated"),
        flag(sa.and_(participated, base.c.passed_exam == 1)).label("passed"),
        flag(excellent).label("excellent"),
        base.c.pct, base.c.attempts,
    ]  # fmt: skip
    query = sa.select(*columns).where(in_scope)
    if names:
        query = query.add_columns(
            Department.code.label("department_code"), Department.name.label("department_name")
        ).outerjoin(Department, Department.id == base.c.department_id)
    return query


def counted_attempts(scope: ExamScope) -> Any:
    """The attempts whose items count for each person (the exam's grading method: the best,
    first or last attempt; every attempt for "average"), submitted by the close of the
    person's own window; an attempt with no answer saved only when the person has no other."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    source, submitted = submitted_attempts(
        scope.exam_id, scope.closes_at, scope.until, scope.own_closes
    )
    empty = empty_flag()
    if scope.grading == "average":
        flagged = (
            sa.select(Attempt.id, Attempt.staff_id, empty.label("empty"),
                      sa.func.min(empty).over(partition_by=Attempt.staff_id).label("all_empty"))
            .select_from(source)
            .where(submitted)
            .subquery("flagged_attempts")
        )  # fmt: skip
        return (
            sa.select(flagged.c.id, flagged.c.staff_id)
            .where(sa.or_(flagged.c.empty == 0, flagged.c.all_empty == 1))
            .subquery("counted_attempts")
        )
    order = {
        "highest": (Attempt.percent.desc(), empty, Attempt.number),
        "first": (empty, Attempt.number),
        "last": (empty, Attempt.number.desc()),
    }[scope.grading]
    ranked = (
        sa.select(Attempt.id, Attempt.staff_id,
                  sa.func.row_number().over(partition_by=Attempt.staff_id, order_by=order)
                  .label("rn"))
        .select_from(source)
        .where(submitted)
        .subquery("ranked_attempts")
    )  # fmt: skip
    return (
        sa.select(ranked.c.id, ranked.c.staff_id)
        .where(ranked.c.rn == 1)
        .subquery("counted_attempts")
    )
