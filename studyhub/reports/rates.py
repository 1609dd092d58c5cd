"""参考率 and 及格率, exactly as DESIGN.md §4 defines them, with the people behind each figure.

For one exam E (with its 补考 folded in), counted on E's close date d (Asia/Shanghai):

* required (应参考): staff in post on d whose department on d is in E's audience, plus anyone
  who submitted an attempt at E or a 补考 of E (even if no longer in post or audience), minus
  the people exempt from E (免考).
* participants (实际参考): required people with a submitted attempt at E or a 补考 of E.
* counted score: E's grading method over E's attempts submitted by the close of the person's
  own window (E's close, or an override's); an attempt with no answer saved only when the
  person has no attempt with answers. A 补考's counted score replaces it when higher.
  passed: the counted score reaches the pass mark of the exam it came from.
* excellent (优秀): the counted score reaches E's top band.
* department: the one a person was in on d; a leaver counts in their last department.

One per-person query (:func:`person_results`) gives every figure, and the lists behind the
figures filter it; :func:`rates` aggregates its lean form (:func:`rate_inputs`: no flags
worked out per person) in SQL by group. Percentages are stored truncated to 0.01 (so
comparisons against marks on that grid are exact); rates are exact fractions, truncated,
never rounded up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import N_, msg, t
from studyhub.reports.per_person import counted_attempts, person_results, rate_inputs
from studyhub.reports.scope import ExamScope, exam_scope, exams_for, percent_text, rate

if TYPE_CHECKING:
    from sqlalchemy import Select

    from studyhub.db import Database

__all__ = [
    "DEFINITIONS",
    "ExamScope",
    "RateRow",
    "definitions",
    "exam_scope",
    "exams_for",
    "percent_text",
    "person_results",
    "rate",
    "rates",
    "total_row",
]

#: what each figure counts, in words (the column heading names the figure)
DEFINITIONS = {
    "required": N_("rates.def.required"),
    "participants": N_("rates.def.participants"),
    "passed": N_("rates.def.passed"),
    "excellent": N_("rates.def.excellent"),
    "exempt": N_("rates.def.exempt_count"),
    "participation_rate": N_("rates.def.participation_rate"),
    "pass_rate": N_("rates.def.pass_rate"),
    "pass_rate_of_required": N_("rates.def.pass_rate_of_required"),
    "excellent_rate": N_("rates.def.excellent_rate"),
    "average": N_("rates.def.average"),
    "highest": N_("rates.def.highest"),
    "group_name": N_("rates.def.department"),
}


def definitions(keys: Any = None) -> dict[str, str]:
    """The definitions of the figures ``keys`` (all by default) in the UI language."""
    return {key: t(text) for key, text in DEFINITIONS.items() if keys is None or key in keys}


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
    #: the sum of the participants' counted scores, in hundredths of a percent (so that a
    #: total's average is exact)
    score_sum: int = 0
    #: the day counted to (the close date, or today while the exam is open)
    counted_on: dt.date | None = None
    #: the exam has not closed: the figures may still change
    provisional: bool = False
    #: the exam has bands (without, nobody is 优秀 and there is no 优秀率)
    banded: bool = True

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
        return rate(self.excellent, self.participants) if self.banded else None

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


def total_row(rows: list[RateRow], group: str = "total", name: str = "") -> RateRow:
    """The 合计 of rows that split one exam's people between them (departments without
    their sub-departments): counts summed, the average over every participant."""
    first = rows[0]
    counts = [
        sum(getattr(r, f) for r in rows)
        for f in ("required", "participants", "passed", "excellent", "exempt")
    ]
    highest = max((r.highest for r in rows if r.highest is not None), default=None)
    total = RateRow(first.exam, first.year, group, name, *counts, None, highest, first.title,
                    sum(r.score_sum for r in rows), first.counted_on,
                    any(r.provisional for r in rows), first.banded)  # fmt: skip
    if total.participants:
        total.average = _hundredths(Decimal(total.score_sum) / total.participants)
    return total


def _aggregate(inputs: Any, excellent_h: int | None) -> list[Any]:
    """The figures of one group: required, participants, passed, excellent, exempt, the sum
    and number of the participants' counted percentages and the highest (hundredths). Plain
    aggregates over ``CASE WHEN condition THEN value END`` (NULL otherwise, which they skip,
    as they skip the NULLs of people without a counted result): no flag worked out per
    person, and no FILTER clause, which SQLite reads only from 3.30 on (Debian 10 and the
    systems built on it have 3.27); PostgreSQL runs both forms as fast."""
    import sqlalchemy as sa

    required = inputs.c.exempt == 0
    count, total = sa.func.count, sa.func.sum

    def when(condition: Any, value: Any) -> Any:
        return sa.case((condition, value))

    excellent: Any = sa.literal(0)
    if excellent_h is not None:
        excellent = count(when(sa.and_(required, inputs.c.pct >= excellent_h), 1))
    return [
        count(when(required, 1)).label("required"),
        count(when(required, inputs.c.result_of)).label("participants"),
        sa.func.coalesce(total(when(required, inputs.c.passed)), 0).label("passed"),
        excellent.label("excellent"),
        count(when(inputs.c.exempt == 1, 1)).label("exempt"),
        sa.func.coalesce(total(when(required, inputs.c.pct)), 0).label("score_sum"),
        count(when(required, inputs.c.pct)).label("scored"),
        sa.func.max(when(required, inputs.c.pct)).label("highest"),
    ]


def rates_select(
    scope: ExamScope, by: str = "none", *, include_subdepartments: bool = False
) -> Select[Any]:
    """The figures of one exam (see :func:`_aggregate`), aggregated in SQL: one row, or one
    per department id (``department_id`` first; with sub-departments, each department
    counts its subtree)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    if by == "topic":
        return _by_topic(scope, person_results(scope, names=False).subquery("people"))
    inputs = rate_inputs(scope).subquery("people")
    sums = _aggregate(inputs, scope.excellent_h)
    if by == "none":
        return sa.select(sa.null().label("department_id"), *sums)
    if by != "department":
        raise InputError(msg("unknown grouping {by} (department, topic or none)", by=by))
    if not include_subdepartments:
        return sa.select(inputs.c.department_id, *sums).group_by(inputs.c.department_id)
    closure = sa.select(Department.id.label("ancestor"), Department.id.label("descendant")).cte(
        "closure", recursive=True
    )
    child = sa.orm.aliased(Department)
    closure = closure.union_all(
        sa.select(closure.c.ancestor, child.id).where(child.parent_id == closure.c.descendant)
    )
    return (
        sa.select(closure.c.ancestor.label("department_id"), *sums)
        .select_from(inputs)
        .join(closure, closure.c.descendant == inputs.c.department_id)
        .group_by(closure.c.ancestor)
    )


