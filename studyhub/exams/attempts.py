"""The attempt engine: start, answer, resume, submit, expire. No terminal code here.

Every call is one unit of work and commits before it returns, so an answer is saved the
moment it is given. The database's clock decides deadlines. An answer key never leaves this
module before the attempt is submitted: views carry stems and options only.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError, PermissionDenied, StudyhubError
from studyhub.exams import grading

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Attempt, Exam, Staff

__all__ = [
    "AttemptClosed",
    "AttemptRefused",
    "AttemptResult",
    "AttemptView",
    "ItemView",
    "answer",
    "flag",
    "get_attempt",
    "parse_response",
    "start_attempt",
    "submit",
]

LETTERS = "ABCDEFGH"


class AttemptRefused(PermissionDenied):
    """The person may not start (or go on with) this attempt."""


class AttemptClosed(StudyhubError):
    """The attempt is over (submitted, or its time ran out and it was submitted)."""


@dataclass
class ItemView:
    """A question as the taker sees it: no answer key."""

    position: int
    type: str
    stem: str
    options: list[str]
    points: Decimal
    #: the saved answer in shown terms: option indexes as shown, True/False, blank texts
    response: Any = None
    answered_at: dt.datetime | None = None
    #: flagged by the taker to come back to (see :func:`flag`)
    flagged: bool = False

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def blanks(self) -> int:
        return max(1, self.stem.count("____")) if self.type == "fill" else 0


@dataclass
class AttemptView:
    attempt_id: int
    exam_key: str
    exam_title: str
    number: int
    status: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    now: dt.datetime
    items: list[ItemView]
    total_points: Decimal

    @property
    def time_left(self) -> dt.timedelta | None:
        if self.deadline is None:
            return None
        return max(dt.timedelta(0), self.deadline - self.now)

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.answered)


@dataclass
class ReviewItem:
    position: int
    type: str
    stem: str
    options: list[str]
    points: Decimal
    awarded: Decimal
    correct: bool
    response: Any
    #: shown only as the exam's review setting allows (None otherwise)
    key: Any = None
    explanation: str | None = None
    source: str | None = None


@dataclass
class AttemptResult:
    attempt_id: int
    exam_key: str
    number: int
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool
    band: str | None
    submitted_at: dt.datetime
    reason: str
    review: str
    items: list[ReviewItem] = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------------


def _staff(session: Session, staff_no: str) -> Staff:
    import sqlalchemy as sa

    from studyhub.models import Staff

    person = session.scalar(sa.select(Staff).where(Staff.staff_no == staff_no))
    if person is None:
        raise NotFoundError(f"no staff member {staff_no}")
    return person


def _now(session: Session) -> dt.datetime:
    from studyhub.db import db_now

    return db_now(session)


def _attempt_for(session: Session, attempt_id: int, staff_no: str) -> Attempt:
    from studyhub.models import Attempt

    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFoundError(f"no attempt {attempt_id}")
    if _staff(session, staff_no).id != attempt.staff_id:
        raise PermissionDenied("this attempt belongs to someone else")
    return attempt


def in_audience(session: Session, exam: Exam, person: Staff) -> bool:
    import sqlalchemy as sa

    from studyhub.exams.definitions import department_subtree
    from studyhub.models import ExamAudience

    roots = list(
        session.scalars(
            sa.select(ExamAudience.department_id).where(ExamAudience.exam_id == exam.id)
        )
    )
    if not roots:
        return True
    return person.department_id in department_subtree(session, roots)


def _is_exempt(session: Session, exam_id: int, staff_id: int) -> bool:
    import sqlalchemy as sa

    from studyhub.models import Exemption

    return (
        session.scalar(
            sa.select(Exemption.id).where(
                Exemption.exam_id == exam_id, Exemption.staff_id == staff_id
            )
        )
        is not None
    )


def _check_may_start(session: Session, exam: Exam, person: Staff, now: dt.datetime) -> None:
    from studyhub.timeutil import local_date

    if exam.kind == "external":
        raise AttemptRefused(f"{exam.key} is sat on another platform; its results are imported")
    if exam.status == "closed":
        raise AttemptRefused(f"exam {exam.key} is closed")
    if exam.opens_at and now < exam.opens_at:
        raise AttemptRefused(f"exam {exam.key} opens at {_local(exam.opens_at)}")
    if exam.closes_at and now >= exam.closes_at:
        raise AttemptRefused(f"exam {exam.key} closed at {_local(exam.closes_at)}")
    today = local_date(now)
    if (person.in_post_to and person.in_post_to < today) or (
        person.in_post_from and person.in_post_from > today
    ):
        raise AttemptRefused(f"{person.staff_no} is not in post")
    if not in_audience(session, exam, person):
        raise AttemptRefused(f"exam {exam.key} is not for {person.staff_no}'s department")
    if _is_exempt(session, exam.id, person.id):
        raise AttemptRefused(f"{person.staff_no} is exempt from exam {exam.key} (免考)")
    if exam.kind == "makeup" and exam.parent_id is not None:
        from studyhub.models import Exam as ExamModel

        parent = session.get(ExamModel, exam.parent_id)
        if parent is not None and _has_passed(session, parent, person.id):
            raise AttemptRefused(f"{person.staff_no} already passed {parent.key}; no makeup needed")


def _has_passed(session: Session, exam: Exam, staff_id: int) -> bool:
    import sqlalchemy as sa

    from studyhub.models import Attempt

    rows = session.execute(
        sa.select(Attempt.score, Attempt.max_score)
        .where(Attempt.exam_id == exam.id, Attempt.staff_id == staff_id,
               Attempt.status == "submitted")
        .order_by(Attempt.number)
    ).all()  # fmt: skip
    if not rows:
        return False
    counted = grading.counted_score(exam.grading, [r.score for r in rows])
    total = max(r.max_score for r in rows)
    return counted is not None and grading.passed(counted, total, exam.pass_mark)


def _local(moment: dt.datetime) -> str:
    from studyhub.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


# --- start --------------------------------------------------------------------------------


def start_attempt(
    database: Database, exam_key: str, staff_no: str, *, seed: int | None = None,
    actor: str | None = None,
) -> AttemptView:  # fmt: skip
    """Start an attempt (or return the one already open): every rule is checked first.

    Two terminals racing for the last allowed attempt cannot both get it: the attempt number
    is unique per exam and person in the database, so the second insert fails.
    """
    import sqlalchemy as sa
    from sqlalchemy import exc

    from studyhub.audit import record_event
    from studyhub.exams.definitions import exam_by_key
    from studyhub.exams.paper import draw_paper
    from studyhub.models import Attempt, AttemptItem

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
                return _view(session, open_attempt, exam, now)
            _check_may_start(session, exam, person, now)
            used = max((a.number for a in mine), default=0)
            if exam.kind != "practice" and used >= exam.attempts_allowed:
                raise AttemptRefused(
                    f"no attempts left for exam {exam.key} ({used} of {exam.attempts_allowed} used)"
                )
            seed = secrets.randbits(62) if seed is None else seed
            items = draw_paper(
                session, exam.paper or {}, seed, shuffle_questions=exam.shuffle_questions,
                shuffle_options=exam.shuffle_options,
            )  # fmt: skip
            deadline = exam.closes_at
            if exam.time_limit_s:
                limit = now + dt.timedelta(seconds=exam.time_limit_s)
                deadline = limit if deadline is None else min(deadline, limit)
            attempt = Attempt(
                exam_id=exam.id, staff_id=person.id, number=used + 1, status="in_progress",
                origin="local", started_at=now, deadline=deadline, seed=seed,
                max_score=sum((i.points for i in items), Decimal(0)),
            )  # fmt: skip
            session.add(attempt)
            session.flush()
            session.execute(
                sa.insert(AttemptItem.__table__),
                [
                    {"attempt_id": attempt.id, "position": n, "question_version_id": i.version_id,
                     "points": i.points, "option_order": i.option_order}
                    for n, i in enumerate(items, start=1)
                ],
            )  # fmt: skip
            record_event(session, actor=actor or staff_no, actor_id=person.id,
                         action="attempt.start", object_type="attempt",
                         object_key=f"{exam.key}/{staff_no}/{attempt.number}",
                         details={"seed": seed, "questions": len(items)}, at=now)  # fmt: skip
            return _view(session, attempt, exam, now)
    except exc.IntegrityError:
        raise AttemptRefused(
            "another terminal started this attempt at the same moment; "
            "try again to resume it or to see whether attempts are left"
        ) from None


# --- views --------------------------------------------------------------------------------


def _items(session: Session, attempt_id: int) -> list[tuple[Any, Any]]:
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, QuestionVersion

    return [
        (item, version)
        for item, version in session.execute(
            sa.select(AttemptItem, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        )
    ]


def _shown(item: Any, version: Any) -> tuple[list[str], Any]:
    """Options in the order shown, and the saved response in shown terms."""
    order = item.option_order or list(range(len(version.options or [])))
    options = [version.options[i] for i in order]
    response = item.response
    if response is not None and version.type in ("single", "multiple"):
        response = sorted(order.index(i) for i in response)
    return options, response


def _view(session: Session, attempt: Attempt, exam: Exam, now: dt.datetime) -> AttemptView:
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, QuestionVersion

    rows = session.execute(
        sa.select(AttemptItem.position, AttemptItem.option_order, AttemptItem.points,
                  AttemptItem.response, AttemptItem.answered_at, AttemptItem.flagged,
                  QuestionVersion.type, QuestionVersion.stem, QuestionVersion.options)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    )  # fmt: skip
    items = []
    for row in rows:  # only what the taker may see: no keys
        options, response = _shown(row, row)
        items.append(ItemView(row.position, row.type, row.stem, options, row.points,
                              response, row.answered_at, bool(row.flagged)))  # fmt: skip
    return AttemptView(
        attempt.id, exam.key, exam.title, attempt.number, attempt.status, attempt.started_at,
        attempt.deadline, now, items, attempt.max_score or Decimal(0),
    )  # fmt: skip


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
        return _view(session, attempt, exam, now)


# --- answers ------------------------------------------------------------------------------


_TRUE = {"对", "正确", "√", "✓", "t", "true", "y", "yes", "是", "a"}
_FALSE = {"错", "错误", "×", "✗", "f", "false", "n", "no", "否", "b"}


def parse_response(item: ItemView, text: str) -> Any:
    """A typed answer (``B``, ``ACD``, ``对``, blank texts separated by ``;``) in shown terms;
    raises InputError when it does not fit the question."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise InputError("empty answer")
    if item.type in ("single", "multiple"):
        letters = [ch for ch in raw.upper() if ch not in " ,、;"]
        count = len(item.options)
        valid = LETTERS[:count]
        if not letters or any(ch not in valid for ch in letters):
            raise InputError(f"answer with option letters {valid[0]}-{valid[-1]}")
        indexes = sorted({valid.index(ch) for ch in letters})
        if item.type == "single" and len(indexes) != 1:
            raise InputError("a single-choice question takes one letter")
        return indexes
    if item.type == "judge":
        word = raw.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InputError("answer 对 or 错 (also T/F)")
    parts = [p.strip() for p in raw.replace("；", ";").split(";")]
    if len(parts) != item.blanks:
        raise InputError(f"give {item.blanks} answers separated by ;")
    return parts


