"""Exam definitions: create from a spec, update what history allows, close, list, show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.exams.spec import ExamSpec, PaperRule
from studyhub.i18n import msg, msgn
from studyhub.labels import Word

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam

__all__ = [
    "Closed",
    "ExamInfo",
    "close_exam",
    "create_exam",
    "department_subtree",
    "exam_by_key",
    "exam_questions_in_review",
    "get_exam",
    "list_exams",
    "paper_total",
    "questions_in_review",
    "update_exam",
]

#: what may not change once anyone has attempted the exam (history never changes)
FROZEN_AFTER_ATTEMPTS = ("paper", "grading", "pass_mark", "bands", "scoring", "kind", "makeup_of")


@dataclass
class ExamInfo:
    key: str
    title: str
    year: int
    kind: str
    status: str
    makeup_of: str | None
    opens: dt.datetime | None
    closes: dt.datetime | None
    time_limit_minutes: int | None
    attempts: int
    grading: str
    pass_mark: Decimal
    bands: list[tuple[str, Decimal]]
    audience: list[str]
    scoring: str
    shuffle_questions: bool
    shuffle_options: bool
    review: str
    review_after_close: bool
    paper: dict[str, Any]
    total_points: Decimal
    questions: int
    submitted: int = 0
    in_progress: int = 0
    rules: list[dict[str, Any]] = field(default_factory=list)


def exam_by_key(session: Session, key: str) -> Exam:
    import sqlalchemy as sa

    from studyhub.models import Exam

    exam = session.scalar(sa.select(Exam).where(Exam.key == key))
    if exam is None:
        raise NotFoundError(
            msg("no exam {exam}", exam=key), hint=msg("studyhub exam list shows the exams")
        )
    return exam


def department_subtree(session: Session, department_ids: list[int]) -> set[int]:
    """The departments and all their sub-departments (see studyhub.org.roster)."""
    from studyhub.org.roster import department_subtree as subtree

    if not department_ids:
        return set()
    return set(session.scalars(subtree(department_ids)))


def paper_total(paper: dict[str, Any]) -> tuple[Decimal, int]:
    """The full marks and the number of questions of a paper spec."""
    if "fixed" in paper:
        from studyhub.exams import fixed_questions

        fixed = fixed_questions(paper)
        return sum((points for _, points in fixed), Decimal(0)), len(fixed)
    rules = paper.get("rules", [])
    total = sum((Decimal(r["points"]) * int(r["count"]) for r in rules), Decimal(0))
    return total, sum(int(r["count"]) for r in rules)


def _check_paper(session: Session, spec: ExamSpec) -> None:
    from studyhub.exams.paper import check_rules, fixed_versions

    if spec.kind == "external" or not spec.has_paper:
        return
    if spec.fixed:
        fixed_versions(session, spec.fixed)
    else:
        check_rules(session, spec.rules)


def questions_in_review(
    database: Database, spec: ExamSpec
) -> tuple[list[tuple[int, PaperRule, int]], list[str]]:
    """What a paper leaves out, or shows, while questions await review after a law changed:
    ``(index, rule, questions left out)`` of each rule, and the fixed questions awaiting
    review (a fixed paper still shows them: the admin named them)."""
    from studyhub.exams.paper import fixed_in_review, held_back

    if spec.kind == "external" or not spec.has_paper:
        return [], []
    with database.session(readonly=True) as session:
        if spec.fixed:
            return [], fixed_in_review(session, spec.fixed)
        return held_back(session, spec.rules), []


def exam_questions_in_review(
    database: Database, key: str
) -> tuple[list[tuple[int, PaperRule, int]], list[str]]:
    """:func:`questions_in_review` for exam ``key`` as stored (after an update, say); nothing
    for a closed exam (it draws no more papers)."""
    from studyhub.exams import fixed_questions, has_paper
    from studyhub.exams.paper import fixed_in_review, held_back

    with database.session(readonly=True) as session:
        exam = exam_by_key(session, key)
        paper = exam.paper or {}
        if exam.status == "closed" or exam.kind == "external" or not has_paper(paper):
            return [], []
        if paper.get("fixed"):
            return [], fixed_in_review(session, [qid for qid, _ in fixed_questions(paper)])
        rules = [PaperRule.from_json(data) for data in paper.get("rules", [])]
        for rule in rules:
            rule.allow_unreviewed = bool(paper.get("allow_unreviewed"))
        return held_back(session, rules), []


def _audience_ids(session: Session, codes: list[str]) -> list[int]:
    import sqlalchemy as sa

    from studyhub.models import Department

    found: dict[str, int] = {}
    if codes:
        query = sa.select(Department.code, Department.id).where(Department.code.in_(codes))
        found = {code: department_id for code, department_id in session.execute(query)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InputError(msg("audience: no department {codes}", codes=", ".join(missing)))
    return [found[c] for c in codes]


#: spec field -> (exam column, how the spec's value is stored)
_COLUMNS: dict[str, tuple[str, Any]] = {
    "title": ("title", lambda s: s.title),
    "year": ("year", lambda s: s.year),
    "kind": ("kind", lambda s: s.kind),
    "opens": ("opens_at", lambda s: s.opens),
    "closes": ("closes_at", lambda s: s.closes),
    "time_limit": ("time_limit_s",
                   lambda s: int(s.time_limit.total_seconds()) if s.time_limit else None),
    "attempts": ("attempts_allowed", lambda s: s.attempts),
    "grading": ("grading", lambda s: s.grading),
    "pass_mark": ("pass_mark", lambda s: s.pass_mark),
    "bands": ("bands", lambda s: [[name, str(minimum)] for name, minimum in s.bands]),
    "scoring": ("choice_scoring", lambda s: s.scoring),
    "shuffle_questions": ("shuffle_questions", lambda s: s.shuffle_questions),
    "shuffle_options": ("shuffle_options", lambda s: s.shuffle_options),
    "review": ("review", lambda s: s.review),
    "review_after_close": ("review_after_close", lambda s: s.review_after_close),
    "paper": ("paper", lambda s: s.paper_json()),
}  # fmt: skip


def _apply(exam: Exam, spec: ExamSpec, fields: set[str] | None = None) -> None:
    """Copy the spec onto the exam: every field, or only ``fields`` (an update)."""
    for name, (column, value) in _COLUMNS.items():
        if fields is None or name in fields:
            setattr(exam, column, value(spec))


def create_exam(database: Database, spec: ExamSpec, *, actor: str = "system") -> ExamInfo:
    """Create an exam from a checked spec; its paper rules must be satisfiable now."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Exam, ExamAudience

    with database.session() as session:
        if session.scalar(sa.select(Exam.id).where(Exam.key == spec.key)) is not None:
            raise InputError(
                msg("exam {key} already exists", key=spec.key),
                hint=msg("use studyhub exam update"),
            )
        parent_id = None
        if spec.makeup_of:
            parent = exam_by_key(session, spec.makeup_of)
            if parent.kind not in ("exam", "external"):
                raise InputError(
                    msg("makeup_of: {key} is a {kind}, not an exam", key=spec.makeup_of,
                        kind=Word(parent.kind))
                )  # fmt: skip
            if not spec.has_paper and parent.kind != "external":
                raise InputError(
                    msg("{key}: missing paper (rules: or fixed:); only a makeup of an exam "
                        "sat on another platform (kind: external) has none, its results imported",
                        key=spec.key)
                )  # fmt: skip
            parent_id = parent.id
        _check_paper(session, spec)
        audience = _audience_ids(session, spec.audience)
        exam = Exam(key=spec.key, parent_id=parent_id, spec=_spec_json(spec), status="open")
        _apply(exam, spec)
        session.add(exam)
        session.flush()
        for department_id in audience:
            session.add(ExamAudience(exam_id=exam.id, department_id=department_id))
        record_event(session, actor=actor, action="exam.create", object_type="exam",
                     object_key=spec.key, details=_spec_json(spec))  # fmt: skip
    return get_exam(database, spec.key)


