"""Mock exams (模拟考试): a paper drawn by an existing exam's rules, sat against its time
limit and graded by its points, scoring, pass mark and bands, that counts nowhere.

A mock writes no attempt: no attempt rows, no attempt used, nothing in any rate. Its
answers are practice answers: once graded they are recorded as practice is (one
transaction) and the wrong ones go into the wrong-answer book. Practice's guards hold: no
mock while the person sits an exam, none of an open exam whose practice pool is closed,
and no question of any closed pool on the paper.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError, PermissionDenied
from studyhub.i18n import msg
from studyhub.practice.book import review
from studyhub.practice.drill import (
    PracticeItem,
    shown_explanation,
    shown_key,
    shown_terms,
    staff_id_of,
)
from studyhub.practice.guard import closed_pool_filter, refuse_during_an_attempt
from studyhub.render import printable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Exam

__all__ = ["MockExam", "MockPaper", "MockResult", "draw_mock", "grade_mock", "mock_exams"]


@dataclass
class MockExam:
    """An exam a mock can be drawn from."""

    key: str
    title: str
    year: int
    questions: int
    points: Decimal
    time_limit: dt.timedelta | None


@dataclass
class MockPaper:
    exam_key: str
    title: str
    items: list[PracticeItem]
    points: list[Decimal]
    time_limit: dt.timedelta | None
    pass_mark: Decimal
    bands: list[tuple[str, Decimal]]
    scoring: str

    @property
    def total(self) -> Decimal:
        return sum(self.points, Decimal(0))


@dataclass
class MockReviewItem:
    position: int
    item: PracticeItem
    points: Decimal
    awarded: Decimal
    correct: bool
    #: the response and the key in shown terms (None: not answered)
    response: Any
    key: Any
    explanation: str
    source: str


@dataclass
class MockResult:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool
    band: str | None
    items: list[MockReviewItem] = field(default_factory=list)
    #: wrong answers recorded in the wrong-answer book
    into_book: int = 0


def _closed_now(exam: Exam, now: dt.datetime) -> bool:
    """Whether the exam keeps its pool out of practice now (open, practice_pool closed)."""
    return (
        exam.status == "open"
        and (exam.closes_at is None or exam.closes_at > now)
        and (exam.spec or {}).get("practice_pool") == "closed"
    )


def _paper_size(paper: dict[str, Any]) -> tuple[int, Decimal]:
    from studyhub.exams import fixed_questions

    if paper.get("fixed"):
        fixed = fixed_questions(paper)
        return len(fixed), sum((points for _, points in fixed), Decimal(0))
    rules = paper.get("rules", [])
    return (
        sum(int(r["count"]) for r in rules),
        sum((Decimal(str(r["points"])) * int(r["count"]) for r in rules), Decimal(0)),
    )


def mock_exams(database: Database, staff_no: str) -> list[MockExam]:
    """The exams with a paper that a mock may be drawn from now, the newest first (open
    exams whose practice pool is closed are left out until they close)."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams import has_paper
    from studyhub.models import Exam

    with database.session(readonly=True) as session:
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id_of(session, staff_no), now)
        exams = session.scalars(
            sa.select(Exam).order_by(Exam.year.desc(), Exam.opens_at.desc(), Exam.key)
        ).all()
        found = []
        for exam in exams:
            if not has_paper(exam.paper) or _closed_now(exam, now):
                continue
            questions, points = _paper_size(exam.paper)
            limit = dt.timedelta(seconds=exam.time_limit_s) if exam.time_limit_s else None
            found.append(
                MockExam(exam.key, printable(exam.title), exam.year, questions, points, limit)
            )
    return found


