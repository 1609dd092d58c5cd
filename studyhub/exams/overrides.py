"""Per-person overrides (as Moodle has them): an admin gives one person, or a department
with its sub-departments, another window, more attempts or a longer time limit for one exam.

Every change is audited with what it was before. An override someone has already used (an
attempt outside the exam's own limits) may only be widened, never narrowed or removed:
their attempts keep counting (history never changes). Widening extends the deadline of an
attempt in progress; nothing ever shortens one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.exams.limits import merge
from studyhub.i18n import msg, msgn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam, ExamOverride

__all__ = ["OverrideRow", "list_overrides", "remove_override", "set_override"]

ATTEMPTS_RANGE = (1, 100)
TIME_LIMIT_RANGE = (dt.timedelta(minutes=1), dt.timedelta(hours=24))
#: the longest reason kept (characters)
REASON_LIMIT = 500
#: the years a window may be in (a typo guard, as the exam's own year)
YEARS = (2000, 2100)


@dataclass
class OverrideRow:
    exam: str
    staff_no: str | None
    name: str | None
    department: str | None
    department_name: str | None
    opens: dt.datetime | None
    closes: dt.datetime | None
    attempts: int | None
    time_limit_minutes: int | None
    reason: str
    set_by: str
    updated_at: dt.datetime | None

    def as_json(self) -> dict[str, Any]:
        def when(value: dt.datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "exam": self.exam, "staff_no": self.staff_no, "name": self.name,
            "department": self.department, "department_name": self.department_name,
            "opens": when(self.opens), "closes": when(self.closes), "attempts": self.attempts,
            "time_limit_minutes": self.time_limit_minutes, "reason": self.reason,
            "set_by": self.set_by, "updated_at": when(self.updated_at),
        }  # fmt: skip


# --- reading what an admin typed ------------------------------------------------------------


def _moment(value: str | dt.datetime | None, name: str, *, end_of_day: bool) -> dt.datetime | None:
    from studyhub.timeutil import parse_datetime
    from studyhub.values import reason_of

    if value is None:
        return None
    out_of_range = InputError(
        msg("--{name}: a time in the years {low} to {high}", name=name, low=YEARS[0],
            high=YEARS[1])
    )  # fmt: skip
    try:
        moment = parse_datetime(value, end_of_day=end_of_day)
    except (ValueError, OverflowError) as err:
        reason = reason_of(err)
        if isinstance(reason, str):  # Python's own words (a date past year 9999...)
            raise out_of_range from None
        raise InputError(msg("--{name}: {reason}", name=name, reason=reason)) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise out_of_range
    return moment.astimezone(dt.UTC)


def _attempts(value: int | str | None) -> int | None:
    import unicodedata

    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    low, high = ATTEMPTS_RANGE
    if isinstance(value, bool) or not text.isdigit() or not low <= int(text[:6]) <= high:
        raise InputError(
            msg("--attempts is a whole number from {low} to {high} (got {value})", low=low,
                high=high, value=str(value)[:20])
        )  # fmt: skip
    return int(text)


def _time_limit(value: str | dt.timedelta | None) -> int | None:
    from studyhub.timeutil import parse_duration

    if value is None:
        return None
    problem = msg("--time-limit is from 1 minute to 24 hours (e.g. 120m)")
    try:
        limit = value if isinstance(value, dt.timedelta) else parse_duration(str(value)[:40])
    except (ValueError, OverflowError):
        raise InputError(problem) from None
    if not TIME_LIMIT_RANGE[0] <= limit <= TIME_LIMIT_RANGE[1]:
        raise InputError(problem)
    return int(limit.total_seconds())


def _reason(text: str | None) -> str:
    from studyhub.values import unstorable

    reason = (text or "").strip()
    if not reason:
        raise InputError(
            msg("an override needs a reason"), hint=msg("give it with --reason, e.g. 出差")
        )
    if len(reason) > REASON_LIMIT:
        raise InputError(msg("--reason is at most {limit} characters", limit=REASON_LIMIT))
    problem = unstorable(reason)
    if problem:
        raise InputError(msg("--reason {problem}", problem=problem))
    return reason


# --- whom an override is for ----------------------------------------------------------------


def _target(session: Session, staff_no: str | None, department: str | None) -> tuple[Any, Any]:
    """(person or None, department or None): exactly one of them."""
    from studyhub.org.roster import find_department, find_staff

    given_staff = bool(staff_no and staff_no.strip())
    given_dept = bool(department and department.strip())
    if given_staff == given_dept:
        raise InputError(
            msg("give a staff number or --dept, not both"),
            hint=msg("studyhub exam override KEY NO ... (one person) or "
                     "studyhub exam override KEY --dept D ... (a department)"),
        )  # fmt: skip
    if given_staff:
        return find_staff(session, staff_no or ""), None
    return None, find_department(session, department or "")


def _existing(session: Session, exam: Exam, person: Any, dept: Any) -> ExamOverride | None:
    import sqlalchemy as sa

    from studyhub.models import ExamOverride

    column = ExamOverride.staff_id if person is not None else ExamOverride.department_id
    ident = person.id if person is not None else dept.id
    return session.scalar(
        sa.select(ExamOverride).where(ExamOverride.exam_id == exam.id, column == ident)
    )


def _covers(column: Any, override: ExamOverride) -> Any:
    """A condition on a staff id ``column``: the people an override covers (a department:
    the people now in it or its sub-departments)."""
    import sqlalchemy as sa

    from studyhub.models import Staff
    from studyhub.org.roster import department_subtree

    if override.staff_id is not None:
        return column == override.staff_id
    return column.in_(
        sa.select(Staff.id).where(
            Staff.department_id.in_(department_subtree(override.department_id))
        )
    )


def _object_key(exam: Exam, person: Any, dept: Any) -> str:
    return f"{exam.key}/{person.staff_no}" if person is not None else f"{exam.key}/dept:{dept.code}"


def _values(override: ExamOverride | None) -> dict[str, Any]:
    names = ("opens_at", "closes_at", "attempts_allowed", "time_limit_s")
    return {n: getattr(override, n) if override is not None else None for n in names}


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in values.items()}


# --- history: an override in use may only widen ---------------------------------------------


def _used(session: Session, exam: Exam, override: ExamOverride) -> int:
    """Attempts made under the override: by people it covers, outside the exam's own limits
    (started before it opens or after it closes, submitted after it closes, numbered past
    its attempts, or given more time than its time limit)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    rows = session.execute(
        sa.select(Attempt.number, Attempt.started_at, Attempt.submitted_at, Attempt.deadline)
        .where(Attempt.exam_id == exam.id, _covers(Attempt.staff_id, override))
    ).all()  # fmt: skip
    limit = dt.timedelta(seconds=exam.time_limit_s + 1) if exam.time_limit_s else None

    def outside(row: Any) -> bool:
        return bool(
            row.number > exam.attempts_allowed
            or (exam.opens_at is not None and row.started_at < exam.opens_at)
            or (exam.closes_at is not None and (
                row.started_at >= exam.closes_at
                or (row.submitted_at is not None and row.submitted_at > exam.closes_at)))
            or (limit is not None and row.deadline is not None
                and row.deadline - row.started_at > limit)
        )  # fmt: skip

    return sum(1 for row in rows if outside(row))


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def _narrows(exam: Exam, before: dict[str, Any], after: dict[str, Any] | None) -> bool:
    """Whether ``after`` (None: removed) gives anyone less than ``before`` did: a later
    opening, an earlier close, fewer attempts or a shorter time limit."""
    old = merge(exam, [_Override(before)])
    new = merge(exam, [_Override(after)] if after is not None else [])
    return (
        (new.opens or _EARLIEST) > (old.opens or _EARLIEST)
        or (new.closes or _LATEST) < (old.closes or _LATEST)
        or new.attempts_allowed < old.attempts_allowed
        or (new.time_limit or dt.timedelta.max) < (old.time_limit or dt.timedelta.max)
    )


