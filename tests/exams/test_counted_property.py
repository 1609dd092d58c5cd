"""The kept results equal a recomputation from the attempts over random histories (issue 22,
item 2): attempts of any score, with and without answers, before and after the close; own
closes given by person and by department; the close moved later; every grading method. After
each event, ``db check``'s comparison finds nothing, and the rates read from the kept rows
equal the rates worked out from the attempts."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.db import Database
from studyhub.errors import StudyhubError
from studyhub.exams.counted import results_mismatches
from studyhub.exams.definitions import create_exam, update_exam
from studyhub.exams.overrides import set_override
from studyhub.exams.spec import load_spec
from studyhub.models import Attempt, Exam, Staff
from studyhub.reports.per_person import person_results
from studyhub.reports.scope import exam_scope

CLOSE = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)  # 2026-12-01 00:00 in Shanghai
PEOPLE = ["S1", "S2", "S3"]
KEYS = itertools.count(1)

EVENTS = st.lists(
    st.one_of(
        # an attempt: its percentage, hours after the close (negative: before), no answers
        st.tuples(
            st.just("attempt"),
            st.sampled_from(PEOPLE),
            st.integers(0, 10000),
            st.integers(-72, 72),
            st.booleans(),
        ),
        # an own close, days after the exam's (a person's, or a department's)
        st.tuples(st.just("override"), st.sampled_from([*PEOPLE, "D1", "D2"]), st.integers(-2, 4)),
        # the exam's close moves later by some days
        st.tuples(st.just("later"), st.integers(1, 3)),
    ),
    max_size=10,
)


def _spec(tmp: Path, key: str, grading: str, closes: dt.date) -> Any:
    path = tmp / f"{key}.yaml"
    path.write_text(
        f"key: {key}\ntitle: 随机\nyear: 2026\nkind: external\ngrading: {grading}\n"
        f"opens: 2026-11-01\ncloses: {closes.isoformat()}\n",
        encoding="utf-8",
    )
    return load_spec(path)


def _same(database: Database, key: str) -> None:
    with database.session() as session:
        assert results_mismatches(session) == []
        exam = session.scalar(sa.select(Exam).where(Exam.key == key))
        scope = exam_scope(session, exam)
        from_table = sorted(session.execute(person_results(scope, names=False)).all())
        scope.until = CLOSE + dt.timedelta(days=400)  # counting as of a late day: from attempts
        assert sorted(session.execute(person_results(scope, names=False)).all()) == from_table


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(grading=st.sampled_from(["highest", "first", "last", "average"]), events=EVENTS)
def test_kept_results_equal_a_recomputation(
    org: Database, tmp_path: Path, grading: str, events: list[tuple[Any, ...]]
) -> None:  # fmt: skip
    key = f"h{next(KEYS)}"
    closes = dt.date(2026, 11, 30)
    create_exam(org, _spec(tmp_path, key, grading, closes))
    numbers = dict.fromkeys(PEOPLE, 0)
    for event in events:
        if event[0] == "attempt":
            _, staff_no, percent, hours, empty = event
            numbers[staff_no] += 1
            when = CLOSE + dt.timedelta(hours=hours)
            value = Decimal(percent) / 100
            with org.session() as session:
                exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == key))
                staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == staff_no))
                session.add(Attempt(
                    exam_id=exam_id, staff_id=staff_id, number=numbers[staff_no],
                    status="submitted", origin="local", started_at=when, submitted_at=when,
                    submit_reason="taker", score=value, max_score=Decimal(100), percent=value,
                    passed=value >= 60, seed=0, answered=0 if empty else 5,
                ))  # fmt: skip
        elif event[0] == "override":
            _, who, days = event
            own = f"{(closes + dt.timedelta(days=days)).isoformat()} 12:00"
            person = who if who.startswith("S") else None
            # narrowing an override someone sat under is refused: then nothing changes
            with contextlib.suppress(StudyhubError):
                set_override(org, key, person, department=None if person else who, closes=own,
                             reason="随机")  # fmt: skip
        else:
            closes += dt.timedelta(days=event[1])
            update_exam(org, _spec(tmp_path, key, grading, closes))
        _same(org, key)
    _same(org, key)
