"""Importing departments and staff rosters from CSV/XLSX: validated first, all or nothing.

A re-import updates what changed and never duplicates: departments are matched by code,
people by staff number. A department change in a roster is a move dated by the import's
``on`` date; a person in post who is missing from a new roster is reported, not deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.admin.firstrun import DEMO_STAFF_NO, retire_demo
from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import Message, msg
from studyhub.org.admins import active_admins, keep_an_admin
from studyhub.org.lookups import staff_by_number
from studyhub.org.roster import (
    ONE_DAY,
    check_code,
    find_department,
    leave,
    move,
    never_posted,
    open_posting,
)
from studyhub.org.roster import parse_role as _parse_role
from studyhub.tabular import Column, ReadThenWrite, read_rows
from studyhub.values import CellReader, date_arg, parse_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.tabular import Row

__all__ = ["DepartmentImportSummary", "RosterSummary", "import_departments", "import_staff"]

DEPARTMENT_COLUMNS = [
    Column("code", ("部门编码", "code", "编码", "department_code"), required=True),
    Column("name", ("部门名称", "name", "名称", "department_name"), required=True),
    Column("parent", ("上级部门", "parent", "上级部门编码", "parent_code")),
]
STAFF_COLUMNS = [
    Column("staff_no", ("工号", "staff_no", "职工编号", "人员编号"), required=True),
    Column("name", ("姓名", "name"), required=True),
    Column("department", ("部门", "department", "所在部门", "部门编码")),
    Column("role", ("角色", "role")),
    Column("in_post_from", ("在岗起", "in_post_from", "入职日期")),
    Column("in_post_to", ("在岗止", "in_post_to", "离岗日期")),
]


@dataclass
class DepartmentImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RosterSummary:
    """What a roster import did; ``missing`` lists people in post who are not in the file."""

    added: int = 0
    updated: int = 0
    moved: int = 0
    left: int = 0
    unchanged: int = 0
    missing: list[tuple[str, str, str]] = field(default_factory=list)


def _parse_code(value: Any) -> str:
    return check_code(str(value))


def import_departments(
    database: Database, path: str | Path, *, actor: str = "system"
) -> DepartmentImportSummary:
    """Add or update the departments of a file (部门编码, 部门名称, 上级部门)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Department

    reader = CellReader()
    wanted: dict[str, tuple[Row, str, str | None]] = {}
    for row in read_rows(path, DEPARTMENT_COLUMNS):
        code = reader.get(row, "code", _parse_code, required=True)
        name = reader.get(row, "name", required=True)
        parent = reader.get(row, "parent", _parse_code)
        if name is not None and len(name) > 100:
            reader.fail(row, "name", msg("name longer than 100 characters"))
        if code is None:
            continue
        if code in wanted:
            reader.fail(
                row,
                "code",
                msg(
                    "duplicate department {code} (also row {row})",
                    code=code,
                    row=wanted[code][0].number,
                ),
            )
            continue
        wanted[code] = (row, name or "", parent)
    summary = DepartmentImportSummary()
    with database.session() as session:
        existing = {d.code: d for d in session.scalars(sa.select(Department))}
        by_id = {d.id: d.code for d in existing.values()}
        parents = {code: by_id.get(d.parent_id) for code, d in existing.items()}  # type: ignore[arg-type]
        for code, (row, _, parent) in wanted.items():
            if parent is not None and parent not in wanted and parent not in existing:
                reader.fail(row, "parent", msg("unknown department {code}", code=parent))
            parents[code] = parent
        for code, (row, _, _) in wanted.items():
            seen, node = {code}, parents.get(code)
            while node is not None:
                if node in seen:
                    reader.fail(
                        row, "parent", msg("department {code} would be inside itself", code=code)
                    )
                    break
                seen.add(node)
                node = parents.get(node)
        reader.raise_if_any(msg("department import"))
        new = [code for code in wanted if code not in existing]
        for code in new:
            existing[code] = Department(code=code, name=wanted[code][1])
            session.add(existing[code])
        summary.added = len(new)
        session.flush()
        for code, (_, name, parent) in wanted.items():
            dept = existing[code]
            parent_id = existing[parent].id if parent else None
            if code not in new:
                if (dept.name, dept.parent_id) == (name, parent_id):
                    summary.unchanged += 1
                    continue
                summary.updated += 1
            dept.name, dept.parent_id = name, parent_id
        record_event(
            session, actor=actor, action="department.import", object_type="file",
            object_key=Path(path).name[:128],
            details={"added": summary.added, "updated": summary.updated},
        )  # fmt: skip
    return summary