class _Override:
    """An override's values as :func:`merge` reads them (a person's own)."""

    staff_id = 0

    def __init__(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, name, value)


def _refuse_narrowing(
    session: Session, exam: Exam, override: ExamOverride, after: dict[str, Any] | None
) -> None:
    before = _values(override)
    if not _narrows(exam, before, after):
        return
    used = _used(session, exam, override)
    if used:
        raise InputError(
            msgn("{n} attempt was made under this override: it may only be widened, so that "
                 "it keeps counting",
                 "{n} attempts were made under this override: it may only be widened, so that "
                 "they keep counting", used),
            hint=msg("give a later --closes, more --attempts or a longer --time-limit"),
        )  # fmt: skip


def _extend_open_attempts(session: Session, exam: Exam, override: ExamOverride) -> int:
    """Give attempts in progress of the people covered the later deadline their new limits
    allow (never an earlier one). Returns how many were extended."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams.limits import limits_for
    from studyhub.models import Attempt, Staff

    now = db_now(session)
    extended = 0
    for attempt in session.scalars(
        sa.select(Attempt).where(
            Attempt.exam_id == exam.id, Attempt.status == "in_progress",
            _covers(Attempt.staff_id, override),
            sa.or_(Attempt.deadline.is_(None), Attempt.deadline > now),
        )
    ):  # fmt: skip
        if attempt.deadline is None:
            continue
        person = session.get(Staff, attempt.staff_id)
        assert person is not None
        deadline = limits_for(session, exam, person, used=0).deadline(attempt.started_at)
        if deadline is None or deadline > attempt.deadline:
            attempt.deadline = deadline
            extended += 1
    return extended


# --- the commands -----------------------------------------------------------------------------


def set_override(
    database: Database,
    exam_key: str,
    staff_no: str | None = None,
    *,
    department: str | None = None,
    opens: str | dt.datetime | None = None,
    closes: str | dt.datetime | None = None,
    attempts: int | str | None = None,
    time_limit: str | dt.timedelta | None = None,
    reason: str,
    actor: str = "system",
) -> OverrideRow:
    """Give one person (``staff_no``) or a department (``department``, with its
    sub-departments) their own limits for an exam. An existing override keeps what is not
    given. Dates are Asia/Shanghai unless an offset is given; a bare ``closes`` date means
    the whole of that day."""
    from studyhub.admin.audit import record_event
    from studyhub.exams.definitions import exam_by_key
    from studyhub.models import ExamOverride

    given = {
        "opens_at": _moment(opens, "opens", end_of_day=False),
        "closes_at": _moment(closes, "closes", end_of_day=True),
        "attempts_allowed": _attempts(attempts),
        "time_limit_s": _time_limit(time_limit),
    }
    text = _reason(reason)
    if all(v is None for v in given.values()):
        raise InputError(
            msg("an override changes at least one of --opens, --closes, --attempts, "
                "--time-limit")
        )  # fmt: skip
    with database.session() as session:
        exam = exam_by_key(session, exam_key.strip())
        if exam.kind == "practice":
            raise InputError(
                msg("{exam} is a practice exam: it is open to everyone without limits",
                    exam=exam.key)
            )  # fmt: skip
        if exam.status == "closed":
            raise InputError(
                msg("exam {exam} is closed; an override cannot reopen it", exam=exam.key)
            )
        person, dept = _target(session, staff_no, department)
        override = _existing(session, exam, person, dept)
        before = _values(override)
        after = {k: given[k] if given[k] is not None else before[k] for k in before}
        opens_at = after["opens_at"] or exam.opens_at
        closes_at = after["closes_at"] or exam.closes_at
        if opens_at is not None and closes_at is not None and closes_at <= opens_at:
            raise InputError(msg("the override's window closes before it opens"))
        if override is not None:
            _refuse_narrowing(session, exam, override, after)
        else:
            override = ExamOverride(
                exam_id=exam.id, staff_id=person.id if person is not None else None,
                department_id=dept.id if dept is not None else None, reason=text,
            )  # fmt: skip
            session.add(override)
        for name, value in after.items():
            setattr(override, name, value)
        override.reason = text
        override.created_by = actor[:100]
        session.flush()
        extended = _extend_open_attempts(session, exam, override)
        record_event(
            session, actor=actor, action="exam.override", object_type="exam_override",
            object_key=_object_key(exam, person, dept),
            details={"before": _audit_values(before) if any(before.values()) else None,
                     "after": _audit_values(after), "reason": text,
                     "attempts_extended": extended},
        )  # fmt: skip
        session.flush()
        return _row(session, exam, override)


def remove_override(
    database: Database,
    exam_key: str,
    staff_no: str | None = None,
    *,
    department: str | None = None,
    reason: str | None = None,
    actor: str = "system",
) -> None:
    """Withdraw an override (NotFoundError when there is none); refused when someone has
    already made an attempt under it. ``reason`` (why it is withdrawn) goes into the audit
    trail."""
    from studyhub.admin.audit import record_event
    from studyhub.exams.definitions import exam_by_key

    why = _reason(reason) if reason and reason.strip() else None
    with database.session() as session:
        exam = exam_by_key(session, exam_key.strip())
        person, dept = _target(session, staff_no, department)
        override = _existing(session, exam, person, dept)
        if override is None:
            who = person.staff_no if person is not None else dept.code
            raise NotFoundError(
                msg("{who} has no override for exam {exam}", who=who, exam=exam.key),
                hint=msg("studyhub exam overrides {exam} lists them", exam=exam.key),
            )
        _refuse_narrowing(session, exam, override, None)
        before = _values(override)
        session.delete(override)
        record_event(
            session, actor=actor, action="exam.override_remove", object_type="exam_override",
            object_key=_object_key(exam, person, dept),
            details={"before": _audit_values(before), "reason": override.reason,
                     "removal_reason": why},
        )  # fmt: skip


def _row(session: Session, exam: Exam, override: ExamOverride) -> OverrideRow:
    from studyhub.models import Department, Staff

    person = session.get(Staff, override.staff_id) if override.staff_id else None
    dept_id = override.department_id if person is None else person.department_id
    dept = session.get(Department, dept_id) if dept_id else None
    seconds = override.time_limit_s
    return OverrideRow(
        exam.key, person.staff_no if person else None, person.name if person else None,
        dept.code if dept else None, dept.name if dept else None, override.opens_at,
        override.closes_at, override.attempts_allowed, seconds // 60 if seconds else None,
        override.reason, override.created_by, override.updated_at,
    )  # fmt: skip


def list_overrides(database: Database, exam_key: str) -> list[OverrideRow]:
    """The overrides of an exam: departments first (by code), then people (by number)."""
    import sqlalchemy as sa

    from studyhub.exams.definitions import exam_by_key
    from studyhub.models import Department, ExamOverride, Staff

    with database.session(readonly=True) as session:
        exam = exam_by_key(session, exam_key.strip())
        rows = session.scalars(
            sa.select(ExamOverride)
            .outerjoin(Staff, Staff.id == ExamOverride.staff_id)
            .outerjoin(Department, Department.id == ExamOverride.department_id)
            .where(ExamOverride.exam_id == exam.id)
            .order_by(ExamOverride.staff_id.is_not(None), Department.code, Staff.staff_no)
        ).all()
        return [_row(session, exam, row) for row in rows]
