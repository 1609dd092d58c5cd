"""The roster: departments (a tree), staff, and their dated postings.

A posting says a person belonged to a department from ``valid_from`` (inclusive) up to
``valid_to`` (exclusive); ``staff.department_id`` is the current (or, for a leaver, the last)
department. A person is in post on a day when one of their postings covers it, so "who was
in which department on 2022-11-30" stays answerable after people move or leave.
``in_post_to`` (在岗止) is the last day in post: leaving on that day closes the posting the
day after. File imports live in :mod:`studyhub.org.roster_import`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.labels import Choices
from studyhub.values import date_arg, normalise_code, reason_of

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Department, Staff, StaffPosting

__all__ = [
    "ROLE_NAMES",
    "add_department",
    "add_staff",
    "department_list",
    "department_subtree",
    "find_department",
    "find_staff",
    "leave_staff",
    "move_staff",
    "parse_role",
    "postings_on",
    "staff_in_post",
    "staff_list",
]

#: role keys and the names rosters use for them
ROLE_NAMES = {
    "employee": "employee",
    "admin": "admin",
    "reporter": "reporter",
    "职工": "employee",
    "员工": "employee",
    "干部职工": "employee",
    "一般人员": "employee",
    "管理员": "admin",
    "系统管理员": "admin",
    "报表": "reporter",
    "报表员": "reporter",
    "报告员": "reporter",
    "统计员": "reporter",
}
ONE_DAY = dt.timedelta(days=1)


def parse_role(value: Any) -> str:
    """A role key from ``employee``/``admin``/``reporter`` or their Chinese names."""
    text = str(value).strip()
    role = ROLE_NAMES.get(text.lower()) or ROLE_NAMES.get(text)
    if role is None:
        raise ValueError(
            msg(
                "unknown role {value} (expected {choices})",
                value=text,
                choices=Choices(("employee", "admin", "reporter")),
            )
        )
    return role


def check_code(code: str) -> str:
    code = code.strip()
    if not code:
        raise ValueError(msg("empty department code"))
    if any(ch.isspace() for ch in code) or len(code) > 32:
        raise ValueError(
            msg("bad department code {code!r} (no spaces, at most 32 characters)", code=code)
        )
    return code


# --- queries -------------------------------------------------------------------------------


def department_subtree(department_ids: int | Iterable[int]) -> Select[Any]:
    """The ids of the departments and every department below them (a recursive query)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    roots = [department_ids] if isinstance(department_ids, int) else list(department_ids)
    table = Department.__table__
    tree = sa.select(table.c.id).where(table.c.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union_all(sa.select(table.c.id).where(table.c.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def postings_on(day: dt.date) -> Select[Any]:
    """``(staff_id, department_id)`` of everyone in post on ``day``."""
    import sqlalchemy as sa

    from studyhub.models import StaffPosting

    return sa.select(StaffPosting.staff_id, StaffPosting.department_id).where(
        StaffPosting.valid_from <= day,
        sa.or_(StaffPosting.valid_to.is_(None), StaffPosting.valid_to > day),
    )


def staff_in_post(
    day: dt.date, department_id: int | None = None, *, include_sub: bool = True
) -> Select[Any]:
    """Staff ids in post on ``day`` (in a department, with its sub-departments by default)."""
    from studyhub.models import StaffPosting

    query = postings_on(day).with_only_columns(StaffPosting.staff_id)
    if department_id is not None:
        if include_sub:
            query = query.where(StaffPosting.department_id.in_(department_subtree(department_id)))
        else:
            query = query.where(StaffPosting.department_id == department_id)
    return query


def find_department(session: Session, text: str) -> Department:
    """A department by code, else by name (which must then be unique)."""
    import sqlalchemy as sa

    from studyhub.models import Department

    text = text.strip()
    found = session.scalar(sa.select(Department).where(Department.code == text))
    if found is not None:
        return found
    named = session.scalars(sa.select(Department).where(Department.name == text)).all()
    if len(named) > 1:
        codes = ", ".join(sorted(d.code for d in named))
        raise InputError(
            msg(
                "department name {name} is ambiguous ({codes}): give its code",
                name=text,
                codes=codes,
            )
        )
    if not named:
        raise NotFoundError(msg("no department {department}", department=text))
    return named[0]


def find_staff(session: Session, staff_no: str) -> Staff:
    import sqlalchemy as sa

    from studyhub.models import Staff

    found = session.scalar(sa.select(Staff).where(Staff.staff_no == normalise_code(staff_no)))
    if found is None:
        raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
    return found


def never_posted(session: Session, person: Staff) -> bool:
    """Whether a person has no posting at all yet (the first admin before the roster)."""
    import sqlalchemy as sa

    from studyhub.models import StaffPosting

    return (
        session.scalar(
            sa.select(StaffPosting.id).where(StaffPosting.staff_id == person.id).limit(1)
        )
        is None
    )


def open_posting(session: Session, staff_id: int) -> StaffPosting | None:
    import sqlalchemy as sa

    from studyhub.models import StaffPosting

    return session.scalar(
        sa.select(StaffPosting).where(
            StaffPosting.staff_id == staff_id, StaffPosting.valid_to.is_(None)
        )
    )


# --- departments -----------------------------------------------------------------------------


def add_department(
    database: Database, code: str, name: str, parent: str | None = None, *, actor: str = "system"
) -> str:
    """Add a department (under ``parent``, a code or name); returns its code."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Department

    try:
        code = check_code(code)
    except ValueError as err:
        raise InputError(reason_of(err)) from None
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(msg("a department needs a name of at most 100 characters"))
    with database.session() as session:
        if session.scalar(sa.select(Department.id).where(Department.code == code)) is not None:
            raise InputError(msg("department {code} already exists", code=code))
        parent_row = find_department(session, parent) if parent else None
        session.add(
            Department(code=code, name=name, parent_id=parent_row.id if parent_row else None)
        )
        record_event(
            session, actor=actor, action="department.add", object_type="department",
            object_key=code,
            details={"name": name, "parent": parent_row.code if parent_row else None},
        )  # fmt: skip
    return code


def department_list(database: Database, *, at: dt.date | str | None = None) -> list[dict[str, Any]]:
    """Every department in tree order (parents before children, siblings by code), with
    its depth and the number of staff in post in it (not counting sub-departments) on ``at``."""
    import sqlalchemy as sa

    from studyhub.models import Department

    day = date_arg(at)
    assert day is not None
    on_day = postings_on(day).subquery()
    counts = (
        sa.select(on_day.c.department_id, sa.func.count().label("n"))
        .group_by(on_day.c.department_id)
        .subquery()
    )
    parent = sa.orm.aliased(Department)
    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(
                Department.id, Department.code, Department.name, Department.parent_id,
                parent.code.label("parent"), sa.func.coalesce(counts.c.n, 0).label("staff"),
            )
            .outerjoin(parent, parent.id == Department.parent_id)
            .outerjoin(counts, counts.c.department_id == Department.id)
            .order_by(Department.code)
        ).all()  # fmt: skip
    children: dict[int | None, list[Any]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[dict[str, Any]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for row in children.get(parent_id, []):
            ordered.append(
                {"code": row.code, "name": row.name, "parent": row.parent, "depth": depth,
                 "staff": row.staff}
            )  # fmt: skip
            walk(row.id, depth + 1)

    walk(None, 0)
    return ordered


# --- staff -----------------------------------------------------------------------------------


@dataclass
class StaffRow:
    staff_no: str
    name: str
    department: str
    department_name: str
    role: str
    in_post_from: dt.date | None
    in_post_to: dt.date | None


def add_staff(
    database: Database,
    staff_no: str,
    name: str,
    department: str,
    *,
    role: str = "employee",
    in_post_from: dt.date | str | None = None,
    in_post_to: dt.date | str | None = None,
    on: dt.date | str | None = None,
    actor: str = "system",
) -> str:
    """Add a person in ``department`` (code or name). Their posting starts on
    ``in_post_from``, else on ``on`` (default today, Asia/Shanghai)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Staff, StaffPosting

    staff_no, name = normalise_code(staff_no), name.strip()
    if not staff_no or len(staff_no) > 32:
        raise InputError(msg("a staff number must have 1 to 32 characters"))
    if not name or len(name) > 100:
        raise InputError(msg("a name must have 1 to 100 characters"))
    try:
        role = parse_role(role)
    except ValueError as err:
        raise InputError(reason_of(err)) from None
    start = date_arg(in_post_from, default_today=False)
    end = date_arg(in_post_to, default_today=False)
    valid_from = start or date_arg(on)
    assert valid_from is not None
    if end is not None and end < valid_from:
        raise InputError(
            msg(
                "in post to {end} is before the posting starts ({start})", end=end, start=valid_from
            )
        )
    with database.session() as session:
        if session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no)) is not None:
            raise InputError(msg("staff member {staff_no} already exists", staff_no=staff_no))
        dept = find_department(session, department)
        person = Staff(
            staff_no=staff_no, name=name, role=role, department_id=dept.id,
            in_post_from=start, in_post_to=end,
        )  # fmt: skip
        session.add(person)
        session.flush()
        session.add(
            StaffPosting(
                staff_id=person.id, department_id=dept.id, valid_from=valid_from,
                valid_to=end + ONE_DAY if end else None,
            )
        )  # fmt: skip
        record_event(
            session, actor=actor, action="staff.add", object_type="staff", object_key=staff_no,
            details={"name": name, "department": dept.code, "role": role,
                     "from": valid_from.isoformat()},
        )  # fmt: skip
    return staff_no


def move(session: Session, person: Staff, department_id: int, on: dt.date) -> None:
    """Close the open posting the day before ``on`` and open one in ``department_id``
    (raises ValueError when that is impossible)."""
    from studyhub.models import StaffPosting

    current = open_posting(session, person.id)
    if current is None and never_posted(session, person):
        session.add(StaffPosting(staff_id=person.id, department_id=department_id, valid_from=on))
        person.department_id = department_id
        person.in_post_from = person.in_post_from or on
        return
    if current is None:
        raise ValueError(
            msg(
                "{staff_no} is not in post (left on {day})",
                staff_no=person.staff_no,
                day=person.in_post_to,
            )
        )
    if current.department_id == department_id:
        return
    if on < current.valid_from:
        raise ValueError(
            msg(
                "cannot move {staff_no} on {day}: the current posting starts {start}",
                staff_no=person.staff_no,
                day=on,
                start=current.valid_from,
            )
        )
    if on == current.valid_from:
        current.department_id = department_id
    else:
        current.valid_to = on
        session.add(StaffPosting(staff_id=person.id, department_id=department_id, valid_from=on))
    person.department_id = department_id


def leave(session: Session, person: Staff, last_day: dt.date) -> None:
    """Mark ``last_day`` as the last day in post (raises ValueError when impossible)."""
    current = open_posting(session, person.id)
    if current is None and never_posted(session, person) and person.in_post_to is None:
        person.in_post_to = last_day
        return
    if current is None:
        if person.in_post_to == last_day:
            return
        raise ValueError(
            msg(
                "{staff_no} already left on {day}",
                staff_no=person.staff_no,
                day=person.in_post_to,
            )
        )
    if last_day < current.valid_from:
        raise ValueError(
            msg(
                "cannot leave on {day}: the current posting starts {start}",
                day=last_day,
                start=current.valid_from,
            )
        )
    current.valid_to = last_day + ONE_DAY
    person.in_post_to = last_day


def move_staff(
    database: Database,
    staff_no: str,
    department: str,
    *,
    on: dt.date | str | None = None,
    actor: str = "system",
) -> tuple[str, str]:
    """Move a person to ``department`` from ``on`` (default today); returns (from, to) codes."""
    from studyhub.admin.audit import record_event
    from studyhub.models import Department

    day = date_arg(on)
    assert day is not None
    with database.session() as session:
        person = find_staff(session, staff_no)
        target = find_department(session, department)
        old = session.get(Department, person.department_id) if person.department_id else None
        if old is not None and old.id == target.id:
            raise InputError(
                msg(
                    "{staff_no} is already in {department}",
                    staff_no=person.staff_no,
                    department=target.code,
                )
            )
        try:
            move(session, person, target.id, day)
        except ValueError as err:
            raise InputError(reason_of(err)) from None
        old_code = old.code if old else ""
        record_event(
            session, actor=actor, action="staff.move", object_type="staff",
            object_key=person.staff_no,
            details={"from": old_code, "to": target.code, "on": day.isoformat()},
        )  # fmt: skip
    return old_code, target.code


def leave_staff(
    database: Database, staff_no: str, *, on: dt.date | str | None = None, actor: str = "system"
) -> dt.date:
    """Record that a person's last day in post is ``on`` (default today)."""
    from studyhub.admin.audit import record_event

    day = date_arg(on)
    assert day is not None
    from studyhub.org.admins import active_admins, keep_an_admin

    with database.session() as session:
        admins = active_admins(session)
        person = find_staff(session, staff_no)
        try:
            leave(session, person, day)
        except ValueError as err:
            raise InputError(reason_of(err)) from None
        keep_an_admin(session, admins)
        record_event(
            session, actor=actor, action="staff.leave", object_type="staff",
            object_key=person.staff_no, details={"last_day": day.isoformat()},
        )  # fmt: skip
    return day


def staff_list(
    database: Database,
    *,
    department: str | None = None,
    at: dt.date | str | None = None,
) -> list[StaffRow]:
    """The staff in post on ``at`` (default today), with the department they were in that
    day; ``department`` (code or name) keeps that department and its sub-departments."""
    import sqlalchemy as sa

    from studyhub.models import Department, Staff, StaffPosting

    day = date_arg(at)
    assert day is not None
    with database.session(readonly=True) as session:
        on_day = postings_on(day)
        if department:
            dept = find_department(session, department)
            on_day = on_day.where(StaffPosting.department_id.in_(department_subtree(dept.id)))
        posting = on_day.subquery()
        rows = session.execute(
            sa.select(
                Staff.staff_no, Staff.name, Department.code, Department.name, Staff.role,
                Staff.in_post_from, Staff.in_post_to,
            )
            .join(posting, posting.c.staff_id == Staff.id)
            .join(Department, Department.id == posting.c.department_id)
            .order_by(Department.code, Staff.staff_no)
        ).all()  # fmt: skip
    return [StaffRow(*row) for row in rows]
