"""The attempt engine: start, answer, resume, submit, expire. No terminal code here.

Every call is one unit of work and commits before it returns, so an answer is saved the
moment it is given. The database's clock decides deadlines. An answer key never leaves this
module before the attempt is submitted: views carry stems and options only.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError, PermissionDenied, StudyhubError
from studyhub.exams.eligibility import AttemptRefused
from studyhub.exams.submission import submit_in_session
from studyhub.exams.views import (
    LETTERS,
    AttemptResult,
    AttemptView,
    ItemView,
    ReviewItem,
    attempt_result,
    attempt_view,
    parse_response,
)
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.exams.paper import DrawnItem
    from studyhub.models import Attempt, Staff

__all__ = [
    "LETTERS",
    "AttemptClosed",
    "AttemptRefused",
    "AttemptResult",
    "AttemptView",
    "ItemView",
    "ReviewItem",
    "answer",
    "flag",
    "get_attempt",
    "parse_response",
    "start_attempt",
    "submit",
    "submit_in_session",
]


class AttemptClosed(StudyhubError):
    """The attempt is over (submitted, or its time ran out and it was submitted)."""


# --- helpers ------------------------------------------------------------------------------


def _staff(session: Session, staff_no: str) -> Staff:
    import sqlalchemy as sa

    from studyhub.models import Staff

    person = session.scalar(sa.select(Staff).where(Staff.staff_no == staff_no))
    if person is None:
        raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
    return person


def _now(session: Session) -> dt.datetime:
    from studyhub.db import db_now

    return db_now(session)


def _attempt_for(session: Session, attempt_id: int, staff_no: str) -> Attempt:
    from studyhub.models import Attempt

    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFoundError(msg("no attempt {attempt}", attempt=attempt_id))
    if _staff(session, staff_no).id != attempt.staff_id:
        raise PermissionDenied(msg("this attempt belongs to someone else"))
    return attempt


# --- start --------------------------------------------------------------------------------


def start_attempt(
    database: Database, exam_key: str, staff_no: str, *, seed: int | None = None,
    actor: str | None = None,
) -> AttemptView:  # fmt: skip
    """Start an attempt (or return the one already open): every rule is checked first,
    with the person's own window, attempts and time limit (:mod:`studyhub.exams.limits`).

    Two terminals racing for the last allowed attempt cannot both get it: the attempt number
    is unique per exam and person in the database, so the second insert fails.
    """
    import sqlalchemy as sa
    from sqlalchemy import exc

    from studyhub.admin.audit import record_event
    from studyhub.exams.definitions import exam_by_key
    from studyhub.exams.eligibility import check_may_start
    from studyhub.exams.limits import limits_for
    from studyhub.exams.paper import still_current
    from studyhub.models import Attempt, AttemptItem

    seed = secrets.randbits(62) if seed is None else seed
    # The paper is drawn before the write transaction (on SQLite it holds the database's
    # write lock; a draw reads the pools of the whole bank): inside it, a check that the
    # questions drawn are still current, and one more draw outside if not.
    for tries_left in (1, 0):
        with database.session(readonly=True) as session:
            drawn = _draw_for_new(session, exam_key, staff_no, seed)
        try:
            with database.session() as session:
                exam = exam_by_key(session, exam_key)
                person = _staff(session, staff_no)
                now = _now(session)
                mine = list(session.scalars(
                    sa.select(Attempt).where(Attempt.exam_id == exam.id,
                                             Attempt.staff_id == person.id)
                ))  # fmt: skip
                open_attempt = None
                for earlier in mine:
                    if earlier.status != "in_progress":
                        continue
                    if earlier.deadline is not None and earlier.deadline <= now:
                        submit_in_session(session, earlier.id, now, reason="expired")
                    else:
                        open_attempt = earlier
                if open_attempt is not None:
                    return attempt_view(session, open_attempt, exam, now)
                used = max((a.number for a in mine), default=0)
                limits = limits_for(session, exam, person, used=used)  # the person's own
                check_may_start(session, exam, person, now, limits)
                paper = (exam.paper or {}, exam.shuffle_questions, exam.shuffle_options)
                if drawn is None or drawn[0] != paper or not still_current(session, drawn[1]):
                    if tries_left and drawn is not None:
                        continue  # the bank or the exam changed meanwhile: draw again
                    drawn = _draw(session, exam_key, seed)  # rare: inside the transaction
                items = drawn[1]
                deadline = limits.deadline(now)
                attempt = Attempt(
                    exam_id=exam.id, staff_id=person.id, number=used + 1,
                    status="in_progress", origin="local", started_at=now, deadline=deadline,
                    seed=seed, max_score=sum((i.points for i in items), Decimal(0)),
                )  # fmt: skip
                session.add(attempt)
                session.flush()
                session.execute(
                    sa.insert(AttemptItem.__table__),
                    [
                        {"attempt_id": attempt.id, "position": n,
                         "question_version_id": i.version_id, "points": i.points,
                         "option_order": i.option_order}
                        for n, i in enumerate(items, start=1)
                    ],
                )  # fmt: skip
                record_event(session, actor=actor or staff_no, actor_id=person.id,
                             action="attempt.start", object_type="attempt",
                             object_key=f"{exam.key}/{staff_no}/{attempt.number}",
                             details={"seed": seed, "questions": len(items),
                                      **({"own_limits": sorted(limits.own)}
                                         if limits.own else {})},
                             at=now)  # fmt: skip
                return attempt_view(session, attempt, exam, now)
        except exc.IntegrityError:
            raise AttemptRefused(
                msg("another terminal started this attempt at the same moment; "
                    "try again to resume it or to see whether attempts are left")
            ) from None  # fmt: skip
    raise AssertionError("unreachable: the second try draws inside the transaction")


def _draw_for_new(
    session: Session, exam_key: str, staff_no: str, seed: int
) -> tuple[Any, list[DrawnItem]] | None:
    """The paper a new attempt would get, drawn outside the write transaction; None when
    no new attempt is to start (one is open: resuming draws nothing) or the person may not
    start one (the write transaction says why, as before)."""
    import sqlalchemy as sa

    from studyhub.exams.definitions import exam_by_key
    from studyhub.exams.eligibility import check_may_start
    from studyhub.exams.limits import limits_for
    from studyhub.models import Attempt

    exam = exam_by_key(session, exam_key)
    person = _staff(session, staff_no)
    mine = session.execute(
        sa.select(Attempt.number, Attempt.status).where(
            Attempt.exam_id == exam.id, Attempt.staff_id == person.id
        )
    ).all()
    if any(status == "in_progress" for _, status in mine):
        return None
    try:
        limits = limits_for(session, exam, person, used=max((n for n, _ in mine), default=0))
        check_may_start(session, exam, person, _now(session), limits)
    except StudyhubError:
        return None
    return _draw(session, exam_key, seed)


def _draw(session: Session, exam_key: str, seed: int) -> tuple[Any, list[DrawnItem]]:
    """The exam's paper settings, and the paper they give with ``seed``."""
    from studyhub.exams.definitions import exam_by_key
    from studyhub.exams.paper import draw_paper

    exam = exam_by_key(session, exam_key)
    paper = (exam.paper or {}, exam.shuffle_questions, exam.shuffle_options)
    return paper, draw_paper(session, paper[0], seed, shuffle_questions=paper[1],
                             shuffle_options=paper[2])  # fmt: skip


