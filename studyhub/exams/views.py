"""What a taker sees of an attempt, and what they get back after submitting.

Views carry stems and options only; an answer key appears in a result's review items only as
the exam's review setting allows, after submission.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.exams import grading
from studyhub.i18n import msg, msgn
from studyhub.letters import remap
from studyhub.render import printable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.models import Attempt, Exam

__all__ = [
    "LETTERS",
    "AttemptResult",
    "AttemptView",
    "ItemView",
    "ReviewItem",
    "attempt_result",
    "attempt_view",
    "items_of",
    "parse_response",
]

LETTERS = "ABCDEFGH"


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
    #: the question version shown (its citation reads the law's version it was written for)
    version_id: int | None = None


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
    #: questions with an answer saved when it was submitted: an attempt with 0 does not
    #: count when the person has another attempt with answers (None: imported)
    answered: int | None = None


def items_of(session: Session, attempt_id: int) -> list[tuple[Any, Any]]:
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


def _printable_key(key: Any) -> Any:
    """A judge key as it is; a fill key (accepted answers per blank) with every text shown
    escaped."""
    if isinstance(key, list):
        return [_printable_key(part) for part in key]
    return printable(key) if isinstance(key, str) else key


def shown(item: Any, version: Any) -> tuple[list[str], Any]:
    """Options in the order shown (control characters shown escaped, never acting on the
    terminal), and the saved response in shown terms."""
    order = item.option_order or list(range(len(version.options or [])))
    options = [printable(version.options[i]) for i in order]
    response = item.response
    if response is not None and version.type in ("single", "multiple"):
        response = sorted(order.index(i) for i in response)
    return options, response


def attempt_view(session: Session, attempt: Attempt, exam: Exam, now: dt.datetime) -> AttemptView:
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
        options, response = shown(row, row)
        items.append(ItemView(row.position, row.type, printable(row.stem), options, row.points,
                              response, row.answered_at, bool(row.flagged)))  # fmt: skip
    return AttemptView(
        attempt.id, exam.key, printable(exam.title), attempt.number, attempt.status,
        attempt.started_at,
        attempt.deadline, now, items, attempt.max_score or Decimal(0),
    )  # fmt: skip


_TRUE = {"对", "正确", "√", "✓", "t", "true", "y", "yes", "是", "a"}
_FALSE = {"错", "错误", "×", "✗", "f", "false", "n", "no", "否", "b"}


def parse_response(item: ItemView, text: str) -> Any:
    """A typed answer (``B``, ``ACD``, ``对``, blank texts separated by ``;``) in shown terms;
    raises InputError when it does not fit the question."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise InputError(msg("empty answer"))
    if item.type in ("single", "multiple"):
        letters = [ch for ch in raw.upper() if ch not in " ,、;"]
        count = len(item.options)
        valid = LETTERS[:count]
        if not letters or any(ch not in valid for ch in letters):
            raise InputError(
                msg("answer with option letters {first}-{last}", first=valid[0], last=valid[-1])
            )
        indexes = sorted({valid.index(ch) for ch in letters})
        if item.type == "single" and len(indexes) != 1:
            raise InputError(msg("a single-choice question takes one letter"))
        return indexes
    if item.type == "judge":
        word = raw.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InputError(msg("answer 对 or 错 (also T/F)"))
    parts = [p.strip() for p in raw.replace("；", ";").split(";")]
    if len(parts) != item.blanks:
        raise InputError(
            msgn("give {n} answer separated by ;", "give {n} answers separated by ;", item.blanks)
        )
    return parts


def review_level(exam: Exam, now: dt.datetime, closes: dt.datetime | None = None) -> str:
    """What the taker may see now: "score", "wrong" or "full". ``closes`` is when the last
    window closes (an override may keep someone sitting after the exam's own close: the
    keys stay hidden until then); default the exam's close."""
    if exam.review_after_close:
        closes = exam.closes_at if closes is None else closes
        closed = exam.status == "closed" or (closes is not None and now >= closes)
        if not closed:
            return "score"
    return exam.review


def attempt_result(
    session: Session, attempt: Attempt, exam: Exam, now: dt.datetime
) -> AttemptResult:
    from studyhub.exams.limits import last_close

    level = review_level(exam, now, last_close(session, exam) if exam.review_after_close else None)
    score = attempt.score or Decimal(0)
    total = attempt.max_score or Decimal(0)
    bands = [(name, Decimal(minimum)) for name, minimum in exam.bands]
    outcome = AttemptResult(
        attempt.id, exam.key, attempt.number, score, total, grading.percent(score, total),
        bool(attempt.passed), grading.band_for(score, total, bands),
        attempt.submitted_at or now, attempt.submit_reason or "taker", level,
        answered=attempt.answered,
    )  # fmt: skip
    if level == "score":
        return outcome
    for item, version in items_of(session, attempt.id):
        options, response = shown(item, version)
        awarded = item.awarded or Decimal(0)
        correct = awarded == item.points
        if level == "wrong" and correct:
            continue
        if version.type == "fill" and response is not None:
            response = [printable(str(text)) for text in response]
        review = ReviewItem(item.position, version.type, printable(version.stem), options,
                            item.points, awarded, correct, response,
                            version_id=version.id)  # fmt: skip
        if level == "full" or not correct:
            order = item.option_order or list(range(len(version.options or [])))
            explanation = version.explanation or ""
            if version.type in ("single", "multiple"):
                review.key = sorted(order.index(i) for i in version.answer)
                explanation = remap(explanation, order)  # letters as the options were shown
            else:
                review.key = _printable_key(version.answer)
            review.explanation = printable(explanation)
            review.source = printable(version.source or "")
        outcome.items.append(review)
    return outcome