def _practisable(session: Session, now: dt.datetime) -> Any:
    """The ids of the questions practice may show now."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion

    return (
        sa.select(Question.id)
        .join(
            QuestionVersion,
            sa.and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.version == Question.current_version,
            ),
        )
        .where(Question.status == "ready", closed_pool_filter(session, now))
    )


def _draw_ids(
    session: Session, exam: Exam, now: dt.datetime, rng: random.Random
) -> list[tuple[int, Decimal]]:
    """(question id, points) of a paper by the exam's rules (or its fixed questions),
    drawn only from the questions practice may show."""
    import sqlalchemy as sa

    from studyhub.exams import fixed_questions
    from studyhub.exams.paper import candidates, fixed_versions
    from studyhub.exams.spec import PaperRule
    from studyhub.models import Question

    allowed = _practisable(session, now)
    paper = exam.paper or {}
    if paper.get("fixed"):
        fixed = fixed_questions(paper)
        ids = [qid for qid, _, _ in fixed_versions(session, [external for external, _ in fixed])]
        open_ids = set(session.scalars(allowed.where(Question.id.in_(ids))))
        if len(open_ids) < len(set(ids)):
            raise PermissionDenied(
                msg(
                    "some questions of exam {exam} are kept out of practice while another "
                    "exam is open",
                    exam=exam.key,
                )
            )
        return [(qid, points) for qid, (_, points) in zip(ids, fixed, strict=True)]
    drawn: list[tuple[int, Decimal]] = []
    used: set[int] = set()
    for index, data in enumerate(paper.get("rules", []), start=1):
        rule = PaperRule.from_json(data)
        pool = candidates(rule).where(Question.id.in_(allowed.scalar_subquery()))
        ids = [qid for qid in session.scalars(sa.select(pool.subquery().c.id)) if qid not in used]
        if len(ids) < rule.count:
            raise InputError(
                msg(
                    "a mock of exam {exam} needs {count} questions by rule {index} ({rule}); "
                    "{available} are open to practice now",
                    exam=exam.key,
                    count=rule.count,
                    index=index,
                    rule=rule.describe(),
                    available=len(ids),
                ),
                hint=msg("an open exam may keep its questions out of practice until it closes"),
            )
        picked = rng.sample(sorted(ids), rule.count)
        used.update(picked)
        drawn.extend((qid, rule.points) for qid in picked)
    return drawn


def draw_mock(
    database: Database, staff_no: str, exam_key: str, *, seed: int | None = None
) -> MockPaper:
    """A mock paper by ``exam_key``'s rules: questions and options in the exam's shuffling,
    no key."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams import has_paper
    from studyhub.models import Exam, Question, QuestionVersion
    from studyhub.practice.drill import practice_item

    rng = random.Random(seed)
    with database.session(readonly=True) as session:
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id_of(session, staff_no), now)
        exam = session.scalar(sa.select(Exam).where(Exam.key == exam_key))
        if exam is None:
            raise NotFoundError(
                msg("no exam {exam}", exam=exam_key),
                hint=msg("studyhub practice shows the exams to choose from"),
            )
        if not has_paper(exam.paper):
            raise InputError(msg("exam {exam} has no paper to draw a mock from", exam=exam.key))
        if _closed_now(exam, now):
            raise PermissionDenied(
                msg(
                    "exam {exam} keeps its questions out of practice while it is open; a mock "
                    "of it opens when it closes",
                    exam=exam.key,
                )
            )
        drawn = _draw_ids(session, exam, now, rng)
        rows = {
            row.question_id: row
            for row in session.execute(
                sa.select(
                    QuestionVersion.id.label("version_id"),
                    Question.id.label("question_id"),
                    Question.external_id,
                    QuestionVersion.type,
                    QuestionVersion.stem,
                    QuestionVersion.options,
                )
                .join(
                    QuestionVersion,
                    sa.and_(
                        QuestionVersion.question_id == Question.id,
                        QuestionVersion.version == Question.current_version,
                    ),
                )
                .where(Question.id.in_([qid for qid, _ in drawn]))
            )
        }
        if exam.shuffle_questions:
            rng.shuffle(drawn)
        items = [practice_item(rows[qid], rng, exam.shuffle_options) for qid, _ in drawn]
        limit = dt.timedelta(seconds=exam.time_limit_s) if exam.time_limit_s else None
        bands = [(str(name), Decimal(str(low))) for name, low in exam.bands or []]
        return MockPaper(
            exam.key,
            printable(exam.title),
            items,
            [p for _, p in drawn],
            limit,
            Decimal(exam.pass_mark),
            bands,
            exam.choice_scoring,
        )


def grade_mock(
    database: Database, staff_no: str, paper: MockPaper, responses: dict[int, Any]
) -> MockResult:
    """Grade a mock: ``responses`` in shown terms by position (0-based; missing: not
    answered). The answers given are recorded as practice answers, and the book updated,
    in one transaction; no attempt is written."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams import grading
    from studyhub.models import PracticeAnswer, QuestionVersion

    with database.session() as session:
        staff_id = staff_id_of(session, staff_no)
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id, now)
        ids = [item.version_id for item in paper.items]
        versions = {
            v.id: v
            for v in session.scalars(sa.select(QuestionVersion).where(QuestionVersion.id.in_(ids)))
        }
        allowed = set(
            session.scalars(
                _practisable(session, now)
                .where(QuestionVersion.id.in_(ids))
                .with_only_columns(QuestionVersion.id)
            )
        )
        if not allowed.issuperset(ids):
            raise PermissionDenied(
                msg("this question is kept out of practice while an exam is open")
            )
        result = MockResult(Decimal(0), paper.total, Decimal(0), False, None)
        for position, (item, points) in enumerate(zip(paper.items, paper.points, strict=True)):
            version = versions[item.version_id]
            given = responses.get(position)
            canonical = None if given is None else shown_terms(version, item, given)
            weights = None
            if version.extra and "weights" in version.extra:
                weights = [Decimal(w) for w in version.extra["weights"]]
            awarded = grading.award(
                version.type,
                version.answer,
                canonical,
                points,
                scoring=paper.scoring,
                weights=weights,
            )
            correct = awarded == points.quantize(grading.CENT)
            if canonical is not None:
                full = grading.is_correct(version.type, version.answer, canonical)
                session.add(
                    PracticeAnswer(
                        staff_id=staff_id,
                        question_version_id=version.id,
                        response=canonical,
                        correct=full,
                        source="practice",
                        answered_at=now,
                    )
                )
                entry = review(session, staff_id, item.question_id, full, now)
                result.into_book += (not full) and entry is not None
            result.score += awarded
            result.items.append(
                MockReviewItem(
                    position + 1,
                    item,
                    points,
                    awarded,
                    correct,
                    given,
                    shown_key(version, item),
                    shown_explanation(version, item),
                    printable(version.source or ""),
                )
            )
    result.percent = grading.percent(result.score, result.max_score)
    result.passed = grading.passed(result.score, result.max_score, paper.pass_mark)
    result.band = grading.band_for(result.score, result.max_score, paper.bands)
    return result
