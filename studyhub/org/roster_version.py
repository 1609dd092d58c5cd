"""The roster's version: one number raised in the transaction of every change to what decides
an exam's scope (who is in post, in which department, the department tree, an exam's
audience). The scopes the reports keep (studyhub.reports.kept_scope) are valid while the
version they were worked out at is the current one. An exemption (免考) granted or withdrawn
is written into the kept scopes of its exam in the same transaction instead.

Each raise is logged in ``roster_changes`` with whom it is about (one person, everyone of
one exam, or everyone), so that a kept scope of an older version is brought up to date by
working out only those people again (:func:`studyhub.reports.kept_scope.keep_scope`): a
province's daily roster changes no longer cost every exam's scope a full rebuild."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["EVERYONE", "bump_roster_version", "roster_version", "watch_roster"]

#: the staff fields an exam's scope reads (the name and number are read live)
_STAFF_FIELDS = ("department_id", "in_post_from", "in_post_to", "staff_no")
_DEPARTMENT_FIELDS = ("parent_id",)
_BUMPED = "studyhub.roster_bumped"  # the version this transaction raised the roster to
_LOGGED = "studyhub.roster_logged"  # whom this transaction's changes were about

#: a change about everyone (the department tree); ("staff", id) and ("exam", id) name one
#: person or everyone counted for one exam
EVERYONE: tuple[str, int | None] = ("all", None)
#: a transaction about more people than this is logged as a change about everyone: working
#: whole scopes out again is then about as quick as one person at a time
MAX_LISTED = 5000

Key = tuple[str, "int | None"]


def roster_version(session: Session) -> int:
    """The current version (0 on a database without the row)."""
    import sqlalchemy as sa

    from studyhub.models import RosterVersion

    found = session.scalar(sa.select(RosterVersion.version).where(RosterVersion.id == 1))
    return int(found or 0)


def bump_roster_version(session: Session, keys: Iterable[Key] = (EVERYONE,)) -> int:
    """Raise the version in the caller's transaction (once per transaction: the kept scopes
    compare it when they are read, after the commit) and log whom the change is about
    (``keys``; by default everyone). Returns the version."""
    import sqlalchemy as sa

    from studyhub.models import RosterVersion

    version = session.info.get(_BUMPED)
    if version is None:
        done = session.execute(
            sa.update(RosterVersion)
            .where(RosterVersion.id == 1)
            .values(version=RosterVersion.version + 1)
        )
        if getattr(done, "rowcount", 1) == 0:
            session.execute(sa.insert(RosterVersion).values(id=1, version=2))
        version = roster_version(session)
        session.info[_BUMPED] = version
    _log(session, version, set(keys))
    return int(version)


def _log(session: Session, version: int, keys: set[Key]) -> None:
    import sqlalchemy as sa

    from studyhub.models import RosterChange

    logged: set[Key] = session.info.setdefault(_LOGGED, set())
    if EVERYONE in logged:
        return  # everyone's scope is worked out again already
    new = keys - logged
    if not new:
        return
    people = sum(1 for kind, _ in logged | new if kind == "staff")
    if EVERYONE in new or people > MAX_LISTED:
        new = {EVERYONE}
    rows = [{"version": version, "staff_id": ident if kind == "staff" else None,
             "exam_id": ident if kind == "exam" else None} for kind, ident in sorted(
                 new, key=lambda key: (key[0], key[1] or 0))]  # fmt: skip
    session.execute(sa.insert(RosterChange.__table__), rows)
    logged.update(new)


def watch_roster(maker: Any) -> None:
    """Raise the version whenever a flush of a session of ``maker`` adds, deletes or changes
    a posting, a department's place in the tree, an exam's audience, or a person's
    department, dates in post or number (logging whom each is about); mark exemptions in
    the kept scopes."""
    from sqlalchemy import event

    event.listen(maker, "after_flush", _after_flush)
    event.listen(maker, "after_commit", _forget)
    event.listen(maker, "after_soft_rollback", _forget)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_BUMPED, None)
    session.info.pop(_LOGGED, None)


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    import sqlalchemy as sa

    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _values(obj: Any, name: str) -> set[int]:
    """The values ``obj``'s ``name`` had before and has after this flush."""
    import sqlalchemy as sa

    state = sa.inspect(obj)
    history = state.attrs[name].history
    found = {*history.added, *history.unchanged, *history.deleted, state.dict.get(name)}
    return {int(value) for value in found if value is not None}


def _exemptions(session: Session) -> set[Key]:
    """Mark the exemptions added and withdrawn in this flush in the kept scopes; the people
    of one moved to another exam or person are worked out again."""
    from studyhub.models import Exemption

    changed = [obj for obj in (*session.new, *session.deleted, *session.dirty)
               if isinstance(obj, Exemption)]  # fmt: skip
    keys: set[Key] = set()
    if not changed:
        return keys  # most flushes (a quiz's): the kept tables' module is not even loaded
    import sqlalchemy as sa

    from studyhub.models import KeptScopePerson

    kept = KeptScopePerson.__table__
    for obj in changed:
        if obj in session.dirty:
            if _changed(obj, ("exam_id", "staff_id")):
                keys.update(("staff", ident) for ident in _values(obj, "staff_id"))
            continue
        session.execute(
            sa.update(kept)
            .where(kept.c.exam_id == obj.exam_id, kept.c.staff_id == obj.staff_id)
            .values(exempt=0 if obj in session.deleted else 1)
        )
    return keys


def _after_flush(session: Session, _context: Any) -> None:
    from studyhub.models import Department, ExamAudience, Staff, StaffPosting

    keys = _exemptions(session)
    if EVERYONE in session.info.get(_LOGGED, ()):
        return  # logged as about everyone already: a large import need not be looked at
    for obj in (*session.new, *session.deleted, *session.dirty):
        if len(keys) > MAX_LISTED:
            keys.add(EVERYONE)
            break
        changed = obj in session.new or obj in session.deleted
        if isinstance(obj, StaffPosting):
            keys.update(("staff", ident) for ident in _values(obj, "staff_id"))
        elif isinstance(obj, ExamAudience):
            keys.update(("exam", ident) for ident in _values(obj, "exam_id"))
        elif isinstance(obj, Staff):
            if changed or _changed(obj, _STAFF_FIELDS):
                keys.add(("staff", obj.id))
        elif isinstance(obj, Department):
            if obj in session.new:
                continue  # nobody is in it yet: whoever is moved in is logged then
            if changed or _changed(obj, _DEPARTMENT_FIELDS):
                keys.add(EVERYONE)
    if keys:
        bump_roster_version(session, keys)
