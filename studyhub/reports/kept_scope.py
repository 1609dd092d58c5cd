"""Per exam and close day, the people counted and where they were, kept so that the reports
of a province (a million staff) read one row per person instead of working each person's
department on the close day out of the roster's history on every report.

A kept scope is a cache: the rows of :func:`~studyhub.reports.per_person.scope_people` for
one exam and close day, with the roster's version they were worked out at
(:mod:`studyhub.org.roster_version`). Any change to who is in post, the postings, the
department tree or an exam's audience raises the version and logs whom it is about, and
the kept scopes of older versions are no longer read as they are. The reports keep a scope
the first time they count an exam on a close day (:func:`keep_scopes`, a short transaction
of its own before the report reads), and read it while it is current
(:func:`~studyhub.reports.scope.is_kept`); a scope of an older version is brought up to date
by working out only the people named since (a change about everyone works it out whole).
Counting as of an earlier day is always worked out afresh. ``db check`` compares every
current kept scope with a recomputation (:func:`scope_mismatches`), and ``db check
--repair`` drops them all (:func:`drop_kept`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.reports.scope import ExamScope

__all__ = ["drop_kept", "keep_scope", "keep_scopes", "scope_mismatches"]

log = logging.getLogger(__name__)

#: how long a logged roster change is kept after no kept scope needs it (far longer than
#: any report's keeping of a scope takes)
LOG_KEPT_FOR = dt.timedelta(hours=1)
#: PostgreSQL advisory lock keys of the scope builds (plus the exam id): one build at a time
_LOCK_BASE = 0x5C0E_0000


def keep_scope(session: Session, scope: ExamScope) -> bool:
    """Keep the scope of ``scope``'s exam and close day, in the caller's transaction: bring
    the one kept at an older roster version up to date when the changes since name their
    people, else work it out whole. The exam's scopes of other days than this one and the
    exam's own close day go. False when it was current already (another report kept it
    meanwhile)."""
    import sqlalchemy as sa

    from studyhub.models import KeptScope, KeptScopePerson
    from studyhub.org.roster_version import roster_version
    from studyhub.reports.scope import is_kept

    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_BASE + scope.exam_id)))
    # the version first: a roster change committed after this read makes the rows written
    # below newer than the version kept with them, never older (they are built again)
    version = roster_version(session)
    if is_kept(session, scope.exam_id, scope.close_day):
        return False
    people = KeptScopePerson.__table__
    # an exam keeps at most two scopes: this one, and its own close day's (progress during
    # the window counts on each day in turn: a province's exam would keep a million rows a
    # day)
    days = [scope.close_day]
    if scope.closes_at is not None:
        from studyhub.timeutil import local_date

        days.append(local_date(scope.closes_at - dt.timedelta(microseconds=1)))
    other_days = session.execute(
        sa.delete(KeptScope).where(KeptScope.exam_id == scope.exam_id,
                                   KeptScope.close_day.not_in(days))
    )  # fmt: skip
    if getattr(other_days, "rowcount", 0) == 0 and _bring_up_to_date(session, scope, version):
        return True
    current = sa.select(KeptScope.close_day).where(
        KeptScope.exam_id == scope.exam_id, KeptScope.close_day != scope.close_day
    )
    session.execute(  # every row of the exam not under another kept scope (none has a key)
        sa.delete(people).where(
            people.c.exam_id == scope.exam_id, people.c.close_day.not_in(current)
        )
    )
    session.execute(
        sa.delete(KeptScope).where(KeptScope.exam_id == scope.exam_id,
                                   KeptScope.close_day == scope.close_day)
    )  # fmt: skip
    _write_rows(session, scope)
    session.add(KeptScope(exam_id=scope.exam_id, close_day=scope.close_day,
                          roster_version=version))  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        # the planner's figures for the rows just written: without them the first reports
        # after a roster change planned for an empty table (2.5 s instead of 1.3 s at a
        # million people), until autovacuum came by
        session.execute(sa.text("ANALYZE kept_scope_people"))
    _forget_old_changes(session)
    return True


def _write_rows(session: Session, scope: ExamScope, only: Any = None) -> None:
    """Insert the scope's rows worked out from the roster (of the staff ids ``only``
    selects, when given), in one INSERT ... SELECT."""
    import sqlalchemy as sa

    from studyhub.models import KeptScopePerson
    from studyhub.reports.per_person import scope_people

    rows = scope_people(scope, only=only).subquery("people")
    session.execute(
        sa.insert(KeptScopePerson.__table__).from_select(
            ["exam_id", "close_day", "staff_id", "department_id", "candidate", "exempt"],
            sa.select(sa.literal(scope.exam_id), sa.literal(scope.close_day, sa.Date),
                      rows.c.staff_id, rows.c.department_id, rows.c.candidate, rows.c.exempt),
        )
    )  # fmt: skip


def _bring_up_to_date(session: Session, scope: ExamScope, version: int) -> bool:
    """Bring the exam's scope for the close day, kept at an older roster version, up to
    ``version`` by working out again only the people the changes since were about (see
    :mod:`studyhub.org.roster_version`). False when there is no such scope, or a change
    since was about everyone (of this exam): it is then worked out whole."""
    import sqlalchemy as sa

    from studyhub.models import KeptScope, KeptScopePerson, RosterChange

    kept_at = session.scalar(
        sa.select(KeptScope.roster_version).where(
            KeptScope.exam_id == scope.exam_id, KeptScope.close_day == scope.close_day
        )
    )
    if kept_at is None:
        return False
    since = sa.and_(RosterChange.version > kept_at, RosterChange.version <= version)
    about_all = session.scalar(
        sa.select(RosterChange.id).where(
            since, RosterChange.staff_id.is_(None),
            sa.or_(RosterChange.exam_id.is_(None), RosterChange.exam_id == scope.exam_id),
        ).limit(1)
    )  # fmt: skip
    if about_all is not None:
        return False
    named = sa.select(RosterChange.staff_id).where(since, RosterChange.staff_id.is_not(None))
    people = KeptScopePerson.__table__
    session.execute(
        sa.delete(people).where(
            people.c.exam_id == scope.exam_id,
            people.c.close_day == scope.close_day,
            people.c.staff_id.in_(named),
        )
    )
    _write_rows(session, scope, only=named)
    session.execute(
        sa.update(KeptScope)
        .where(KeptScope.exam_id == scope.exam_id, KeptScope.close_day == scope.close_day)
        .values(roster_version=version, built_at=sa.func.now())
    )
    _forget_old_changes(session)
    return True


def _forget_old_changes(session: Session) -> None:
    """Drop the logged changes no kept scope needs: those at or below the oldest kept
    scope's version (a scope with none is worked out whole), once older than
    :data:`LOG_KEPT_FOR`: a scope another report is keeping meanwhile (on PostgreSQL, not
    yet committed, so not seen here) may be of an older version and need them."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import KeptScope, RosterChange

    oldest = sa.select(sa.func.min(KeptScope.roster_version)).scalar_subquery()
    newest = sa.select(sa.func.max(RosterChange.version)).scalar_subquery()
    session.execute(
        sa.delete(RosterChange).where(
            RosterChange.version <= sa.func.coalesce(oldest, newest),
            RosterChange.logged_at < db_now(session) - LOG_KEPT_FOR,
        )
    )


