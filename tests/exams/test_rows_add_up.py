"""The department rows of ``report rates`` always add up to the total: over random rosters
with moves, leavers, sub-departments, people without a department yet and a demo person."""

from __future__ import annotations

import datetime as dt
import random

from studyhub.admin.firstrun import DEMO_STAFF_NO
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.models import Department, Staff, StaffPosting
from studyhub.reports.rates import rates
from tests.exams.conftest import BASE_SPEC, Define

FIELDS = ("required", "participants", "passed", "excellent", "exempt")


def _roster(database: Database, rng: random.Random, round_no: int) -> list[str]:
    today = dt.date.today()
    numbers = []
    with database.session() as session:
        departments = list(session.query(Department))
        for n in range(rng.randint(3, 12)):
            number = f"R{round_no}-{n}"
            kind = rng.random()
            person = Staff(staff_no=number, name=f"人{n}")
            session.add(person)
            session.flush()
            if kind < 0.1:
                numbers.append(number)  # no department yet (the first admin before a roster)
                continue
            first = rng.choice(departments)
            start = today - dt.timedelta(days=rng.randint(30, 400))
            posting = StaffPosting(staff_id=person.id, department_id=first.id, valid_from=start)
            session.add(posting)
            person.department_id, person.in_post_from = first.id, start
            if kind < 0.4:  # moved
                second = rng.choice(departments)
                on = start + dt.timedelta(days=rng.randint(1, 25))
                posting.valid_to = on
                session.add(StaffPosting(staff_id=person.id, department_id=second.id,
                                         valid_from=on))  # fmt: skip
                person.department_id = second.id
            elif kind < 0.55:  # left
                last = start + dt.timedelta(days=rng.randint(1, 20))
                posting.valid_to = last + dt.timedelta(days=1)
                person.in_post_to = last
            numbers.append(number)
        if round_no == 0:
            session.add(Staff(staff_no=DEMO_STAFF_NO, name="演示用户"))
            numbers.append(DEMO_STAFF_NO)
    return numbers


def test_department_rows_add_up_to_the_total(org: Database, define: Define) -> None:
    rng = random.Random(20261207)
    define(BASE_SPEC)
    sitters: list[str] = []
    for round_no in range(6):
        people = _roster(org, rng, round_no)
        for number in rng.sample(people, k=len(people) // 2):
            if number in sitters:
                continue
            try:
                view = attempts.start_attempt(org, "e1", number)
            except Exception:
                continue
            attempts.submit(org, view.attempt_id, number)
            sitters.append(number)
        total = rates(org, exam="e1", by="none")
        rows = rates(org, exam="e1", by="department")
        assert len(total) == 1
        for field in FIELDS:
            assert sum(getattr(row, field) for row in rows) == getattr(total[0], field), (
                round_no,
                field,
            )
        assert total[0].required >= 3  # the org fixture's people at least