def _by_topic(scope: ExamScope, people: Any) -> Select[Any]:
    """Per topic of the paper: the exam's required and participants, and how many
    participants reached the pass mark (and the top band) on that topic's questions alone,
    with the average and highest topic score (percent of its points)."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, Question, QuestionVersion, Topic

    counted = counted_attempts(scope)
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


def _score_sum(average: Any, participants: int) -> int:
    """The sum of the participants' scores (hundredths), from their exact mean: no second
    aggregate in the query (the mean of integers times their count is an integer)."""
    if average is None:
        return 0
    return int((Decimal(str(average)) * participants).to_integral_value())


def _topic_rows(scope: ExamScope, result: Any, common: tuple[Any, ...],
                after: tuple[Any, ...]) -> list[RateRow]:  # fmt: skip
    """One row per topic of the paper, from :func:`_by_topic`'s figures."""
    rows = []
    for row in result:
        counts = [int(row.required or 0), int(row.participants or 0), int(row.passed or 0),
                  int(row.excellent or 0), int(row.exempt or 0)]  # fmt: skip
        rows.append(RateRow(scope.key, scope.year, row.group, row.group_name, *counts,
                            _hundredths(row.average), _hundredths(row.highest), *common,
                            _score_sum(row.average, counts[1]), *after))  # fmt: skip
    return rows


def _percent(hundredths: int) -> Decimal:
    """A whole number of hundredths of a percent as the percentage (8533 as 85.33)."""
    return Decimal(hundredths).scaleb(-2)


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
    from studyhub.reports.kept_scope import keep_scopes

    keep_scopes(database, year=year, exam=exam, today=today, as_of=as_of)
    rows: list[RateRow] = []
    with database.session(readonly=True) as session:
        departments: list[Any] = []
        connection = session.connection()  # Core rows: a province has 20,000 departments
        if by == "department":
            departments = connection.execute(
                sa.select(Department.id, Department.code, Department.name).order_by(Department.code)
            ).all()  # fmt: skip
        for item in exams_for(session, year=year, exam=exam):
            scope = exam_scope(session, item, today=today, as_of=as_of)
            query = rates_select(scope, by, include_subdepartments=include_subdepartments)
            common = (scope.title,)
            after = (scope.close_day, scope.provisional, scope.excellent_h is not None)
            if by == "topic":
                rows.extend(_topic_rows(scope, connection.execute(query), common, after))
                continue
            figures = {
                row[0]: row[1:]
                for row in connection.execute(query).all()
                if row[1] or row[5]  # someone required or exempt: counted
            }
            if by == "none":
                labels: Any = [(None, "all", t("rates.all_group"))]
            elif scope.audience is None:
                labels = departments
            else:  # the audience, and any other department where someone is counted
                shown = set(scope.audience) | figures.keys()
                labels = [d for d in departments if d[0] in shown]
            for key, group, name in labels:
                sums = figures.get(key)
                if sums is None:  # nobody counted there: "-" rates
                    rows.append(RateRow(scope.key, scope.year, group, name, 0, 0, 0, 0, 0,
                                        None, None, *common, 0, *after))  # fmt: skip
                    continue
                # PostgreSQL sums a bigint (an average's percentage) as numeric: a Decimal
                score_sum, scored, highest = int(sums[5]), sums[6], sums[7]
                rows.append(
                    RateRow(
                        scope.key, scope.year, group, name, *sums[:5],
                        _percent(score_sum // scored) if scored else None,
                        None if highest is None else _percent(highest),
                        *common, score_sum, *after,
                    )
                )  # fmt: skip
    return rows