def keep_scopes(
    database: Database,
    *,
    year: int | None = None,
    exam: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
) -> int:
    """Keep the scope of each exam a report is about to count (by ``year`` or ``exam``, on
    the close day ``today`` and ``as_of`` give) unless it is kept already; one short
    transaction per exam. Returns how many were kept. A database that refuses the write (a
    read-only file or role) is counted from the roster as before."""
    from sqlalchemy import exc

    from studyhub.errors import StudyhubError
    from studyhub.reports.scope import exam_scope, exams_for

    try:
        with database.session(readonly=True) as session:  # no write lock to find out
            wanted = []
            for item in exams_for(session, year=year, exam=exam):
                if item.kind not in ("exam", "external"):
                    continue  # the report says why it does not count it
                scope = exam_scope(session, item, today=today, as_of=as_of)
                if scope.until is None and not scope.kept:
                    wanted.append(scope)
    except StudyhubError:
        return 0  # the report itself says what is wrong
    kept = 0
    for scope in wanted:
        try:
            with database.session() as session:
                kept += keep_scope(session, scope)
        except (exc.SQLAlchemyError, StudyhubError) as err:
            log.info("scope of exam %s not kept: %s", scope.key, err)
    return kept


def scope_mismatches(session: Session, *, limit: int = 20) -> list[str]:
    """``exam/close day/staff no`` of the people (at most ``limit``) whose row in a current
    kept scope differs from a recomputation from the roster (``db check``)."""
    import sqlalchemy as sa

    from studyhub.models import Exam, KeptScope, KeptScopePerson, RosterVersion, Staff
    from studyhub.reports.per_person import scope_people
    from studyhub.reports.scope import exam_scope

    people = KeptScopePerson.__table__
    current = (
        sa.select(KeptScope.exam_id, KeptScope.close_day)
        .join(RosterVersion, RosterVersion.version == KeptScope.roster_version)
        .order_by(KeptScope.exam_id, KeptScope.close_day)
    )
    found: list[str] = []
    for exam_id, close_day in session.execute(current).all():
        exam = session.get(Exam, exam_id)
        if exam is None or exam.kind not in ("exam", "external"):
            continue
        scope = exam_scope(session, exam)
        scope.close_day = close_day
        fresh = scope_people(scope)
        kept = sa.select(
            people.c.staff_id, people.c.department_id, people.c.candidate, people.c.exempt
        ).where(people.c.exam_id == exam_id, people.c.close_day == close_day)
        differing = sa.union(
            sa.select(sa.except_(kept, fresh).subquery().c.staff_id),
            sa.select(sa.except_(fresh, kept).subquery().c.staff_id),
        ).subquery()
        numbers = sa.select(Staff.staff_no).join(differing, differing.c.staff_id == Staff.id)
        for number in session.scalars(numbers.order_by(Staff.staff_no).limit(limit)):
            found.append(f"{exam.key}/{close_day.isoformat()}/{number}")
            if len(found) >= limit:
                return found
    return found


def drop_kept(session: Session) -> int:
    """Drop every kept scope (``db check --repair``): the reports keep them again as they
    count. Returns the scopes dropped."""
    import sqlalchemy as sa

    from studyhub.models import KeptScope, KeptScopePerson, RosterChange

    dropped = session.scalar(sa.select(sa.func.count()).select_from(KeptScope)) or 0
    session.execute(sa.delete(KeptScopePerson))
    session.execute(sa.delete(KeptScope))
    session.execute(sa.delete(RosterChange))  # no kept scope needs them now
    return int(dropped)