def get_attempt(database: Database, attempt_id: int, staff_no: str) -> AttemptView:
    """The attempt as its taker sees it (resume): same paper, saved answers, time left."""
    from studyhub.models import Exam

    with database.session() as session:
        attempt = _attempt_for(session, attempt_id, staff_no)
        now = _now(session)
        if attempt.status == "in_progress" and attempt.deadline and attempt.deadline <= now:
            submit_in_session(session, attempt.id, now, reason="expired")
            session.refresh(attempt)
        exam = session.get(Exam, attempt.exam_id)
        assert exam is not None
        return attempt_view(session, attempt, exam, now)


# --- answers ------------------------------------------------------------------------------


def _canonical(version: Any, option_order: list[int] | None, response: Any) -> Any:
    if response is None:
        return None
    if version.type in ("single", "multiple"):
        order = option_order or list(range(len(version.options or [])))
        shown = sorted({int(i) for i in response})
        if not shown or any(not 0 <= i < len(order) for i in shown):
            raise InputError(msg("answer is not one of the options"))
        if version.type == "single" and len(shown) != 1:
            raise InputError(msg("a single-choice question takes one answer"))
        return sorted(order[i] for i in shown)
    if version.type == "judge":
        if not isinstance(response, bool):
            raise InputError(msg("a judge question takes true or false"))
        return response
    values = [response] if isinstance(response, str) else list(response)
    if not all(isinstance(v, str) for v in values):
        raise InputError(msg("a fill question takes text for each blank"))
    return check_typed([v.strip() for v in values])


def check_typed(values: list[str]) -> list[str]:
    """Typed answers (fill blanks) as they may be stored: at most MAX_ANSWER_LENGTH
    characters each, and text a database can store."""
    from studyhub.values import MAX_ANSWER_LENGTH, unstorable

    for value in values:
        if len(value) > MAX_ANSWER_LENGTH:
            raise InputError(
                msg("an answer is at most {limit} characters", limit=MAX_ANSWER_LENGTH)
            )
        problem = unstorable(value)
        if problem:
            raise InputError(msg("the answer {problem}", problem=problem))
    return values


def _now_column(dialect: str) -> Any:
    """The database's clock as a column (the same as :func:`studyhub.db.db_now`)."""
    import sqlalchemy as sa

    if dialect == "sqlite":
        return sa.func.strftime("%Y-%m-%d %H:%M:%f", "now")
    return sa.literal_column("clock_timestamp() AT TIME ZONE 'UTC'")


def _as_utc(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)


