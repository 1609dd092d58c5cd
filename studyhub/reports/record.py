"""A person's year (学法档案): postings, study, hours, laws, exams with every attempt, practice.

Every figure comes from the queries the reports use, so a record and the reports never
disagree: the exams from :func:`studyhub.reports.people.people` (the rows behind 参考率 and
及格率: required, exempt with the reason, counted score, band, 补考 folded in), the hours
from :func:`studyhub.reports.study.person_hours_query` (the hours per person of
``report study``), the hours each attendance credits as ``report study`` credits them. The
queries take a list of people at once (one query per part, not one per person), so a
department's records cost what one person's does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from studyhub.errors import InputError, NotFoundError, PermissionDenied
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.admin.auth import SignedIn
    from studyhub.db import Database

__all__ = [
    "AttemptEntry",
    "ExamEntry",
    "PersonRecord",
    "Posting",
    "PracticeSummary",
    "StudyEntry",
    "check_record_access",
    "current_year",
    "has_record",
    "person_record",
    "person_records",
]

CENT = Decimal("0.01")
ONLINE = "online_course"
#: how many of the wrong-answer book's weakest topics a record names
WEAKEST = 3


@dataclass
class Posting:
    department: str
    department_name: str
    valid_from: dt.date
    valid_to: dt.date | None  # the last day is the day before (None: still there)


@dataclass
class StudyEntry:
    held_on: dt.date
    kind: str
    title: str
    hours: Decimal  # the hours credited to the person
    topics: list[str] = field(default_factory=list)
    laws: list[str] = field(default_factory=list)
    completed_on: dt.date | None = None


@dataclass
class AttemptEntry:
    exam: str  # the key of the exam or of its 补考
    makeup: bool
    number: int
    submitted_on: dt.date
    percent: Decimal | None
    score: Decimal | None
    max_score: Decimal | None
    band: str | None
    passed: bool | None
    imported: bool


@dataclass
class ExamEntry:
    key: str
    title: str
    required: bool
    exempt: bool
    reason: str | None
    participated: bool
    passed: bool
    #: the counted score (a percentage; 补考 folded in), None when not sat
    score: Decimal | None
    points: Decimal | None
    band: str | None
    attempts: list[AttemptEntry] = field(default_factory=list)
    provisional: bool = False


@dataclass
class PracticeSummary:
    answered: int
    right: int
    #: (topic key, topic name, questions in the wrong-answer book, times answered wrongly)
    weakest: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def share_right(self) -> Decimal | None:
        from studyhub.reports.scope import rate

        return rate(self.right, self.answered)


@dataclass
class PersonRecord:
    staff_no: str
    name: str
    department: str | None
    department_name: str | None
    year: int
    postings: list[Posting] = field(default_factory=list)
    activities: list[StudyEntry] = field(default_factory=list)
    online: list[StudyEntry] = field(default_factory=list)
    #: the hours of the year as ``report study`` counts them
    hours: Decimal = Decimal("0.00")
    required_hours: Decimal | None = None
    laws: list[tuple[str, int]] = field(default_factory=list)
    exams: list[ExamEntry] = field(default_factory=list)
    practice: PracticeSummary = field(default_factory=lambda: PracticeSummary(0, 0))

    @property
    def activity_hours(self) -> Decimal:
        return sum((a.hours for a in self.activities), Decimal(0)).quantize(CENT)

    @property
    def online_hours(self) -> Decimal:
        return sum((a.hours for a in self.online), Decimal(0)).quantize(CENT)

    @property
    def shortfall(self) -> Decimal | None:
        if self.required_hours is None:
            return None
        return max(Decimal(0), self.required_hours - self.hours).quantize(CENT)


def check_record_access(
    viewer: SignedIn | None, staff_no: str | None, department: str | None
) -> str | None:
    """Whose record ``viewer`` may see: an employee their own (another person's, or a
    department's, is refused); a reporter or admin anyone's. Returns the staff number to
    show (the viewer's own when none is given). ``viewer`` None: a database in setup mode."""
    from studyhub.values import normalise_code

    wanted = normalise_code(staff_no) if staff_no else None
    if viewer is None or viewer.may("reporter"):
        if wanted is None and department is None:
            if viewer is None:
                raise InputError(msg("give a staff number or --dept D"))
            return viewer.staff_no
        return wanted
    if department is not None or (wanted is not None and wanted != viewer.staff_no):
        raise PermissionDenied(
            msg("an employee sees their own record only; {staff_no} is an employee",
                staff_no=viewer.staff_no),
            hint=msg("studyhub record (without a staff number) shows yours"),
        )  # fmt: skip
    return viewer.staff_no


def person_record(
    database: Database, staff_no: str, year: int, *, required_hours: Decimal | None = None
) -> PersonRecord:
    """The record of one person for ``year``."""
    return person_records(database, year, staff=[staff_no], required_hours=required_hours)[0]


def person_records(
    database: Database,
    year: int,
    *,
    staff: Sequence[str] | None = None,
    department: str | None = None,
    required_hours: Decimal | None = None,
) -> list[PersonRecord]:
    """The records of ``staff`` (staff numbers), or of everyone whose department in
    ``year`` (the last one they held, as ``report study --by department``) is ``department``
    or one of its sub-departments; in staff-number order."""
    import sqlalchemy as sa

    from studyhub.models import Department, Staff
    from studyhub.reports.study import person_hours_query

    if staff is None and department is None:
        raise InputError(msg("give a staff number or --dept D"))
    with database.session(readonly=True) as session:
        hours_sq = person_hours_query(year).subquery("person_hours")
        query = (
            sa.select(Staff.id, Staff.staff_no, Staff.name, Department.code, Department.name,
                      hours_sq.c.cents, hours_sq.c.department, hours_sq.c.department_name)
            .outerjoin(hours_sq, hours_sq.c.staff_id == Staff.id)
            .outerjoin(Department, Department.id == Staff.department_id)
            .order_by(Staff.staff_no)
        )  # fmt: skip
        if staff is not None:
            from studyhub.values import normalise_code

            numbers = [normalise_code(n) for n in staff]
            query = query.where(Staff.staff_no.in_(numbers))
        if department is not None:
            codes = _subtree_codes(session, department)
            query = query.where(hours_sq.c.department.in_(codes))
        found = session.execute(query).all()
        if staff is not None:
            missing = sorted(set(numbers) - {row.staff_no for row in found})
            if missing:
                raise NotFoundError(
                    msg("unknown staff number {staff_no}", staff_no=", ".join(missing))
                )
        records = {
            row.id: PersonRecord(
                row.staff_no, row.name,
                row[6] if row[6] is not None else row.code,
                row[7] if row[7] is not None else row[4],
                year, hours=(Decimal(int(row.cents or 0)) / 100).quantize(CENT),
                required_hours=required_hours,
            )
            for row in found
        }  # fmt: skip
        ids = list(records)
        if ids:
            _postings(session, records, year)
            _study(session, records, year)
            _practice(session, records, year)
            attempts = _attempts(session, records, year)
    for record in records.values():
        record.laws = _laws(record)
    if records:
        _exams(database, records, year, attempts)
    return list(records.values())


def _subtree_codes(session: Session, code: str) -> list[str]:
    import sqlalchemy as sa

    from studyhub.exams.definitions import department_subtree
    from studyhub.models import Department

    root = session.scalar(sa.select(Department.id).where(Department.code == code))
    if root is None:
        raise NotFoundError(msg("no department {department}", department=code))
    ids = department_subtree(session, [root])
    return list(session.scalars(sa.select(Department.code).where(Department.id.in_(ids))))


def _postings(session: Session, records: dict[int, PersonRecord], year: int) -> None:
    import sqlalchemy as sa

    from studyhub.models import Department, StaffPosting
    from studyhub.study.activities import year_range

    first, last = year_range(year)
    rows = session.execute(
        sa.select(StaffPosting.staff_id, Department.code, Department.name,
                  StaffPosting.valid_from, StaffPosting.valid_to)
        .join(Department, Department.id == StaffPosting.department_id)
        .where(StaffPosting.staff_id.in_(list(records)), StaffPosting.valid_from <= last,
               sa.or_(StaffPosting.valid_to.is_(None), StaffPosting.valid_to > first))
        .order_by(StaffPosting.staff_id, StaffPosting.valid_from, StaffPosting.id)
    )  # fmt: skip
    for staff_id, code, name, start, end in rows:
        records[staff_id].postings.append(
            Posting(code, name, start, None if end is None else end - dt.timedelta(days=1))
        )


def _study(session: Session, records: dict[int, PersonRecord], year: int) -> None:
    """The activities each person attended in ``year``, with the hours credited as
    ``report study`` credits them, their topics and laws."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, ActivityTopic, Attendance, StudyActivity, Topic
    from studyhub.reports.study import _credited_cents
    from studyhub.study.activities import year_range

    in_year = StudyActivity.held_on.between(*year_range(year))
    rows = session.execute(
        sa.select(Attendance.staff_id, StudyActivity.id, StudyActivity.held_on,
                  StudyActivity.kind, StudyActivity.title, _credited_cents().label("cents"),
                  Attendance.completed_on)
        .join(StudyActivity, StudyActivity.id == Attendance.activity_id)
        .where(Attendance.staff_id.in_(list(records)), in_year)
        .order_by(Attendance.staff_id, StudyActivity.held_on, StudyActivity.id)
    ).all()  # fmt: skip
    activity_ids = sorted({row.id for row in rows})
    topics: dict[int, list[str]] = {}
    laws: dict[int, list[str]] = {}
    if activity_ids:
        for activity_id, name in session.execute(
            sa.select(ActivityTopic.activity_id, Topic.name)
            .join(Topic, Topic.id == ActivityTopic.topic_id)
            .where(ActivityTopic.activity_id.in_(activity_ids))
            .order_by(ActivityTopic.activity_id, Topic.key)
        ):
            topics.setdefault(activity_id, []).append(name)
        for activity_id, name in session.execute(
            sa.select(ActivityLaw.activity_id, ActivityLaw.law_name)
            .where(ActivityLaw.activity_id.in_(activity_ids))
            .order_by(ActivityLaw.activity_id, ActivityLaw.law_name)
        ):
            laws.setdefault(activity_id, []).append(name)
    for row in rows:
        entry = StudyEntry(
            row.held_on, row.kind, row.title, (Decimal(int(row.cents or 0)) / 100).quantize(CENT),
            topics.get(row.id, []), laws.get(row.id, []), row.completed_on,
        )  # fmt: skip
        record = records[row.staff_id]
        (record.online if row.kind == ONLINE else record.activities).append(entry)


def _laws(record: PersonRecord) -> list[tuple[str, int]]:
    """The distinct laws of the activities attended (named as ``study laws`` counts them),
    with how many activities covered each, most first."""
    counts: dict[str, int] = {}
    for entry in [*record.activities, *record.online]:
        for law in entry.laws:
            counts[law] = counts.get(law, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _practice(session: Session, records: dict[int, PersonRecord], year: int) -> None:
    """Practice answers of the year (right and all), and each person's weakest topics in
    their wrong-answer book (the most questions answered wrongly, then the most times)."""
    import sqlalchemy as sa

    from studyhub.models import BookEntry, PracticeAnswer, Question, Topic
    from studyhub.timeutil import parse_datetime

    start = parse_datetime(f"{year}-01-01")
    end = parse_datetime(f"{year + 1}-01-01")
    ids = list(records)
    for staff_id, answered, right in session.execute(
        sa.select(PracticeAnswer.staff_id, sa.func.count(),
                  sa.func.sum(sa.case((PracticeAnswer.correct, 1), else_=0)))
        .where(PracticeAnswer.staff_id.in_(ids), PracticeAnswer.answered_at >= start,
               PracticeAnswer.answered_at < end)
        .group_by(PracticeAnswer.staff_id)
    ):  # fmt: skip
        records[staff_id].practice = PracticeSummary(int(answered), int(right or 0))
    entries = sa.func.count()
    wrong = sa.func.sum(BookEntry.wrong_count)
    ranked = (
        sa.select(BookEntry.staff_id, Topic.key, Topic.name, entries.label("entries"),
                  wrong.label("wrong"),
                  sa.func.row_number().over(partition_by=BookEntry.staff_id,
                                            order_by=(entries.desc(), wrong.desc(), Topic.key))
                  .label("rn"))
        .join(Question, Question.id == BookEntry.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(BookEntry.staff_id.in_(ids), BookEntry.wrong_count > 0)
        .group_by(BookEntry.staff_id, Topic.key, Topic.name)
        .subquery()
    )  # fmt: skip
    for row in session.execute(
        sa.select(ranked).where(ranked.c.rn <= WEAKEST).order_by(ranked.c.staff_id, ranked.c.rn)
    ):
        records[row.staff_id].practice.weakest.append(
            (row.key, row.name, int(row.entries), int(row.wrong or 0))
        )


def _attempts(
    session: Session, records: dict[int, PersonRecord], year: int
) -> dict[tuple[int, str], list[AttemptEntry]]:
    """Every submitted attempt of each person at the year's exams and their 补考, by
    (staff id, the parent exam's key), in the order they were submitted."""
    import sqlalchemy as sa

    from studyhub.exams.grading import band_for
    from studyhub.models import Attempt, Exam
    from studyhub.timeutil import local_date

    parent = sa.orm.aliased(Exam)
    rows = session.execute(
        sa.select(Attempt, Exam.key, Exam.kind, Exam.bands, parent.key.label("parent_key"),
                  parent.bands.label("parent_bands"))
        .join(Exam, Exam.id == Attempt.exam_id)
        .outerjoin(parent, parent.id == Exam.parent_id)
        .where(Attempt.staff_id.in_(list(records)), Attempt.status == "submitted",
               sa.or_(sa.and_(Exam.kind.in_(("exam", "external")), Exam.year == year),
                      sa.and_(Exam.kind == "makeup", parent.year == year)))
        .order_by(Attempt.staff_id, Attempt.submitted_at, Attempt.id)
    ).all()  # fmt: skip
    found: dict[tuple[int, str], list[AttemptEntry]] = {}
    for attempt, key, kind, bands, parent_key, parent_bands in rows:
        makeup = kind == "makeup"
        shown_bands = [(n, Decimal(m)) for n, m in (bands or parent_bands or [])]
        percent = attempt.percent
        band = band_for(percent, Decimal(100), shown_bands) if percent is not None else None
        found.setdefault((attempt.staff_id, parent_key if makeup else key), []).append(
            AttemptEntry(key, makeup, attempt.number, local_date(attempt.submitted_at), percent,
                         attempt.score, attempt.max_score, band, attempt.passed,
                         attempt.origin == "imported")
        )  # fmt: skip
    return found


def _exams(
    database: Database,
    records: dict[int, PersonRecord],
    year: int,
    attempts: dict[tuple[int, str], list[AttemptEntry]],
) -> None:
    """Each exam of the year the person is counted in (required or exempt), read from the
    lists behind the rates (:func:`studyhub.reports.people.people`)."""
    from studyhub.reports.people import people
    from studyhub.reports.scope import exam_scope, exams_for

    with database.session(readonly=True) as session:
        exams = [
            (item.key, item.title, exam_scope(session, item).provisional)
            for item in exams_for(session, year=year, exam=None)
        ]
    by_number = {record.staff_no: (staff_id, record) for staff_id, record in records.items()}
    numbers = list(by_number)
    for key, title, provisional in exams:
        rows = [(row, False) for row in people(database, key, "scores", staff=numbers)]
        rows += [(row, True) for row in people(database, key, "exempt", staff=numbers)]
        for row, exempt in rows:
            staff_id, record = by_number[row.staff_no]
            sat = row.score is not None and not exempt
            record.exams.append(
                ExamEntry(key, title, not exempt, exempt, row.reason, sat, row.passed and sat,
                          row.score, row.points, row.band, attempts.get((staff_id, key), []),
                          provisional)
            )  # fmt: skip


def has_record(database: Database, staff_no: str) -> bool:
    """Whether the person has anything a record shows: an attendance, a submitted attempt
    (imported ones too) or a certificate (the quiz menu offers the record then)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, Attendance, Certificate, Staff

    with database.session(readonly=True) as session:
        staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
        if staff_id is None:
            return False
        checks = [
            sa.exists().where(Attendance.staff_id == staff_id),
            sa.exists().where(Attempt.staff_id == staff_id, Attempt.status == "submitted"),
            sa.exists().where(Certificate.staff_id == staff_id),
        ]
        return any(session.scalar(sa.select(check)) for check in checks)


def current_year(database: Database) -> int:
    """This year in Asia/Shanghai, by the database's clock."""
    from studyhub.db import db_now
    from studyhub.timeutil import local_date

    with database.session(readonly=True) as session:
        return local_date(db_now(session)).year
