"""`report progress` reads each list's first people from the departments that hold them: the
rates by department say how many people of each list a department has, so the lists need
not read the rest of a province. Whatever the cut, the lists are the whole lists' first
people; a cut made from figures that are out of date is read again in full."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from studyhub.db import Database
from studyhub.models import Attempt, Department, Exam, Exemption, Staff, StaffPosting
from studyhub.reports import people as people_module
from studyhub.reports.people import first_lists, people_lists
from studyhub.reports.rates import rates
from studyhub.timeutil import LOCAL_TZ

KINDS = ["absentees", "not_passed", "failed", "exempt", "scores"]


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} 10:00").replace(tzinfo=LOCAL_TZ)


@pytest.fixture(params=[7, 2025])
def roster(request: pytest.FixtureRequest, database: Database) -> Database:
    """Twelve departments (two empty, codes not in id order), 90 people spread unevenly:
    some sat once or twice, some passed, some exempt, a few in post after the close."""
    rng = random.Random(request.param)
    with database.session() as s:
        codes = [f"D{n:02d}" for n in range(12)]
        rng.shuffle(codes)  # ids and codes in different orders
        departments = [Department(code=code, name=f"科室{code}") for code in codes]
        s.add_all(departments)
        exam = Exam(key="fx", title="学法考试", year=2025, kind="exam",
                    opens_at=at("2025-11-01"), closes_at=at("2025-12-31"),
                    pass_mark=Decimal(60), bands=[["优秀", "90"], ["合格", "60"]], paper={},
                    grading="highest", attempts_allowed=2)  # fmt: skip
        s.add(exam)
        s.flush()
        filled = [d for d in departments if d.code not in ("D03", "D09")]
        for n in range(90):
            department = rng.choice(filled[: rng.randint(1, len(filled))])  # uneven sizes
            staff = Staff(staff_no=f"S{rng.randint(0, 10**6):07d}-{n}", name=f"人员{n}",
                          department_id=department.id,
                          in_post_from=dt.date(2026, 2, 1) if n % 23 == 0 else None)  # fmt: skip
            s.add(staff)
            s.flush()
            s.add(StaffPosting(staff_id=staff.id, department_id=department.id,
                               valid_from=dt.date(2020, 1, 1)))  # fmt: skip
            if rng.random() < 0.1:
                s.add(Exemption(exam_id=exam.id, staff_id=staff.id, reason="病假"))
            for number in range(1, rng.choice([0, 1, 1, 2]) + 1):
                value = Decimal(rng.choice(["40", "59.99", "60", "75", "95"]))
                s.add(Attempt(exam_id=exam.id, staff_id=staff.id, number=number,
                              status="submitted", origin="imported", started_at=at("2025-11-20"),
                              submitted_at=at("2025-11-20"), submit_reason="imported",
                              score=value, max_score=Decimal(100), percent=value,
                              passed=value >= 60, seed=0))  # fmt: skip
        # a department of exempt people only: required 0, exempt 2, rates "-"
        exempt_only = Department(code="D99", name="科室D99")
        s.add(exempt_only)
        s.flush()
        for n in range(2):
            staff = Staff(staff_no=f"X{n}", name=f"免考{n}", department_id=exempt_only.id)
            s.add(staff)
            s.flush()
            s.add(StaffPosting(staff_id=staff.id, department_id=exempt_only.id,
                               valid_from=dt.date(2020, 1, 1)))  # fmt: skip
            s.add(Exemption(exam_id=exam.id, staff_id=staff.id, reason="借调"))
    return database


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The departments each call of people_lists read up to (None: all of them)."""
    seen: list[str | None] = []
    real = people_module.people_lists

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("through"))
        return real(*args, **kwargs)

    monkeypatch.setattr(people_module, "people_lists", spy)
    return seen


def test_the_first_people_of_each_list_whatever_the_cut(
    roster: Database, readings: list[str | None]
) -> None:
    by_department = rates(roster, exam="fx", by="department")
    whole = people_lists(roster, "fx", KINDS)
    assert all(whole[kind] for kind in KINDS)
    longest = max(len(found) for found in whole.values())
    for limit in range(1, longest + 2):
        readings.clear()
        for kinds in (KINDS, ["absentees", "not_passed"], ["exempt"]):
            found = first_lists(roster, "fx", kinds, by_department, limit=limit)
            assert found == {kind: whole[kind][:limit] for kind in kinds}, (limit, kinds)
        assert len(readings) == 3  # never read twice: the figures are up to date
    # small limits read only the first departments, everything needs every department
    readings.clear()
    first_lists(roster, "fx", ["absentees"], by_department, limit=1)
    first_lists(roster, "fx", KINDS, by_department, limit=longest + 1)
    codes = [row.group for row in by_department]
    assert readings[0] is not None and codes.index(readings[0]) < len(codes) - 1
    assert readings[1] is None


