"""参考率 and 及格率, exactly as DESIGN.md §4 defines them, with the people behind each figure.

For one exam E (with its 补考 folded in), counted on E's close date d (Asia/Shanghai):

* required (应参考): staff in post on d whose department on d is in E's audience, plus anyone
  who submitted an attempt at E or a 补考 of E (even if no longer in post or audience), minus
  the people exempt from E (免考).
* participants (实际参考): required people with a submitted attempt at E or a 补考 of E.
* counted score: E's grading method over E's attempts submitted before E closed; a 补考's
  counted score replaces it when higher. passed: the counted score reaches the pass mark of
  the exam it came from.
* excellent (优秀): the counted score reaches E's top band.
* department: the one a person was in on d; a leaver counts in their last department.

One per-person query (:func:`person_results`) gives every figure; :func:`rates` aggregates it in
SQL by group, and the lists behind the figures filter it. Percentages are stored truncated to
0.01 (so comparisons against marks on that grid are exact); rates are exact fractions,
truncated, never rounded up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam

__all__ = [
    "DEFINITIONS",
    "ExamScope",
    "RateRow",
    "exam_scope",
    "person_results",
    "rate",
    "rates",
]

DEFINITIONS = {
    "required": "应参考人数：考试截止日在岗且属于参考范围的人员，加上已交卷的人员，减去免考人员",
    "participants": "实际参考人数：应参考人员中至少交卷一次（含补考）的人数",
    "passed": "及格人数：实际参考人员中计分成绩（按考试计分方式，含补考）达到及格线的人数",
    "excellent": "优秀人数：实际参考人员中计分成绩达到最高等次分数线的人数",
    "exempt": "免考人数：经批准免考的人数（不计入应参考人数）",
    "participation_rate": "参考率 = 实际参考人数 ÷ 应参考人数",
    "pass_rate": "及格率 = 及格人数 ÷ 实际参考人数",
    "pass_rate_of_required": "及格人数 ÷ 应参考人数",
    "excellent_rate": "优秀率 = 优秀人数 ÷ 实际参考人数",
    "department": "部门：考试截止日所在部门；截止日前离岗人员计入其最后所在部门",
}


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
    #: (id, grading, pass mark in hundredths, closes_at) of each 补考
    makeups: list[tuple[int, str, int, dt.datetime | None]] = field(default_factory=list)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """An exact rate truncated to 4 places (0.9833 = 98.33%); None when nobody is counted."""
    if denominator == 0:
        return None
    value = Fraction(numerator, denominator)
    return (Decimal(value.numerator * 10000 // value.denominator) / 10000).quantize(
        Decimal("0.0001"), rounding=ROUND_DOWN
    )


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
        raise InputError(f"{exam.key} is a practice exam; practice never counts in rates")
    if exam.kind == "makeup":
        raise InputError(f"{exam.key} is a 补考; its results count in its parent exam's rates")
    roots = list(session.scalars(
        sa.select(ExamAudience.department_id).where(ExamAudience.exam_id == exam.id)))  # fmt: skip
    audience = sorted(department_subtree(session, roots)) if roots else None
    bands = sorted((Decimal(m) for _, m in exam.bands or []), reverse=True)
    makeups = [
        (m.id, m.grading, int(m.pass_mark * 100), m.closes_at)
        for m in session.scalars(sa.select(ExamModel).where(ExamModel.parent_id == exam.id))
    ]
    from studyhub.db import db_now

    close_day = _close_day(exam, today or local_date(db_now(session)))
    until = None
    if as_of is not None:
        close_day = min(close_day, as_of)
        from studyhub.timeutil import parse_datetime

        until = parse_datetime(as_of, end_of_day=True)
    return ExamScope(
        exam.id, exam.key, exam.title, exam.year, close_day, exam.grading,
        int(exam.pass_mark * 100), int(bands[0] * 100) if bands else None, audience,
        exam.closes_at, session.get_bind().dialect.name, until, makeups,
    )  # fmt: skip


def _counted(
    exam_id: int,
    method: str,
    pass_h: int,
    closes_at: dt.datetime | None,
    until: dt.datetime | None = None,
) -> Select[Any]:
    """Per person: counted percentage (hundredths), passed (0/1), attempts, for one exam.
    Only attempts submitted before the exam closed count."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    pct = sa.type_coerce(Attempt.percent, sa.Integer)
    submitted = sa.and_(Attempt.exam_id == exam_id, Attempt.status == "submitted")
    for limit in (closes_at, until):
        if limit is not None:
            submitted = sa.and_(submitted, Attempt.submitted_at < limit)
    if method in ("first", "last"):
        order = Attempt.number.asc() if method == "first" else Attempt.number.desc()
        ranked = (
            sa.select(
                Attempt.staff_id,
                pct.label("pct"),
                sa.func.row_number()
                .over(partition_by=Attempt.staff_id, order_by=order)
                .label("rn"),
                sa.func.count().over(partition_by=Attempt.staff_id).label("n"),
            )
            .where(submitted)
            .subquery()
        )
        return sa.select(
            ranked.c.staff_id,
            ranked.c.pct,
            sa.case((ranked.c.pct >= pass_h, 1), else_=0).label("passed"),
            ranked.c.n,
        ).where(ranked.c.rn == 1)
    if method == "average":
        total = sa.func.sum(pct)
        count = sa.func.count()
        return (
            sa.select(
                Attempt.staff_id,
                (total / count).label("pct"),
                sa.case((total >= pass_h * count, 1), else_=0).label("passed"),
                count.label("n"),
            )
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
        )
        .where(submitted)
        .group_by(Attempt.staff_id)
    )