def update_exam(database: Database, spec: ExamSpec, *, actor: str = "system") -> ExamInfo:
    """Change an exam to what ``spec`` gives; the paper, grading and marks are frozen once
    anyone has attempted it."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Attempt, ExamAudience

    fields = set(spec.given) - {"key"}
    with database.session() as session:
        exam = exam_by_key(session, spec.key)
        attempted = session.scalar(
            sa.select(sa.func.count()).select_from(Attempt).where(Attempt.exam_id == exam.id)
        )
        if attempted:
            frozen = sorted(f for f in fields & set(FROZEN_AFTER_ATTEMPTS)
                            if _changed(exam, spec, f))  # fmt: skip
            if frozen:
                raise InputError(
                    msgn("exam {key} has {n} attempt: {fields} can no longer change",
                         "exam {key} has {n} attempts: {fields} can no longer change",
                         attempted, key=spec.key, fields=", ".join(frozen)),
                    hint=msg("create a new exam (or a makeup exam) instead"),
                )  # fmt: skip
        if attempted:
            _check_window(session, exam, spec, fields, attempted)
        if "paper" in fields:
            _check_paper(session, spec)
        _apply(exam, spec, fields)
        if exam.opens_at and exam.closes_at and exam.closes_at <= exam.opens_at:
            raise InputError(msg("closes must be after opens"))
        if "audience" in fields:
            session.execute(sa.delete(ExamAudience).where(ExamAudience.exam_id == exam.id))
            from studyhub.org.roster_version import bump_roster_version

            # the kept scopes follow (the delete is no ORM flush)
            bump_roster_version(session, [("exam", exam.id)])
            for department_id in _audience_ids(session, spec.audience):
                session.add(ExamAudience(exam_id=exam.id, department_id=department_id))
        exam.spec = {
            **(exam.spec or {}),
            **{k: v for k, v in _spec_json(spec).items() if k in fields},
        }
        record_event(session, actor=actor, action="exam.update", object_type="exam",
                     object_key=spec.key, details={"fields": sorted(fields)})  # fmt: skip
    return get_exam(database, spec.key)


def _check_window(
    session: Session, exam: Exam, spec: ExamSpec, fields: set[str], attempted: int
) -> None:
    """Once anyone has attempted, ``opens`` stays and ``closes`` may only move later (moving
    it earlier would drop submitted attempts from the figures); open attempts whose deadline
    was the old close get the new one (within their time limit)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    if "opens" in fields and spec.opens != exam.opens_at:
        raise InputError(
            msgn("exam {key} has {n} attempt: opens can no longer change",
                 "exam {key} has {n} attempts: opens can no longer change",
                 attempted, key=exam.key),
            hint=msg(
                "give takers more time by moving closes later in the spec, "
                "then run studyhub exam update"
            ),
        )  # fmt: skip
    if "closes" not in fields or spec.closes == exam.closes_at:
        return
    old = exam.closes_at
    if spec.closes is not None and (old is None or spec.closes < old):
        raise InputError(
            msgn("exam {key} has {n} attempt: closes may only move later "
                 "(an earlier close would take submitted attempts out of the figures)",
                 "exam {key} has {n} attempts: closes may only move later "
                 "(an earlier close would take submitted attempts out of the figures)",
                 attempted, key=exam.key),
            hint=msg("close it now with studyhub exam close (open attempts are graded)"),
        )  # fmt: skip
    if old is None:
        return
    from studyhub.db import db_now

    now = db_now(session)
    for attempt in session.scalars(  # attempts still running that would end at the old close
        sa.select(Attempt).where(
            Attempt.exam_id == exam.id,
            Attempt.status == "in_progress",
            Attempt.deadline == old,
            Attempt.deadline > now,
        )
    ):
        from studyhub.exams.limits import limits_for
        from studyhub.models import Staff

        person = session.get(Staff, attempt.staff_id)
        assert person is not None
        own = limits_for(session, exam, person, used=0).time_limit  # an override's, or the exam's
        limit = attempt.started_at + own if own else None
        candidates = [d for d in (spec.closes, limit) if d is not None]
        attempt.deadline = min(candidates) if candidates else None


