"""Results of exams sat elsewhere (e.g. 法宣在线), imported as submitted attempts.

Columns: 工号/staff_no, 成绩/score (a percentage, or points with ``max_score``), 提交时间/
submitted_at (ISO 8601 or ``YYYY-MM-DD HH:MM:SS``; Asia/Shanghai unless an offset is given),
次数/attempt (optional). One transaction: every row is checked first and nothing is written
if any is wrong. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.errors import InputError, LocatedError, MultipleErrors
from studyhub.exams import grading
from studyhub.i18n import msg
from studyhub.tabular import Column, ReadThenWrite, Row, read_rows

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["ResultsSummary", "import_results"]

#: the largest attempt number a results file may give (a typo guard)
MAX_ATTEMPT_NUMBER = 100

COLUMNS = [
    Column("staff_no", ("工号", "staff_no", "职工号", "人员编号"), required=True),
    Column("name", ("姓名", "name")),
    Column("score", ("成绩", "score", "分数", "得分"), required=True),
    Column("submitted_at", ("提交时间", "submitted_at", "交卷时间", "考试时间"), required=True),
    Column("attempt", ("次数", "attempt", "考试次数")),
    Column("department", ("部门", "单位", "department")),
]


@dataclass
class ResultsSummary:
    exam: str
    rows: int
    added: int
    unchanged: int


@dataclass
class _Parsed:
    row: Row
    staff_id: int
    score: Decimal
    submitted_at: dt.datetime
    number: int | None


def import_results(
    database: Database,
    exam_key: str,
    path: str | Path,
    *,
    max_score: Decimal | None = None,
    actor: str = "system",
    progress: Callable[[int, int], None] | None = None,
) -> ResultsSummary:
    """Record the rows of a results file as submitted attempts of ``exam_key``."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.exams.definitions import exam_by_key
    from studyhub.models import Attempt
    from studyhub.org.lookups import staff_ids_by_number

    if max_score is not None and max_score <= 0:
        raise InputError(msg("--max-score must be above 0"))
    total = max_score if max_score is not None else Decimal(100)
    errors: list[LocatedError] = []
    with database.session() as session:
        exam = exam_by_key(session, exam_key)
        if exam.kind == "practice":
            raise InputError(
                msg("{exam} is a practice exam; practice results are not imported", exam=exam_key)
            )
        phases = ReadThenWrite(progress)
        rows = list(read_rows(path, COLUMNS, progress=phases.reading))
        numbers = {r.text("staff_no") for r in rows}
        staff_ids = staff_ids_by_number(session, numbers)
        parsed: list[_Parsed] = []
        seen: dict[tuple[int, object], int] = {}
        for row in rows:
            item = _parse_row(row, staff_ids, total, errors)
            if item is None:
                continue
            key = (item.staff_id, item.number if item.number is not None else item.submitted_at)
            if key in seen:
                errors.append(row.error("staff_no", msg("duplicate of row {row}", row=seen[key])))
                continue
            seen[key] = row.number
            parsed.append(item)
        if errors:
            raise MultipleErrors(errors, what=str(path))
        existing: dict[int, list[Attempt]] = {}
        for attempt in session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id)):
            existing.setdefault(attempt.staff_id, []).append(attempt)
        added = unchanged = 0
        for done, item in enumerate(sorted(parsed, key=lambda p: (p.staff_id, p.submitted_at)), 1):
            phases.written(done, len(parsed))
            mine = existing.setdefault(item.staff_id, [])
            match = next(
                (a for a in mine
                 if (item.number is not None and a.number == item.number)
                 or (item.number is None and a.submitted_at == item.submitted_at)),
                None,
            )  # fmt: skip
            if match is not None:
                if match.score == item.score and match.submitted_at == item.submitted_at and \
                        match.max_score == total:  # fmt: skip
                    unchanged += 1
                    continue
                errors.append(item.row.error(
                    "score",
                    msg("attempt {number} of {staff_no} is already recorded with score {score} "
                        "at {time:%Y-%m-%d %H:%M} UTC", number=match.number,
                        staff_no=item.row.text("staff_no"), score=match.score,
                        time=match.submitted_at),
                ))  # fmt: skip
                continue
            number = item.number or max((a.number for a in mine), default=0) + 1
            attempt = Attempt(
                exam_id=exam.id, staff_id=item.staff_id, number=number, status="submitted",
                origin="imported", started_at=item.submitted_at, submitted_at=item.submitted_at,
                submit_reason="imported", score=item.score, max_score=total,
                percent=grading.percent(item.score, total),
                passed=grading.passed(item.score, total, exam.pass_mark), seed=0,
            )  # fmt: skip
            session.add(attempt)
            mine.append(attempt)
            added += 1
        if errors:
            raise MultipleErrors(errors, what=str(path))
        session.flush()  # the results that count follow (studyhub.exams.counted)
        details = {"file": str(path), "added": added, "unchanged": unchanged}
        record_event(session, actor=actor, action="exam.import_results", object_type="exam",
                     object_key=exam_key, details=details)  # fmt: skip
    return ResultsSummary(exam_key, len(rows), added, unchanged)


def _parse_row(
    row: Row, staff_ids: dict[str, int], total: Decimal, errors: list[LocatedError]
) -> _Parsed | None:
    ok = True
    staff_no = row.text("staff_no")
    staff_id = staff_ids.get(staff_no)
    if not staff_no:
        errors.append(row.error("staff_no", msg("missing staff number")))
        ok = False
    elif staff_id is None:
        errors.append(
            row.error("staff_no", msg("unknown staff number {staff_no}", staff_no=staff_no))
        )
        ok = False
    score: Decimal | None = None
    try:
        score = Decimal(row.text("score").rstrip("%").strip())
        if not score.is_finite() or not Decimal(0) <= score <= total:
            problem = msg("score {score} is out of range 0-{total}", score=row.text("score"),
                          total=total)  # fmt: skip
            errors.append(row.error("score", problem))
            ok = False
    except InvalidOperation:
        errors.append(
            row.error("score", msg("score {score!r} is not a number", score=row.text("score")))
        )
        ok = False
    submitted: dt.datetime | None = None
    raw_time = row.raw("submitted_at")
    try:
        if isinstance(raw_time, dt.datetime):
            from studyhub.timeutil import LOCAL_TZ

            submitted = raw_time if raw_time.tzinfo else raw_time.replace(tzinfo=LOCAL_TZ)
        else:
            from studyhub.timeutil import parse_datetime

            submitted = parse_datetime(row.text("submitted_at"))
    except ValueError:
        problem = msg("{value!r} is not a time (write 2026-11-20 14:30:00)",
                      value=row.text("submitted_at"))  # fmt: skip
        errors.append(row.error("submitted_at", problem))
        ok = False
    number = None
    if row.text("attempt"):
        try:
            given = Decimal(row.text("attempt"))
            if not given.is_finite() or given != given.to_integral_value():
                raise InvalidOperation
            if not 1 <= given <= MAX_ATTEMPT_NUMBER:
                raise InvalidOperation
            number = int(given)
        except InvalidOperation:
            problem = msg("attempt {value!r} is not 1, 2, 3...", value=row.text("attempt"))
            errors.append(row.error("attempt", problem))
            ok = False
    if not ok or staff_id is None or score is None or submitted is None:
        return None
    return _Parsed(
        row, staff_id, score.quantize(Decimal("0.01")), submitted.astimezone(dt.UTC), number
    )