@dataclass
class _StaffLine:
    row: Row
    staff_no: str
    name: str
    department_id: int | None
    role: str | None
    start: dt.date | None
    end: dt.date | None


def _read_roster(
    session: Session,
    path: str | Path,
    reader: CellReader,
    progress: Callable[[int, int], None] | None = None,
) -> list[_StaffLine]:
    lines: list[_StaffLine] = []
    seen: dict[str, int] = {}
    departments: dict[str, int | None] = {}
    for row in read_rows(path, STAFF_COLUMNS, progress=progress):
        before = len(reader.errors)
        staff_no = reader.get(row, "staff_no", required=True)
        name = reader.get(row, "name", required=True)
        dept_text = reader.get(row, "department")
        role = reader.get(row, "role", _parse_role)
        start = reader.get(row, "in_post_from", parse_date)
        end = reader.get(row, "in_post_to", parse_date)
        if staff_no is not None and len(staff_no) > 32:
            reader.fail(row, "staff_no", msg("staff number longer than 32 characters"))
        if name is not None and len(name) > 100:
            reader.fail(row, "name", msg("name longer than 100 characters"))
        if start and end and end < start:
            reader.fail(
                row, "in_post_to", msg("{end} is before in post from {start}", end=end, start=start)
            )
        department_id = None
        if dept_text is not None:
            if dept_text not in departments:
                try:
                    departments[dept_text] = find_department(session, dept_text).id
                except (NotFoundError, InputError) as err:
                    departments[dept_text] = None
                    reader.fail(row, "department", err.message_text)
                    continue
            department_id = departments[dept_text]
            if department_id is None:
                reader.fail(
                    row, "department", msg("no department {department}", department=dept_text)
                )
        if staff_no is not None:
            if staff_no in seen:
                reader.fail(
                    row,
                    "staff_no",
                    msg(
                        "duplicate staff number {staff_no} (also row {row})",
                        staff_no=staff_no,
                        row=seen[staff_no],
                    ),
                )
                continue
            seen[staff_no] = row.number
        if len(reader.errors) == before:
            lines.append(_StaffLine(row, staff_no, name, department_id, role, start, end))
    return lines


