"""Exemptions (免考): people excused from an exam, and so out of its denominator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.org.lookups import staff_ids_by_number
from studyhub.org.roster import find_staff
from studyhub.tabular import Column, read_rows
from studyhub.values import CellReader, date_arg, parse_date

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam

__all__ = [
    "ExemptionImportSummary",
    "ExemptionRow",
    "add_exemption",
    "exempt_staff_ids",
    "exemption_list",
    "find_exam",
    "import_exemptions",
    "is_exempt",
    "remove_exemption",
]

EXEMPTION_COLUMNS = [
    Column("staff_no", ("工号", "staff_no"), required=True),
    Column("exam", ("考试", "exam", "考试编号"), required=True),
    Column("reason", ("原因", "reason", "免考原因"), required=True),
    Column("approved_by", ("批准人", "approved_by")),
    Column("approved_on", ("批准日期", "approved_on")),
    Column("name", ("姓名", "name")),
]


def exempt_staff_ids(exam_id: int) -> Select[Any]:
    """The ids of the staff exempt from an exam (for IN / NOT IN in rate queries)."""
    import sqlalchemy as sa

    from studyhub.models import Exemption

    return sa.select(Exemption.staff_id).where(Exemption.exam_id == exam_id)


def is_exempt(session: Session, exam_id: int, staff_id: int) -> bool:
    """Whether a person is exempt from an exam."""
    import sqlalchemy as sa

    from studyhub.models import Exemption

    query = exempt_staff_ids(exam_id).where(Exemption.staff_id == staff_id)
    return bool(session.scalar(sa.select(query.exists())))


def find_exam(session: Session, key: str) -> Exam:
    import sqlalchemy as sa

    from studyhub.models import Exam

    exam = session.scalar(sa.select(Exam).where(Exam.key == key.strip()))
    if exam is None:
        raise NotFoundError(msg("no exam {exam}", exam=key))
    return exam


def _check_text(reason: str, approved_by: str) -> tuple[str, str]:
    reason, approved_by = reason.strip(), approved_by.strip()
    if not reason:
        raise InputError(msg("an exemption needs a reason"))
    if len(approved_by) > 100:
        raise InputError(msg("approved by: at most 100 characters"))
    return reason, approved_by


def add_exemption(
    database: Database,
    staff_no: str,
    exam: str,
    *,
    reason: str,
    approved_by: str = "",
    approved_on: dt.date | str | None = None,
    actor: str = "system",
) -> None:
    """Exempt a person from exam ``exam`` (its key); approved on ``approved_on`` (default
    today). Refused when they are exempt already."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Exemption

    reason, approved_by = _check_text(reason, approved_by)
    day = date_arg(approved_on)
    with database.session() as session:
        person = find_staff(session, staff_no)
        exam_row = find_exam(session, exam)
        if session.scalar(
            sa.select(Exemption.id).where(
                Exemption.exam_id == exam_row.id, Exemption.staff_id == person.id
            )
        ):
            raise InputError(
                msg(
                    "{staff_no} is already exempt from {exam}",
                    staff_no=person.staff_no,
                    exam=exam_row.key,
                )
            )
        session.add(
            Exemption(
                exam_id=exam_row.id, staff_id=person.id, reason=reason,
                approved_by=approved_by, approved_on=day,
            )
        )  # fmt: skip
        record_event(
            session, actor=actor, action="exemption.add", object_type="exemption",
            object_key=f"{exam_row.key}/{person.staff_no}",
            details={"reason": reason, "approved_by": approved_by,
                     "approved_on": day.isoformat() if day else None},
        )  # fmt: skip