def _department_on(scope: ExamScope) -> tuple[Any, Any]:
    """(a FROM item to outer-join on staff id, or None; the department id expression):
    the posting in force on the close date, else the latest before it (a leaver's last
    department), else the staff table's own. PostgreSQL ranks postings with a window;
    SQLite looks each person's up through the (staff, valid_from) index."""
    import sqlalchemy as sa

    from studyhub.models import Staff, StaffPosting

    d = scope.close_day
    if scope.dialect == "postgresql":
        ranked = (
            sa.select(
                StaffPosting.staff_id,
                StaffPosting.department_id,
                sa.func.row_number()
                .over(partition_by=StaffPosting.staff_id,
                      order_by=(StaffPosting.valid_from.desc(), StaffPosting.id.desc()))
                .label("rn"),
            )
            .where(StaffPosting.valid_from <= d)
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
    """Per person with a counted attempt: counted percentage, passed, attempts (补考 in)."""
    import sqlalchemy as sa

    main = _counted(
        scope.exam_id, scope.grading, scope.pass_mark_h, scope.closes_at, scope.until
    ).subquery("main")
    if not scope.makeups:
        return main
    parts = [sa.select(main.c.staff_id, main.c.pct, main.c.passed, main.c.n)]
    for makeup_id, method, pass_h, closes_at in scope.makeups:
        extra = _counted(makeup_id, method, pass_h, closes_at, scope.until).subquery()
        parts.append(sa.select(extra.c.staff_id, extra.c.pct, extra.c.passed, extra.c.n))
    union = sa.union_all(*parts).subquery("results")
    return (
        sa.select(union.c.staff_id, sa.func.max(union.c.pct).label("pct"),
                  sa.func.max(union.c.passed).label("passed"), sa.func.sum(union.c.n).label("n"))
        .group_by(union.c.staff_id)
        .subquery("counted")
    )  # fmt: skip


def person_results(scope: ExamScope, *, names: bool = True) -> Select[Any]:
    """One row per person in scope of the exam: staff id, number, name, department id (and,
    with ``names``, its code and name) on the close date, and flags required, exempt,
    participated, passed, excellent (0/1), with the counted percentage (hundredths) and the
    number of attempts. Each person's department, scope and exemption are worked out once."""
    import sqlalchemy as sa

    from studyhub.models import Department, Exemption, Staff

    d = scope.close_day
    posting, department_id = _department_on(scope)
    results = _results(scope)
    base_query = (
        sa.select(
            Staff.id.label("staff_id"),
            Staff.staff_no,
            Staff.name,
            department_id.label("department_id"),
            sa.case(
                (sa.and_(sa.or_(Staff.in_post_from.is_(None), Staff.in_post_from <= d),
                         sa.or_(Staff.in_post_to.is_(None), Staff.in_post_to >= d)), 1),
                else_=0,
            ).label("in_post"),
            sa.case((Exemption.id.is_not(None), 1), else_=0).label("is_exempt"),
            sa.case((results.c.staff_id.is_not(None), 1), else_=0).label("sat"),
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
    in_scope = sa.or_(sa.and_(base.c.in_post == 1, in_audience), base.c.sat == 1)
    required = sa.and_(in_scope, base.c.is_exempt == 0)
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
        flag(sa.and_(in_scope, base.c.is_exempt == 1)).label("exempt"),
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


@dataclass
class RateRow:
    exam: str
    year: int
    group: str
    group_name: str
    required: int
    participants: int
    passed: int
    excellent: int
    exempt: int
    average: Decimal | None
    highest: Decimal | None
    title: str = ""

    @property
    def participation_rate(self) -> Decimal | None:
        return rate(self.participants, self.required)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.participants)

    @property
    def pass_rate_of_required(self) -> Decimal | None:
        return rate(self.passed, self.required)

    @property
    def excellent_rate(self) -> Decimal | None:
        return rate(self.excellent, self.participants)

    def as_json(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "exam": self.exam, "year": self.year, "group": self.group,
            "group_name": self.group_name, "required": self.required,
            "participants": self.participants, "passed": self.passed,
            "excellent": self.excellent, "exempt": self.exempt,
            "participation_rate": text(self.participation_rate),
            "pass_rate": text(self.pass_rate),
            "pass_rate_of_required": text(self.pass_rate_of_required),
            "excellent_rate": text(self.excellent_rate),
            "average": text(self.average), "highest": text(self.highest),
        }  # fmt: skip


def _aggregate(people: Any) -> list[Any]:
    import sqlalchemy as sa

    return [
        sa.func.coalesce(sa.func.sum(people.c.required), 0).label("required"),
        sa.func.coalesce(sa.func.sum(people.c.participated), 0).label("participants"),
        sa.func.coalesce(sa.func.sum(people.c.passed), 0).label("passed"),
        sa.func.coalesce(sa.func.sum(people.c.excellent), 0).label("excellent"),
        sa.func.coalesce(sa.func.sum(people.c.exempt), 0).label("exempt"),
        sa.func.avg(sa.case((people.c.participated == 1, people.c.pct))).label("average"),
        sa.func.max(sa.case((people.c.participated == 1, people.c.pct))).label("highest"),
    ]


def rates_select(
    scope: ExamScope, by: str = "none", *, include_subdepartments: bool = False
) -> Select[Any]:
    """The figures of one exam, aggregated in SQL: one row, or one per department id
    (``department_id`` first; with sub-departments, each department counts its subtree)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    people = person_results(scope, names=False).subquery("people")
    if by == "none":
        return sa.select(*_aggregate(people))
    if by == "topic":
        return _by_topic(scope, people)
    if by != "department":
        raise InputError(f"unknown grouping {by} (department, topic or none)")
    if not include_subdepartments:
        return sa.select(people.c.department_id, *_aggregate(people)).group_by(
            people.c.department_id
        )
    closure = sa.select(Department.id.label("ancestor"), Department.id.label("descendant")).cte(
        "closure", recursive=True
    )
    child = sa.orm.aliased(Department)
    closure = closure.union_all(
        sa.select(closure.c.ancestor, child.id).where(child.parent_id == closure.c.descendant)
    )
    return (
        sa.select(closure.c.ancestor.label("department_id"), *_aggregate(people))
        .select_from(people)
        .join(closure, closure.c.descendant == people.c.department_id)
        .group_by(closure.c.ancestor)
    )


def _counted_attempts(scope: ExamScope) -> Any:
    """The attempts whose items count for each person (the exam's grading method: the best,
    first or last attempt; every attempt for "average"), submitted before the exam closed."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    submitted = sa.and_(Attempt.exam_id == scope.exam_id, Attempt.status == "submitted")
    for limit in (scope.closes_at, scope.until):
        if limit is not None:
            submitted = sa.and_(submitted, Attempt.submitted_at < limit)
    if scope.grading == "average":
        return sa.select(Attempt.id, Attempt.staff_id).where(submitted).subquery("counted_attempts")
    order = {
        "highest": (Attempt.percent.desc(), Attempt.number),
        "first": (Attempt.number,),
        "last": (Attempt.number.desc(),),
    }[scope.grading]
    ranked = (
        sa.select(Attempt.id, Attempt.staff_id,
                  sa.func.row_number().over(partition_by=Attempt.staff_id, order_by=order)
                  .label("rn"))
        .where(submitted)
        .subquery("ranked_attempts")
    )  # fmt: skip
    return (
        sa.select(ranked.c.id, ranked.c.staff_id)
        .where(ranked.c.rn == 1)
        .subquery("counted_attempts")
    )


def _by_topic(scope: ExamScope, people: Any) -> Select[Any]:
    """Per topic of the paper: the exam's required and participants, and how many
    participants reached the pass mark (and the top band) on that topic's questions alone,
    with the average and highest topic score (percent of its points)."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, Question, QuestionVersion, Topic

    counted = _counted_attempts(scope)
    awarded = sa.type_coerce(AttemptItem.awarded, sa.Integer)
    points = sa.type_coerce(AttemptItem.points, sa.Integer)
    per_person = (
        sa.select(counted.c.staff_id, Question.topic_id,
                  sa.func.sum(sa.func.coalesce(awarded, 0)).label("awarded"),
                  sa.func.sum(points).label("points"))
        .join(AttemptItem, AttemptItem.attempt_id == counted.c.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .group_by(counted.c.staff_id, Question.topic_id)
        .subquery("topic_scores")
    )  # fmt: skip
    pct = per_person.c.awarded * 10000 / per_person.c.points  # hundredths of a percent
    reached = lambda mark: sa.case(  # noqa: E731
        (per_person.c.awarded * 10000 >= mark * per_person.c.points, 1), else_=0
    )
    totals = sa.select(
        sa.func.coalesce(sa.func.sum(people.c.required), 0).label("required"),
        sa.func.coalesce(sa.func.sum(people.c.exempt), 0).label("exempt"),
    ).subquery("totals")
    participants = people.c.participated == 1
    return (
        sa.select(
            Topic.key.label("group"), Topic.name.label("group_name"),
            sa.func.max(totals.c.required).label("required"),
            sa.func.count().label("participants"),
            sa.func.sum(reached(scope.pass_mark_h)).label("passed"),
            sa.func.sum(reached(scope.excellent_h) if scope.excellent_h is not None
                        else sa.literal(0)).label("excellent"),
            sa.func.max(totals.c.exempt).label("exempt"),
            sa.func.avg(pct).label("average"), sa.func.max(pct).label("highest"),
        )
        .select_from(people)
        .join(per_person, per_person.c.staff_id == people.c.staff_id)
        .join(Topic, Topic.id == per_person.c.topic_id)
        .join(totals, sa.true())
        .where(participants)
        .group_by(Topic.key, Topic.name)
        .order_by(Topic.key)
    )  # fmt: skip


def _hundredths(value: Any) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(str(value)) / 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


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
        raise NotFoundError(f"no exam {exam}", hint="studyhub exam list shows the exams")
    return found


def rates(
    database: Database,
    *,
    year: int | None = None,
    exam: str | None = None,
    by: str = "none",
    include_subdepartments: bool = False,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
) -> list[RateRow]:
    """The figures of every exam of a year (or one exam), per group. By department, every
    department in the exam's audience is listed (an empty one with "-" rates), and any other
    department where someone is counted (a leaver's last department). ``as_of`` counts on
    that day instead of the close date (progress while the exam is open)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    rows: list[RateRow] = []
    with database.session(readonly=True) as session:
        departments = []
        if by == "department":
            departments = list(session.execute(
                sa.select(Department.id, Department.code, Department.name).order_by(Department.code)
            ))  # fmt: skip
        for item in exams_for(session, year=year, exam=exam):
            scope = exam_scope(session, item, today=today, as_of=as_of)
            query = rates_select(scope, by, include_subdepartments=include_subdepartments)
            if by == "none":
                figures = {None: session.execute(query).one()}
                labels = [(None, "all", "全部")]
            elif by == "topic":
                found = list(session.execute(query))
                figures = {row.group: row for row in found}
                labels = [(row.group, row.group, row.group_name) for row in found]
            else:
                figures = {row.department_id: row for row in session.execute(query)}
                shown = set(scope.audience or ()) | {
                    key for key, row in figures.items() if row.required or row.exempt
                }
                labels = [
                    (d.id, d.code, d.name)
                    for d in departments
                    if scope.audience is None or d.id in shown
                ]
            for key, group, name in labels:
                row = figures.get(key)
                rows.append(
                    RateRow(
                        scope.key,
                        scope.year,
                        group,
                        name,
                        *(
                            int(getattr(row, f) or 0) if row is not None else 0
                            for f in ("required", "participants", "passed", "excellent", "exempt")
                        ),
                        _hundredths(row.average) if row is not None else None,
                        _hundredths(row.highest) if row is not None else None,
                        scope.title,
                    )
                )
    return rows