@functools.cache
def _answer_statements(dialect: str) -> tuple[Any, Any]:
    """The two statements of :func:`answer`, built once per dialect (saving an answer is the
    hottest path on exam day)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt, AttemptItem, QuestionVersion, Staff

    items = AttemptItem.__table__
    read = (
        sa.select(Attempt.status, Attempt.deadline, Staff.staff_no, items.c.id,
                  items.c.option_order, QuestionVersion.type, QuestionVersion.options,
                  _now_column(dialect).label("now"))
        .select_from(Attempt)
        .join(Staff, Staff.id == Attempt.staff_id)
        .outerjoin(items, sa.and_(items.c.attempt_id == Attempt.id,
                                  items.c.position == sa.bindparam("position")))
        .outerjoin(QuestionVersion, QuestionVersion.id == items.c.question_version_id)
        .where(Attempt.id == sa.bindparam("attempt_id"))
        .with_for_update(of=Attempt)
    )  # fmt: skip
    write = (
        sa.update(items)
        .where(items.c.id == sa.bindparam("item_id"))
        .values(response=sa.bindparam("response", type_=items.c.response.type),
                answered_at=sa.bindparam("answered_at", type_=items.c.answered_at.type))
    )  # fmt: skip
    return read, write


def answer(database: Database, attempt_id: int, position: int, response: Any,
           staff_no: str) -> None:  # fmt: skip
    """Save one answer (in shown terms; None clears it). Committed before this returns;
    refused after the deadline or after submission.

    Two statements: one reads the attempt (locking its row on PostgreSQL, so a submission
    cannot slip in between), its owner, the item, its question and the database's clock;
    one writes the answer."""
    import types

    read, write = _answer_statements(database.dialect)
    with database.transaction() as connection:
        row = connection.execute(read, {"attempt_id": attempt_id, "position": position}).first()
        if row is None:
            raise NotFoundError(msg("no attempt {attempt}", attempt=attempt_id))
        if row.staff_no != staff_no:
            raise PermissionDenied(msg("this attempt belongs to someone else"))
        now = _as_utc(row.now)
        if row.status != "in_progress":
            raise AttemptClosed(
                msg("this attempt has been submitted; answers can no longer change")
            )
        expired = row.deadline is not None and now >= row.deadline
        if not expired:
            if row.id is None:
                raise InputError(msg("no question {number} in this attempt", number=position))
            version = types.SimpleNamespace(type=row.type, options=row.options)
            stored = _canonical(version, row.option_order, response)
            answered_at = now if stored is not None else None
            connection.execute(
                write, {"item_id": row.id, "response": stored, "answered_at": answered_at}
            )
            return
    with database.session() as session:  # past the deadline: submitted on what was saved
        submit_in_session(session, attempt_id, _now(session), reason="expired")
    raise AttemptClosed(
        msg("time is up: the attempt was submitted with the answers saved before the deadline")
    )


def flag(database: Database, attempt_id: int, position: int, flagged: bool,
         staff_no: str) -> None:  # fmt: skip
    """Flag question ``position`` to come back to (``flagged`` False clears the flag).
    Committed before this returns, so a resumed attempt shows it again; refused once the
    attempt is submitted. Flags do not count in grading or reports."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    with database.session() as session:
        attempt = _attempt_for(session, attempt_id, staff_no)
        if attempt.status != "in_progress":
            raise AttemptClosed(msg("this attempt has been submitted; flags can no longer change"))
        changed = session.execute(
            sa.update(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
            .values(flagged=flagged)
        ).rowcount
        if not changed:
            raise InputError(msg("no question {number} in this attempt", number=position))


# --- submission ---------------------------------------------------------------------------


def submit(database: Database, attempt_id: int, staff_no: str) -> AttemptResult:
    """Grade and submit; a second call changes nothing and returns the same result."""
    from studyhub.models import Exam

    with database.session() as session:
        attempt = _attempt_for(session, attempt_id, staff_no)
        now = _now(session)
        reason = "taker"
        if attempt.deadline is not None and now >= attempt.deadline:
            reason = "expired"
        submit_in_session(session, attempt.id, now, reason=reason)
        session.refresh(attempt)
        exam = session.get(Exam, attempt.exam_id)
        assert exam is not None
        return attempt_result(session, attempt, exam, now)


def result(database: Database, attempt_id: int, staff_no: str) -> AttemptResult:
    """Score, band and the review the exam allows, for a submitted attempt."""
    from studyhub.models import Exam

    with database.session() as session:
        attempt = _attempt_for(session, attempt_id, staff_no)
        now = _now(session)
        if attempt.status == "in_progress" and attempt.deadline and attempt.deadline <= now:
            submit_in_session(session, attempt.id, now, reason="expired")
            session.refresh(attempt)
        if attempt.status != "submitted":
            raise AttemptClosed(msg("this attempt is not submitted yet"))
        exam = session.get(Exam, attempt.exam_id)
        assert exam is not None
        return attempt_result(session, attempt, exam, now)