def remove_exemption(
    database: Database, staff_no: str, exam: str, *, actor: str = "system"
) -> None:
    """Withdraw a person's exemption from an exam (NotFoundError when there is none)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Exemption

    with database.session() as session:
        person = find_staff(session, staff_no)
        exam_row = find_exam(session, exam)
        found = session.scalar(
            sa.select(Exemption).where(
                Exemption.exam_id == exam_row.id, Exemption.staff_id == person.id
            )
        )
        if found is None:
            raise NotFoundError(
                msg(
                    "{staff_no} is not exempt from {exam}",
                    staff_no=person.staff_no,
                    exam=exam_row.key,
                )
            )
        details = {"reason": found.reason, "approved_by": found.approved_by}
        session.delete(found)
        record_event(
            session, actor=actor, action="exemption.remove", object_type="exemption",
            object_key=f"{exam_row.key}/{person.staff_no}", details=details,
        )  # fmt: skip


@dataclass
class ExemptionRow:
    exam: str
    staff_no: str
    name: str
    department: str
    reason: str
    approved_by: str
    approved_on: dt.date | None


def exemption_list(database: Database, *, exam: str | None = None) -> list[ExemptionRow]:
    """Every exemption (of one exam), by exam and staff number."""
    import sqlalchemy as sa

    from studyhub.models import Department, Exam, Exemption, Staff

    with database.session(readonly=True) as session:
        query = (
            sa.select(
                Exam.key, Staff.staff_no, Staff.name, sa.func.coalesce(Department.code, ""),
                Exemption.reason, Exemption.approved_by, Exemption.approved_on,
            )
            .join(Exam, Exam.id == Exemption.exam_id)
            .join(Staff, Staff.id == Exemption.staff_id)
            .outerjoin(Department, Department.id == Staff.department_id)
            .order_by(Exam.key, Staff.staff_no)
        )  # fmt: skip
        if exam is not None:
            query = query.where(Exemption.exam_id == find_exam(session, exam).id)
        return [ExemptionRow(*row) for row in session.execute(query)]


@dataclass
class ExemptionImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def import_exemptions(
    database: Database, path: str | Path, *, actor: str = "system"
) -> ExemptionImportSummary:
    """Add (or update) the exemptions of a file (工号, 考试, 原因, 批准人, 批准日期)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Exam, Exemption

    reader = CellReader()
    summary = ExemptionImportSummary()
    with database.session() as session:
        rows = []
        seen: dict[tuple[str, str], int] = {}
        for row in read_rows(path, EXEMPTION_COLUMNS):
            before = len(reader.errors)
            staff_no = reader.get(row, "staff_no", required=True)
            exam = reader.get(row, "exam", required=True)
            reason = reader.get(row, "reason", required=True)
            approved_by = reader.get(row, "approved_by") or ""
            approved_on = reader.get(row, "approved_on", parse_date)
            if len(approved_by) > 100:
                reader.fail(row, "approved_by", msg("longer than 100 characters"))
            if staff_no and exam:
                key = (staff_no, exam)
                if key in seen:
                    reader.fail(
                        row,
                        None,
                        msg(
                            "duplicate row: {staff_no} {exam} (also row {row})",
                            staff_no=staff_no,
                            exam=exam,
                            row=seen[key],
                        ),
                    )
                else:
                    seen[key] = row.number
            if len(reader.errors) == before:
                rows.append((row, staff_no, exam, reason, approved_by, approved_on))
        numbers = {r[1] for r in rows}
        keys = {r[2] for r in rows}
        staff_ids = staff_ids_by_number(session, numbers)
        exam_query = sa.select(Exam.key, Exam.id).where(Exam.key.in_(keys))
        exam_ids = dict(session.execute(exam_query).all()) if keys else {}
        for row, staff_no, exam, *_ in rows:
            if staff_no not in staff_ids:
                reader.fail(row, "staff_no", msg("no staff member {staff_no}", staff_no=staff_no))
            if exam not in exam_ids:
                reader.fail(row, "exam", msg("no exam {exam}", exam=exam))
        reader.raise_if_any(msg("exemption import"))
        existing = {
            (e.exam_id, e.staff_id): e
            for e in session.scalars(
                sa.select(Exemption).where(Exemption.exam_id.in_(list(exam_ids.values())))
            )
        } if exam_ids else {}  # fmt: skip
        for _, staff_no, exam, reason, approved_by, approved_on in rows:
            key = (exam_ids[exam], staff_ids[staff_no])
            found = existing.get(key)
            if found is None:
                session.add(
                    Exemption(
                        exam_id=key[0], staff_id=key[1], reason=reason,
                        approved_by=approved_by, approved_on=approved_on,
                    )
                )  # fmt: skip
                summary.added += 1
            elif (found.reason, found.approved_by, found.approved_on) == (
                reason, approved_by, approved_on,
            ):  # fmt: skip
                summary.unchanged += 1
            else:
                found.reason, found.approved_by, found.approved_on = (
                    reason, approved_by, approved_on,
                )  # fmt: skip
                summary.updated += 1
        record_event(
            session, actor=actor, action="exemption.import", object_type="file",
            object_key=Path(path).name[:128],
            details={"added": summary.added, "updated": summary.updated},
        )  # fmt: skip
    return summary