def test_figures_out_of_date_make_the_lists_read_again_in_full(
    roster: Database, readings: list[str | None]
) -> None:
    """Figures read before people sat (or left) promise more people in the first departments
    than there are now: the lists come out short and are read again, whole."""
    by_department = rates(roster, exam="fx", by="department")
    whole = people_lists(roster, "fx", ["absentees", "not_passed"])
    stale = [dataclasses.replace(row, participants=0, passed=0) for row in by_department]
    stale[0] = dataclasses.replace(stale[0], required=stale[0].required + 50)
    readings.clear()
    found = first_lists(roster, "fx", ["absentees", "not_passed"], stale, limit=20)
    assert found == {kind: whole[kind][:20] for kind in found}
    assert readings[0] == stale[0].group and readings[1] is None


def test_progress_on_the_command_line_lists_the_same_people(roster: Database) -> None:
    import json

    from click.testing import CliRunner

    from studyhub.cli import cli

    url = roster.engine.url.render_as_string(hide_password=False)
    whole = people_lists(roster, "fx", ["absentees", "not_passed"])
    for limit in (1, 4, 17):
        args = ["report", "progress", "fx", "--limit", str(limit), "--format", "json"]
        result = CliRunner().invoke(cli, ["--db", url, "--lang", "en", *args])
        assert result.exit_code == 0, result.output
        tables = json.loads(result.stdout)["tables"]
        absent = next(t for t in tables if "did not sit" in t["title"])
        assert [r["staff_no"] for r in absent["rows"]] == [
            p.staff_no for p in whole["absentees"][:limit]
        ]


def test_rates_add_up_the_people_behind_them(roster: Database) -> None:
    """The rates fold per department the sums of the exempt and the other people: each
    figure equals the count over the per-person rows, the average is their exact mean
    truncated and the score sum exact."""
    import sqlalchemy as sa

    from studyhub.reports.per_person import person_results
    from studyhub.reports.scope import exam_scope

    with roster.session(readonly=True) as session:
        exam = session.scalars(sa.select(Exam).where(Exam.key == "fx")).one()
        people = session.execute(person_results(exam_scope(session, exam))).all()
    expected: dict[str, list[Any]] = {}
    for p in people:
        sums = expected.setdefault(p.department_code, [0, 0, 0, 0, 0, []])
        for i, flag in enumerate((p.required, p.participated, p.passed, p.excellent, p.exempt)):
            sums[i] += flag
        if p.participated:
            sums[5].append(int(p.pct))
    rows = rates(roster, exam="fx", by="department")
    only_exempt = next(row for row in rows if row.group == "D99")
    assert (only_exempt.required, only_exempt.exempt, only_exempt.participation_rate) == (
        0, 2, None)  # fmt: skip
    assert all(type(row.score_sum) is int for row in rows)
    for row in rows:
        required, participants, passed, excellent, exempt, scores = expected.get(
            row.group, [0, 0, 0, 0, 0, []]
        )
        assert (row.required, row.participants, row.passed, row.excellent, row.exempt) == (
            required, participants, passed, excellent, exempt)  # fmt: skip
        assert row.score_sum == sum(scores)
        assert row.average == (Decimal(sum(scores) // len(scores)) / 100 if scores else None)
        assert row.highest == (Decimal(max(scores)) / 100 if scores else None)
    [whole] = rates(roster, exam="fx")
    assert whole.required == sum(r.required for r in rows) and whole.score_sum == sum(
        r.score_sum for r in rows
    )


def test_the_rates_query_reads_on_an_older_sqlite(roster: Database) -> None:
    """The rates use plain aggregates: no FILTER clause (SQLite reads them from 3.30 on;
    Debian 10 and the systems built on it have 3.27)."""
    import sqlalchemy as sa

    from studyhub.reports.rates import rates_select
    from studyhub.reports.scope import exam_scope

    with roster.session(readonly=True) as session:
        exam = session.scalars(sa.select(Exam).where(Exam.key == "fx")).one()
        scope = exam_scope(session, exam)
        for by, sub in (("none", False), ("department", False), ("department", True)):
            sql = str(rates_select(scope, by, include_subdepartments=sub).compile(roster.engine))
            assert "FILTER" not in sql.upper(), by
