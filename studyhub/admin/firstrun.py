"""First use on a fresh database: load the shipped banks, and offer a demo staff member so
that ``studyhub practice`` works straight after installing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.banks.importer import ImportSummary
    from studyhub.db import Database

__all__ = ["DEMO_NAME", "DEMO_STAFF_NO", "ensure_banks", "ensure_demo_staff", "retire_demo"]

DEMO_STAFF_NO = "demo"
DEMO_NAME = "演示用户"


def _count(database: Database, model: object) -> int:
    import sqlalchemy as sa

    with database.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def ensure_banks(database: Database, *, actor: str = "system") -> ImportSummary | None:
    """Import the shipped question banks when the database has no question at all."""
    from studyhub.banks import shipped_bank_files
    from studyhub.banks.importer import import_files
    from studyhub.models import Question

    if _count(database, Question):
        return None
    return import_files(database, shipped_bank_files(), actor=actor)


def ensure_demo_staff(database: Database, agree: Callable[[], bool]) -> str | None:
    """When the roster is empty and the user agrees, create a demo employee to practise as;
    returns the staff number (None when there is a roster or the user declined)."""
    from studyhub.admin.audit import record_event
    from studyhub.models import Staff

    if _count(database, Staff):
        return None
    if not agree():
        return None
    with database.session() as session:
        session.add(Staff(staff_no=DEMO_STAFF_NO, name=DEMO_NAME, role="employee"))
        record_event(session, actor="system", action="staff.demo", object_type="staff",
                     object_key=DEMO_STAFF_NO)  # fmt: skip
    return DEMO_STAFF_NO


def retire_demo(session: Session, *, actor: str = "system") -> bool:
    """Remove the demo person with their practice history (inside the caller's unit of
    work), once a real roster or admin arrives; True when there was one. A demo person who
    sat an exam in setup mode is kept (history never changes) but never counts in rates."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import (
        Attempt,
        Attendance,
        AuditEvent,
        AuthSession,
        BookEntry,
        PracticeAnswer,
        Staff,
    )

    demo = session.scalar(sa.select(Staff).where(Staff.staff_no == DEMO_STAFF_NO))
    if demo is None:
        return False
    for model in (PracticeAnswer, BookEntry, AuthSession):
        session.execute(sa.delete(model).where(model.staff_id == demo.id))
    kept = any(
        session.scalar(sa.select(sa.func.count()).select_from(model).where(column == demo.id))
        for model, column in (
            (Attempt, Attempt.staff_id),
            (Attendance, Attendance.staff_id),
            (AuditEvent, AuditEvent.actor_id),
        )
    )
    if not kept:
        session.delete(demo)
    record_event(session, actor=actor, action="staff.demo_retired", object_type="staff",
                 object_key=DEMO_STAFF_NO, details={"kept": kept})  # fmt: skip
    return True