def _canonical(version: Any, option_order: list[int] | None, response: Any) -> Any:
    if response is None:
        return None
    if version.type in ("single", "multiple"):
        order = option_order or list(range(len(version.options or [])))
        shown = sorted({int(i) for i in response})
        if not shown or any(not 0 <= i < len(order) for i in shown):
            raise InputError("answer is not one of the options")
        if version.type == "single" and len(shown) != 1:
            raise InputError("a single-choice question takes one answer")
        return sorted(order[i] for i in shown)
    if version.type == "judge":
        if not isinstance(response, bool):
            raise InputError("a judge question takes true or false")
        return response
    values = [response] if isinstance(response, str) else list(response)
    if not all(isinstance(v, str) for v in values):
        raise InputError("a fill question takes text for each blank")
    return [v.strip() for v in values]


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
            raise NotFoundError(f"no attempt {attempt_id}")
        if row.staff_no != staff_no:
            raise PermissionDenied("this attempt belongs to someone else")
        now = _as_utc(row.now)
        if row.status != "in_progress":
            raise AttemptClosed("this attempt has been submitted; answers can no longer change")
        expired = row.deadline is not None and now >= row.deadline
        if not expired:
            if row.id is None:
                raise InputError(f"no question {position} in this attempt")
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
        "time is up: the attempt was submitted with the answers saved before the deadline"
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
            raise AttemptClosed("this attempt has been submitted; flags can no longer change")
        changed = session.execute(
            sa.update(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
            .values(flagged=flagged)
        ).rowcount
        if not changed:
            raise InputError(f"no question {position} in this attempt")


# --- submission ---------------------------------------------------------------------------


def submit_in_session(session: Session, attempt_id: int, now: dt.datetime, *,
                      reason: str = "taker") -> bool:  # fmt: skip
    """Grade and submit inside the caller's unit of work; False if it was already submitted.

    The status flips with a guarded UPDATE, so two submissions racing grade it once.
    """
    import sqlalchemy as sa

    from studyhub.audit import record_event
    from studyhub.models import Attempt, AttemptItem, Exam, Hundredths, Staff

    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.status != "in_progress":
        return False
    exam = session.get(Exam, attempt.exam_id)
    assert exam is not None
    submitted_at = now
    if reason == "expired" and attempt.deadline is not None:
        submitted_at = min(now, attempt.deadline)
    flipped = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
        .values(status="submitted", submitted_at=submitted_at, submit_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not flipped:
        return False
    score = Decimal(0)
    total = Decimal(0)
    awards = []
    for item, version in _items(session, attempt_id):
        weights = None
        if version.extra and "weights" in version.extra:
            weights = [Decimal(w) for w in version.extra["weights"]]
        awarded = grading.award(version.type, version.answer, item.response, item.points,
                                scoring=exam.choice_scoring, weights=weights)  # fmt: skip
        awards.append({"item_id": item.id, "awarded": awarded})
        score += awarded
        total += item.points
    if awards:
        table = AttemptItem.__table__
        session.connection().execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("item_id"))
            .values(awarded=sa.bindparam("awarded", type_=Hundredths())),
            awards,
        )
    session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt_id)
        .values(score=score, max_score=total, percent=grading.percent(score, total),
                passed=grading.passed(score, total, exam.pass_mark))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.expire(attempt)
    from studyhub.practice import record_attempt_in_book

    record_attempt_in_book(session, attempt_id, now)
    person = session.get(Staff, attempt.staff_id)
    record_event(
        session, actor=person.staff_no if person else "system", actor_id=attempt.staff_id,
        action="attempt.submit", object_type="attempt",
        object_key=f"{exam.key}/{person.staff_no if person else attempt.staff_id}/{attempt.number}",
        details={"score": str(score), "max_score": str(total), "reason": reason}, at=now,
    )  # fmt: skip
    return True


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
        return _result(session, attempt, exam, now)


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
            raise AttemptClosed("this attempt is not submitted yet")
        exam = session.get(Exam, attempt.exam_id)
        assert exam is not None
        return _result(session, attempt, exam, now)