def _changed(exam: Exam, spec: ExamSpec, name: str) -> bool:
    current = {
        "paper": exam.paper,
        "grading": exam.grading,
        "pass_mark": exam.pass_mark,
        "bands": exam.bands,
        "scoring": exam.choice_scoring,
        "kind": exam.kind,
        "makeup_of": None,
    }[name]
    wanted = {
        "paper": spec.paper_json(),
        "grading": spec.grading,
        "pass_mark": spec.pass_mark,
        "bands": [[n, str(m)] for n, m in spec.bands],
        "scoring": spec.scoring,
        "kind": spec.kind,
        "makeup_of": spec.makeup_of,
    }[name]
    return bool(current != wanted) if name != "makeup_of" else wanted is not None


@dataclass
class Closed:
    """What closing an exam did."""

    #: open attempts submitted by the closing, graded on their saved answers
    submitted: int
    #: of them, those with no answer saved: they count only for someone with no other
    #: attempt with answers (README, "The figures")
    empty: int


def close_exam(database: Database, key: str, *, actor: str = "system") -> Closed:
    """Close an exam: no new attempts or answers; open attempts are graded on what they saved.
    Refused while someone's own window (an override) runs on after the exam's close."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.db import db_now
    from studyhub.exams.submission import submit_in_session
    from studyhub.models import Attempt, ExamOverride

    with database.session() as session:
        exam = exam_by_key(session, key)
        now = db_now(session)
        # someone's own window that runs on after the exam's close (a business trip): closing
        # now would cut it short, and no admin closing on the common date means that
        if exam.closes_at is not None and exam.status == "open":
            count, latest = session.execute(
                sa.select(sa.func.count(), sa.func.max(ExamOverride.closes_at)).where(
                    ExamOverride.exam_id == exam.id, ExamOverride.closes_at > now,
                    ExamOverride.closes_at > exam.closes_at,
                )
            ).one()  # fmt: skip
            if count:
                from studyhub.timeutil import to_local

                raise InputError(
                    msgn("{n} override of exam {key} keeps a window open until {time}",
                         "{n} overrides of exam {key} keep windows open until {time}",
                         count, key=key, time=to_local(latest).strftime("%Y-%m-%d %H:%M")),
                    hint=msg("close it after that, or first remove them: studyhub exam "
                             "overrides {key} lists them", key=key),
                )  # fmt: skip
        open_ids = list(
            session.scalars(
                sa.select(Attempt.id).where(
                    Attempt.exam_id == exam.id, Attempt.status == "in_progress"
                )
            )
        )
        for attempt_id in open_ids:
            submit_in_session(session, attempt_id, now, reason="closed")
        empty = 0
        if open_ids:
            empty = session.scalar(
                sa.select(sa.func.count()).where(Attempt.id.in_(open_ids), Attempt.answered == 0)
            )
        exam.status = "closed"
        exam.closed_at = now
        record_event(session, actor=actor, action="exam.close", object_type="exam",
                     object_key=key, details={"submitted_on_close": len(open_ids),
                                              "without_answers": empty})  # fmt: skip
    return Closed(len(open_ids), int(empty or 0))


def _spec_json(spec: ExamSpec) -> dict[str, Any]:
    return {
        "key": spec.key, "title": spec.title, "year": spec.year, "kind": spec.kind,
        "makeup_of": spec.makeup_of,
        "opens": spec.opens.isoformat() if spec.opens else None,
        "closes": spec.closes.isoformat() if spec.closes else None,
        "time_limit": int(spec.time_limit.total_seconds()) if spec.time_limit else None,
        "attempts": spec.attempts, "grading": spec.grading, "pass_mark": str(spec.pass_mark),
        "bands": [[n, str(m)] for n, m in spec.bands], "audience": list(spec.audience),
        "scoring": spec.scoring, "shuffle_questions": spec.shuffle_questions,
        "shuffle_options": spec.shuffle_options, "review": spec.review,
        "review_after_close": spec.review_after_close, "paper": spec.paper_json(),
        "practice_pool": spec.practice_pool,
    }  # fmt: skip


def _info(session: Session, exam: Exam) -> ExamInfo:
    import sqlalchemy as sa

    from studyhub.models import Attempt, Department, ExamAudience
    from studyhub.models import Exam as ExamModel

    parent = session.get(ExamModel, exam.parent_id) if exam.parent_id else None
    audience = list(
        session.scalars(
            sa.select(Department.code)
            .join(ExamAudience, ExamAudience.department_id == Department.id)
            .where(ExamAudience.exam_id == exam.id)
            .order_by(Department.code)
        )
    )
    counts = {
        status: count
        for status, count in session.execute(
            sa.select(Attempt.status, sa.func.count())
            .where(Attempt.exam_id == exam.id)
            .group_by(Attempt.status)
        )
    }
    total, questions = paper_total(exam.paper or {})
    return ExamInfo(
        key=exam.key, title=exam.title, year=exam.year, kind=exam.kind, status=exam.status,
        makeup_of=parent.key if parent else None, opens=exam.opens_at, closes=exam.closes_at,
        time_limit_minutes=exam.time_limit_s // 60 if exam.time_limit_s else None,
        attempts=exam.attempts_allowed, grading=exam.grading, pass_mark=exam.pass_mark,
        bands=[(n, Decimal(m)) for n, m in exam.bands], audience=audience,
        scoring=exam.choice_scoring, shuffle_questions=exam.shuffle_questions,
        shuffle_options=exam.shuffle_options, review=exam.review,
        review_after_close=exam.review_after_close, paper=exam.paper or {},
        total_points=total, questions=questions, submitted=counts.get("submitted", 0),
        in_progress=counts.get("in_progress", 0), rules=list((exam.paper or {}).get("rules", [])),
    )  # fmt: skip


def get_exam(database: Database, key: str) -> ExamInfo:
    with database.session(readonly=True) as session:
        return _info(session, exam_by_key(session, key))


def list_exams(database: Database, *, year: int | None = None) -> list[ExamInfo]:
    import sqlalchemy as sa

    from studyhub.models import Exam

    with database.session(readonly=True) as session:
        query = sa.select(Exam).order_by(Exam.year.desc(), Exam.key)
        if year is not None:
            query = query.where(Exam.year == year)
        return [_info(session, exam) for exam in session.scalars(query)]
