"""Study totals of a year (DESIGN.md §5) as report tables.

The year is the calendar year of the activity date (dates are local, Asia/Shanghai). The
figures come from SQL aggregations: the year's totals are
:func:`studyhub.study.activities.study_totals`, :func:`studyhub.study.activities.law_titles` and
:func:`studyhub.study.outreach.outreach_totals` themselves, so a report never disagrees with
them; this module adds the per-activity attendance rates and the hours per person (count,
total, minimum, median and maximum computed in SQL with window functions), each built by a
function returning a ``Select``.

Hours are summed as integer hundredths in SQL (exact on every database) and turned into
Decimals here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import get_language, msg, t
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from sqlalchemy import Select

    from studyhub.db import Database

__all__ = [
    "activity_attendance_query",
    "hours_stats_query",
    "kind_dates_query",
    "person_hours_query",
    "study_report",
]

CENT = Decimal("0.01")


def _hours(cents: Any) -> Decimal:
    """Integer hundredths (int, or Decimal from PostgreSQL's SUM) as hours."""
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def _year(year: int) -> Any:
    from studyhub.models import StudyActivity
    from studyhub.study.activities import year_range

    return StudyActivity.held_on.between(*year_range(year))


def _credited_cents() -> Any:
    """The hours an attendance credits (its own, else the activity's), in hundredths."""
    import sqlalchemy as sa

    from studyhub.models import Attendance, StudyActivity

    return sa.type_coerce(sa.func.coalesce(Attendance.hours, StudyActivity.hours), sa.Integer)


# --- queries -----------------------------------------------------------------------------------


def kind_dates_query(year: int) -> Select[Any]:
    """``(kind, dates)``: the distinct dates of each kind's activities in ``year`` as one
    comma-separated string."""
    import sqlalchemy as sa

    from studyhub.models import StudyActivity

    days = (
        sa.select(StudyActivity.kind, StudyActivity.held_on)
        .where(_year(year))
        .distinct()
        .subquery()
    )
    return sa.select(
        days.c.kind, sa.func.aggregate_strings(sa.cast(days.c.held_on, sa.String), ",")
    ).group_by(days.c.kind)


def activity_attendance_query(year: int) -> Select[Any]:
    """Per activity of ``year``: id, date, kind, title, hours, attendees recorded, attendees in
    post that day, and staff in post that day (the denominator of its attendance rate)."""
    import sqlalchemy as sa

    from studyhub.models import Attendance, StaffPosting, StudyActivity

    activity = StudyActivity
    on_day = sa.and_(
        StaffPosting.valid_from <= activity.held_on,
        sa.or_(StaffPosting.valid_to.is_(None), StaffPosting.valid_to > activity.held_on),
    )
    in_post = (
        sa.select(activity.id.label("activity_id"), sa.func.count().label("n"))
        .join(StaffPosting, on_day)
        .where(_year(year))
        .group_by(activity.id)
        .subquery()
    )
    recorded = (
        sa.select(Attendance.activity_id, sa.func.count().label("n"))
        .join(activity, activity.id == Attendance.activity_id)
        .where(_year(year))
        .group_by(Attendance.activity_id)
        .subquery()
    )
    present = (
        sa.select(Attendance.activity_id, sa.func.count().label("n"))
        .join(activity, activity.id == Attendance.activity_id)
        .join(StaffPosting, sa.and_(StaffPosting.staff_id == Attendance.staff_id, on_day))
        .where(_year(year))
        .group_by(Attendance.activity_id)
        .subquery()
    )
    return (
        sa.select(
            activity.id, activity.held_on, activity.kind, activity.title, activity.hours,
            sa.func.coalesce(recorded.c.n, 0).label("attendees"),
            sa.func.coalesce(present.c.n, 0).label("present"),
            sa.func.coalesce(in_post.c.n, 0).label("in_post"),
        )
        .outerjoin(recorded, recorded.c.activity_id == activity.id)
        .outerjoin(present, present.c.activity_id == activity.id)
        .outerjoin(in_post, in_post.c.activity_id == activity.id)
        .where(_year(year))
        .order_by(activity.held_on, activity.id)
    )  # fmt: skip


def person_hours_query(year: int) -> Select[Any]:
    """Everyone in post at some time in ``year``, with their department (the last one they
    held in the year) and the hours credited to them by the year's activities, in hundredths
    (``cents``; 0 when they attended nothing)."""
    import sqlalchemy as sa

    from studyhub.models import Attendance, Department, Staff, StaffPosting, StudyActivity
    from studyhub.study.activities import year_range

    first, last = year_range(year)
    postings = (
        sa.select(
            StaffPosting.staff_id, StaffPosting.department_id,
            sa.func.row_number().over(
                partition_by=StaffPosting.staff_id,
                order_by=(StaffPosting.valid_from.desc(), StaffPosting.id.desc()),
            ).label("rn"),
        )
        .where(
            StaffPosting.valid_from <= last,
            sa.or_(StaffPosting.valid_to.is_(None), StaffPosting.valid_to > first),
        )
        .subquery()
    )  # fmt: skip
    hours = (
        sa.select(Attendance.staff_id, sa.func.sum(_credited_cents()).label("cents"))
        .join(StudyActivity, StudyActivity.id == Attendance.activity_id)
        .where(_year(year))
        .group_by(Attendance.staff_id)
        .subquery()
    )
    return (
        sa.select(
            Staff.id.label("staff_id"), Staff.staff_no, Staff.name,
            Department.code.label("department"), Department.name.label("department_name"),
            sa.func.coalesce(hours.c.cents, 0).label("cents"),
        )
        .select_from(postings)
        .join(Staff, Staff.id == postings.c.staff_id)
        .join(Department, Department.id == postings.c.department_id)
        .outerjoin(hours, hours.c.staff_id == postings.c.staff_id)
        .where(postings.c.rn == 1)
    )  # fmt: skip


def hours_stats_query(
    year: int, *, by_department: bool = False, below_cents: int | None = None
) -> Select[Any]:
    """Hours per person of ``year`` (over :func:`person_hours_query`), per department or for
    everyone: people, total, minimum, maximum, the sum and number of the middle value(s) (their
    mean is the median) and, given ``below_cents``, how many have fewer hundredths than that."""
    import sqlalchemy as sa

    people = person_hours_query(year).subquery()
    groups = [people.c.department, people.c.department_name] if by_department else []
    ranked = sa.select(
        *groups,
        people.c.cents,
        sa.func.row_number().over(partition_by=groups or None, order_by=people.c.cents).label("rn"),
        sa.func.count().over(partition_by=groups or None).label("n"),
    ).subquery()
    group_cols = [ranked.c.department, ranked.c.department_name] if by_department else []
    middle = sa.or_(
        ranked.c.rn == (ranked.c.n + 1) // 2,
        ranked.c.rn == (ranked.c.n + 2) // 2,
    )
    below = (
        sa.func.sum(sa.case((ranked.c.cents < below_cents, 1), else_=0))
        if below_cents is not None
        else sa.literal(0)
    )
    query = sa.select(
        *group_cols,
        sa.func.count().label("people"),
        sa.func.sum(ranked.c.cents).label("total"),
        sa.func.min(ranked.c.cents).label("low"),
        sa.func.max(ranked.c.cents).label("high"),
        sa.func.sum(sa.case((middle, ranked.c.cents), else_=0)).label("middle_sum"),
        sa.func.sum(sa.case((middle, 1), else_=0)).label("middle_n"),
        below.label("below"),
    )
    if by_department:
        query = query.group_by(*group_cols).order_by(ranked.c.department)
    return query


# --- the report --------------------------------------------------------------------------------


def _kind_name(kind: str) -> str:
    from studyhub.models.enums import STUDY_KINDS

    return STUDY_KINDS.get(kind, kind) if get_language() == "zh" else kind


def _kind_order(kind: str) -> int:
    """The order kinds are listed in (as :data:`~studyhub.models.enums.STUDY_KINDS`)."""
    from studyhub.models.enums import STUDY_KINDS

    order = list(STUDY_KINDS)
    return order.index(kind) if kind in order else len(order)


def _columns(*keys: str) -> list[tuple[str, str]]:
    return [(key, t(f"report.study.col.{key}")) for key in keys]


def _stats_row(row: Any) -> dict[str, Any]:
    people = int(row.people)
    median = None
    if people:
        median = (Decimal(int(row.middle_sum)) / int(row.middle_n) / 100).quantize(Decimal("0.001"))
        median = median.quantize(CENT) if median == median.quantize(CENT) else median
    return {
        "people": people,
        "total_hours": _hours(row.total),
        "min_hours": _hours(row.low) if people else None,
        "median_hours": median,
        "max_hours": _hours(row.high) if people else None,
        "below": int(row.below or 0),
    }


def study_report(
    database: Database,
    year: int,
    *,
    by_department: bool = False,
    required_hours: Decimal | str | float | None = None,
) -> list[ReportTable]:
    """The study figures of ``year`` as report tables: totals; activities by kind with dates
    and hours; each activity's attendance rate; hours per person (per department when asked)
    and who is below ``required_hours``; the distinct laws studied; seminars per topic."""
    import sqlalchemy as sa

    from studyhub.models import Topic
    from studyhub.reports.rates import rate
    from studyhub.study.activities import law_titles, study_totals
    from studyhub.study.outreach import outreach_totals
    from studyhub.values import parse_hours, reason_of

    required: Decimal | None = None
    if required_hours is not None:
        try:
            required = parse_hours(required_hours)
        except ValueError as err:
            raise InputError(msg("required hours: {detail}", detail=reason_of(err))) from None
    below_cents = int(required * 100) if required is not None else None

    totals = study_totals(database, year)
    outreach = outreach_totals(database, year)
    laws = law_titles(database, year=year)
    with database.session(readonly=True) as session:
        dates = {
            kind: sorted(text.split(",")) if text else []
            for kind, text in session.execute(kind_dates_query(year))
        }
        activities = session.execute(activity_attendance_query(year)).all()
        overall = session.execute(hours_stats_query(year, below_cents=below_cents)).one()
        per_dept = (
            session.execute(
                hours_stats_query(year, by_department=True, below_cents=below_cents)
            ).all()
            if by_department
            else []
        )
        below_people = []
        if below_cents is not None:
            people = person_hours_query(year).subquery()
            below_people = session.execute(
                sa.select(people)
                .where(people.c.cents < below_cents)
                .order_by(people.c.department, people.c.staff_no)
            ).all()
        topic_names = dict(
            session.execute(
                sa.select(Topic.key, Topic.name).where(
                    Topic.key.in_(list(totals["seminars_by_topic"]))
                )
            ).all()
        )

    overall_stats = _stats_row(overall)
    seminars = totals["by_kind"].get("seminar", {}).get("activities", 0)
    activity_hours = sum((v["hours"] or Decimal(0) for v in totals["by_kind"].values()), Decimal(0))
    tables: list[ReportTable] = []

    # 1. the year's totals
    figures = [
        ("activities", totals["activities"]),
        ("activity_hours", activity_hours.quantize(CENT)),
        ("attendance", totals["attendance"]),
        ("people", totals["people"]),
        ("person_hours", totals["person_hours"]),
        ("staff_in_post", overall_stats["people"]),
        ("median_hours", overall_stats["median_hours"]),
        ("laws", totals["laws"]),
        ("seminars", seminars),
        ("outreach_events", outreach["events"]),
        ("outreach_materials", outreach["materials"]),
        ("outreach_consultations", outreach["consultations"]),
        ("outreach_participants", outreach["participants"]),
    ]
    tables.append(
        ReportTable(
            title=t("report.study.totals", year=year),
            columns=_columns("item", "value"),
            rows=[{"item": t(f"report.study.fig.{key}"), "value": value} for key, value in figures],
            definitions={"value": t("report.study.def.totals")},
            kinds={"value": "number"},
        )
    )

    # 2. activities by kind
    rows = [
        {"kind": _kind_name(kind), "activities": v["activities"], "dates": dates.get(kind, []),
         "hours": v["hours"]}
        for kind, v in sorted(totals["by_kind"].items(), key=lambda item: _kind_order(item[0]))
    ]  # fmt: skip
    total = {"kind": t("report.total"), "activities": totals["activities"], "dates": [],
             "hours": activity_hours.quantize(CENT)}  # fmt: skip
    tables.append(
        ReportTable(
            title=t("report.study.by_kind", year=year),
            columns=_columns("kind", "activities", "dates", "hours"),
            rows=rows,
            definitions={"hours": t("report.study.def.kind_hours")},
            kinds={"activities": "count", "hours": "number"},
            total=total,
        )
    )

    # 3. attendance rate of each activity
    tables.append(
        ReportTable(
            title=t("report.study.activities", year=year),
            columns=_columns(
                "date", "kind", "title", "hours", "attendees", "present", "in_post", "rate"
            ),
            rows=[
                {
                    "date": a.held_on,
                    "kind": _kind_name(a.kind),
                    "title": a.title,
                    "hours": a.hours,
                    "attendees": a.attendees,
                    "present": a.present,
                    "in_post": a.in_post,
                    "rate": rate(a.present, a.in_post),
                }
                for a in activities
            ],
            definitions={
                "present": t("report.study.def.present"),
                "in_post": t("report.study.def.in_post"),
                "rate": t("report.study.def.rate"),
            },
            kinds={
                "hours": "number",
                "attendees": "count",
                "present": "count",
                "in_post": "count",
                "rate": "rate",
            },
        )
    )

    # 4. hours per person
    stat_columns = _columns("people", "total_hours", "min_hours", "median_hours", "max_hours")
    if required is not None:
        stat_columns.append(("below", t("report.study.col.below_n", hours=required)))
    stat_rows: list[dict[str, Any]] = []
    if by_department:
        stat_columns = _columns("department", "department_name") + stat_columns
        for row in per_dept:
            stat_rows.append(
                {"department": row.department, "department_name": row.department_name}
                | _stats_row(row)
            )
        stat_total: dict[str, Any] | None = {
            "department": t("report.total"), "department_name": ""} | overall_stats  # fmt: skip
    else:
        stat_rows.append(overall_stats)
        stat_total = None
    definitions = {
        "people": t("report.study.def.people"),
        "median_hours": t("report.study.def.hours"),
    }
    if by_department:
        definitions["department"] = t("report.study.def.department")
    tables.append(
        ReportTable(
            title=t("report.study.hours", year=year),
            columns=stat_columns,
            rows=stat_rows,
            definitions=definitions,
            kinds={
                "people": "count",
                "total_hours": "number",
                "min_hours": "number",
                "median_hours": "number",
                "max_hours": "number",
                "below": "count",
            },
            total=stat_total,
        )
    )

    # 5. who is below the required hours
    if required is not None:
        tables.append(
            ReportTable(
                title=t("report.study.below", year=year, hours=required),
                columns=_columns(
                    "staff_no", "name", "department", "department_name", "hours", "shortfall"
                ),
                rows=[
                    {
                        "staff_no": p.staff_no,
                        "name": p.name,
                        "department": p.department,
                        "department_name": p.department_name,
                        "hours": _hours(p.cents),
                        "shortfall": (required - _hours(p.cents)).quantize(CENT),
                    }
                    for p in below_people
                ],
                definitions={"hours": t("report.study.def.hours")},
                kinds={"hours": "number", "shortfall": "number"},
            )
        )

    # 6. the distinct laws and regulations studied
    tables.append(
        ReportTable(
            title=t("report.study.laws", year=year, count=totals["laws"]),
            columns=_columns("law", "activities", "dates"),
            rows=[
                {"law": r["law"], "activities": r["activities"], "dates": r["dates"]} for r in laws
            ],
            definitions={"law": t("report.study.def.laws")},
            kinds={"activities": "count"},
        )
    )

    # 7. seminars per topic
    tables.append(
        ReportTable(
            title=t("report.study.seminars", year=year, count=seminars),
            columns=_columns("topic", "topic_name", "seminars"),
            rows=[
                {"topic": key, "topic_name": topic_names.get(key, key), "seminars": n}
                for key, n in totals["seminars_by_topic"].items()
            ],
            definitions={"seminars": t("report.study.def.seminars")},
            kinds={"seminars": "count"},
        )
    )
    return tables