def _review_level(exam: Exam, now: dt.datetime) -> str:
    """What the taker may see now: "score", "wrong" or "full"."""
    if exam.review_after_close:
        closed = exam.status == "closed" or (exam.closes_at is not None and now >= exam.closes_at)
        if not closed:
            return "score"
    return exam.review


def _result(session: Session, attempt: Attempt, exam: Exam, now: dt.datetime) -> AttemptResult:
    level = _review_level(exam, now)
    score = attempt.score or Decimal(0)
    total = attempt.max_score or Decimal(0)
    bands = [(name, Decimal(minimum)) for name, minimum in exam.bands]
    outcome = AttemptResult(
        attempt.id, exam.key, attempt.number, score, total, grading.percent(score, total),
        bool(attempt.passed), grading.band_for(score, total, bands),
        attempt.submitted_at or now, attempt.submit_reason or "taker", level,
    )  # fmt: skip
    if level == "score":
        return outcome
    for item, version in _items(session, attempt.id):
        options, response = _shown(item, version)
        awarded = item.awarded or Decimal(0)
        correct = awarded == item.points
        if level == "wrong" and correct:
            continue
        review = ReviewItem(item.position, version.type, version.stem, options, item.points,
                            awarded, correct, response)  # fmt: skip
        if level == "full" or not correct:
            order = item.option_order or list(range(len(version.options or [])))
            if version.type in ("single", "multiple"):
                review.key = sorted(order.index(i) for i in version.answer)
            else:
                review.key = version.answer
            review.explanation = version.explanation
            review.source = version.source
        outcome.items.append(review)
    return outcome