def import_staff(
    database: Database,
    path: str | Path,
    *,
    on: dt.date | str | None = None,
    actor: str = "system",
    progress: Callable[[int, int], None] | None = None,
) -> RosterSummary:
    """Add or update the people of a roster file, matched by staff number.

    A department change is a move on ``on`` (default today, Asia/Shanghai); 在岗止 is the last
    day in post. People in post on ``on`` who are not in the file are listed in
    ``missing`` and left as they are.
    """
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Department, Staff, StaffPosting

    day = date_arg(on)
    assert day is not None
    reader = CellReader()
    summary = RosterSummary()
    moved: list[str] = []
    left: list[str] = []
    with database.session() as session:
        admins = active_admins(session)
        phases = ReadThenWrite(progress)
        lines = _read_roster(session, path, reader, phases.reading)
        if any(line.staff_no != DEMO_STAFF_NO for line in lines):
            retire_demo(session, actor=actor)
        people = staff_by_number(session, (ln.staff_no for ln in lines))
        plans: list[tuple[_StaffLine, Staff | None]] = []
        for line in lines:
            person = people.get(line.staff_no)
            plans.append((line, person))
            if person is None:
                if line.department_id is None:
                    reader.fail(
                        line.row, "department", msg("missing value (needed for a new person)")
                    )
                    continue
                start = line.start or day
                if line.end is not None and line.end < start:
                    reader.fail(line.row, "in_post_to", _before_start(line.end, start))
                continue
            last_day = line.end if line.end is not None else person.in_post_to
            if line.start is not None and last_day is not None and line.start > last_day:
                reader.fail(
                    line.row, "in_post_from",
                    msg("{start} is after {staff_no}'s last day in post ({day})",
                        start=line.start, staff_no=person.staff_no, day=last_day),
                )  # fmt: skip
                continue
            current = open_posting(session, person.id)
            if current is None:
                continue
            if line.department_id not in (None, current.department_id) and (
                line.end is None or line.end >= day
            ) and day < current.valid_from:  # fmt: skip
                reader.fail(
                    line.row, "department",
                    msg("cannot move {staff_no} on {day}: the current posting starts {start} "
                        "(use --on)", staff_no=person.staff_no, day=day, start=current.valid_from),
                )  # fmt: skip
            if line.end is not None and line.end < current.valid_from:
                reader.fail(
                    line.row, "in_post_to",
                    msg("{end} is before the current posting starts ({start})",
                        end=line.end, start=current.valid_from),
                )  # fmt: skip
        reader.raise_if_any(msg("roster import"))
        for done, (line, person) in enumerate(plans, 1):
            phases.written(done, len(plans))
            if person is None:
                start = line.start or day
                person = Staff(
                    staff_no=line.staff_no, name=line.name, role=line.role or "employee",
                    department_id=line.department_id, in_post_from=line.start,
                    in_post_to=line.end,
                )  # fmt: skip
                session.add(person)
                session.flush()
                session.add(
                    StaffPosting(
                        staff_id=person.id, department_id=line.department_id, valid_from=start,
                        valid_to=line.end + ONE_DAY if line.end else None,
                    )
                )  # fmt: skip
                summary.added += 1
                continue
            changed = _update_person(session, person, line)
            if line.department_id is not None and never_posted(session, person):
                # the first admin (or anyone made before the roster) is posted as the file says
                start = line.start or day
                if line.end is not None and line.end < start:
                    reader.fail(line.row, "in_post_to", _before_start(line.end, start))
                    reader.raise_if_any(msg("roster import"))
                session.add(
                    StaffPosting(
                        staff_id=person.id, department_id=line.department_id, valid_from=start,
                        valid_to=line.end + ONE_DAY if line.end else None,
                    )
                )  # fmt: skip
                person.department_id = line.department_id
                person.in_post_from = person.in_post_from or start
                person.in_post_to = line.end
                summary.updated += 1
                continue
            current = open_posting(session, person.id)
            if (
                current is not None
                and line.department_id not in (None, current.department_id)
                and (line.end is None or line.end >= day)
            ):
                move(session, person, line.department_id, day)  # type: ignore[arg-type]
                moved.append(person.staff_no)
            if line.end is not None and person.in_post_to != line.end and current is not None:
                leave(session, person, line.end)
                left.append(person.staff_no)
            if person.staff_no in moved or person.staff_no in left:
                changed = True
            summary.updated += changed
            summary.unchanged += not changed
        summary.moved, summary.left = len(moved), len(left)
        keep_an_admin(session, admins)
        session.flush()
        listed = {line.staff_no for line in lines}
        on_day = (
            sa.select(StaffPosting.staff_id, StaffPosting.department_id)
            .where(
                StaffPosting.valid_from <= day,
                sa.or_(StaffPosting.valid_to.is_(None), StaffPosting.valid_to > day),
            )
            .subquery()
        )
        summary.missing = [  # the file's numbers are compared here: any number of them
            (row.staff_no, row.name, row.code)
            for row in session.execute(
                sa.select(Staff.staff_no, Staff.name, Department.code)
                .join(on_day, on_day.c.staff_id == Staff.id)
                .join(Department, Department.id == on_day.c.department_id)
                .order_by(Staff.staff_no)
                .execution_options(yield_per=5000)
            )
            if row.staff_no not in listed
        ]
        record_event(
            session, actor=actor, action="staff.import", object_type="file",
            object_key=Path(path).name[:128],
            details={"on": day.isoformat(), "added": summary.added, "updated": summary.updated,
                     "moved": moved, "left": left,
                     "missing": [no for no, _, _ in summary.missing]},
        )  # fmt: skip
    return summary


def _before_start(end: dt.date, start: dt.date) -> Message:
    return msg("{end} is before the posting starts ({start}); give 在岗起", end=end, start=start)


def _update_person(session: Session, person: Any, line: _StaffLine) -> bool:
    """Apply name, role and in-post-from changes; True when anything changed."""
    import sqlalchemy as sa

    from studyhub.models import StaffPosting

    changed = False
    if person.name != line.name:
        person.name, changed = line.name, True
    if line.role is not None and person.role != line.role:
        person.role, changed = line.role, True
    if line.start is not None and person.in_post_from != line.start:
        first = session.scalar(
            sa.select(StaffPosting)
            .where(StaffPosting.staff_id == person.id)
            .order_by(StaffPosting.valid_from)
            .limit(1)
        )
        if first is not None and (first.valid_to is None or line.start < first.valid_to):
            first.valid_from = line.start
        person.in_post_from, changed = line.start, True
    return changed
