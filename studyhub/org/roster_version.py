"""The roster's version: one number raised in the transaction of every change to what decides
an exam's scope (who is in post, in which department, the department tree, an exam's
audience). The scopes the reports keep (studyhub.reports.kept_scope) are valid while the
version they were worked out at is the current one. An exemption (免考) granted or withdrawn
is written into the kept scopes of its exam in the same transaction instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["bump_roster_version", "roster_version", "watch_roster"]

#: the staff fields an exam's scope reads (the name and number are read live)
_STAFF_FIELDS = ("department_id", "in_post_from", "in_post_to", "staff_no")
_DEPARTMENT_FIELDS = ("parent_id",)
_BUMPED = "studyhub.roster_bumped"


def roster_version(session: Session) -> int:
    """The current version (0 on a database without the row)."""
    import sqlalchemy as sa

    from studyhub.models import RosterVersion

    found = session.scalar(sa.select(RosterVersion.version).where(RosterVersion.id == 1))
    return int(found or 0)


def bump_roster_version(session: Session) -> None:
    """Raise the version in the caller's transaction (once per transaction is enough: the
    kept scopes compare it when they are read, after the commit)."""
    import sqlalchemy as sa

    from studyhub.models import RosterVersion

    if session.info.get(_BUMPED):
        return
    done = session.execute(
        sa.update(RosterVersion)
        .where(RosterVersion.id == 1)
        .values(version=RosterVersion.version + 1)
    )
    if getattr(done, "rowcount", 1) == 0:
        session.execute(sa.insert(RosterVersion).values(id=1, version=2))
    session.info[_BUMPED] = True


def watch_roster(maker: Any) -> None:
    """Raise the version whenever a flush of a session of ``maker`` adds, deletes or changes
    a posting, a department's place in the tree, an exam's audience, or a person's
    department, dates in post or number; mark exemptions in the kept scopes."""
    from sqlalchemy import event

    event.listen(maker, "after_flush", _after_flush)
    event.listen(maker, "after_commit", _forget)
    event.listen(maker, "after_soft_rollback", _forget)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_BUMPED, None)


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    import sqlalchemy as sa

    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _exemptions(session: Session) -> bool:
    """Mark the exemptions added and withdrawn in this flush in the kept scopes; True when
    one moved to another exam or person (the kept scopes are then worked out again)."""
    import sqlalchemy as sa

    from studyhub.models import Exemption, KeptScopePerson

    kept = KeptScopePerson.__table__
    for obj in (*session.new, *session.deleted, *session.dirty):
        if not isinstance(obj, Exemption):
            continue
        if obj in session.dirty:
            if _changed(obj, ("exam_id", "staff_id")):
                return True
            continue
        session.execute(
            sa.update(kept)
            .where(kept.c.exam_id == obj.exam_id, kept.c.staff_id == obj.staff_id)
            .values(exempt=0 if obj in session.deleted else 1)
        )
    return False


def _after_flush(session: Session, _context: Any) -> None:
    from studyhub.models import Department, ExamAudience, Staff, StaffPosting

    if _exemptions(session):
        bump_roster_version(session)
    if session.info.get(_BUMPED):
        return
    for obj in (*session.new, *session.deleted, *session.dirty):
        changed = obj in session.new or obj in session.deleted
        if isinstance(obj, (StaffPosting, ExamAudience)):
            pass
        elif isinstance(obj, Staff):
            if not changed and not _changed(obj, _STAFF_FIELDS):
                continue
        elif isinstance(obj, Department):
            if not changed and not _changed(obj, _DEPARTMENT_FIELDS):
                continue
        else:
            continue
        bump_roster_version(session)
        return
