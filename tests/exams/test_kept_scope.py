"""The exam scopes kept for the reports (issue 22: a province's rates read one row per person):
a report keeps the scope of the exam and close day it counts, the next reads it, and every
change to the roster, the department tree, an audience or an exemption is followed, so that
what the reports read always equals a recomputation from the roster. ``db check`` compares
them and ``db check --repair`` drops them."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import StudyhubError
from studyhub.exams.definitions import create_exam, update_exam
from studyhub.exams.spec import load_spec
from studyhub.models import Department, KeptScope, KeptScopePerson, Staff, StaffPosting
from studyhub.org.exemptions import add_exemption, remove_exemption
from studyhub.org.roster import add_staff, leave_staff, move_staff
from studyhub.org.roster_version import roster_version
from studyhub.reports.kept_scope import keep_scopes, scope_mismatches
from studyhub.reports.per_person import person_results
from studyhub.reports.rates import rates
from studyhub.reports.scope import exam_scope

KEYS = itertools.count(1)
CLOSES = dt.date(2026, 11, 30)


def _define(database: Database, tmp: Path, key: str, audience: list[str] | None = None) -> None:
    """An exam that closed on 2026-11-30 (its close day is fixed)."""
    path = tmp / f"{key}.yaml"
    text = (f"key: {key}\ntitle: 范围\nyear: 2026\nkind: external\n"
            f"opens: 2026-11-01\ncloses: {CLOSES.isoformat()}\n")  # fmt: skip
    if audience is not None:
        text += f"audience: [{', '.join(audience)}]\n"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    with contextlib.suppress(StudyhubError):
        update_exam(database, spec)
        return
    create_exam(database, spec)


@pytest.fixture
def posted(org: Database) -> Database:
    """The exam tests' organisation with everyone posted since 2020."""
    with org.session() as session:
        for person in session.scalars(sa.select(Staff)):
            session.add(StaffPosting(staff_id=person.id, department_id=person.department_id,
                                     valid_from=dt.date(2020, 1, 1)))  # fmt: skip
    return org


def people(database: Database, key: str) -> list[tuple[Any, ...]]:
    """Each person in scope (number, department code, required, exempt) as the reports
    read them; they equal the recomputation from the roster, and the scope is kept."""
    keep_scopes(database, exam=key)
    with database.session() as session:
        from studyhub.exams.definitions import exam_by_key

        scope = exam_scope(session, exam_by_key(session, key))
        assert scope.kept
        read = sorted(session.execute(person_results(scope)).all())
        scope.kept = False
        assert sorted(session.execute(person_results(scope)).all()) == read
        assert scope_mismatches(session) == []
    return sorted((r.staff_no, r.department_code, r.required, r.exempt) for r in read)


def version(database: Database) -> int:
    with database.session() as session:
        return roster_version(session)


def test_a_report_keeps_the_scope_and_the_next_reads_it(posted: Database, tmp_path: Path) -> None:
    _define(posted, tmp_path, "k1")
    with posted.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(KeptScope)) == 0
    first = [(r.group, r.required) for r in rates(posted, exam="k1", by="department")]
    assert first == [("D1", 1), ("D11", 1), ("D2", 1)]
    with posted.session() as session:
        kept = session.execute(sa.select(KeptScope.close_day, KeptScope.roster_version)).all()
        assert kept == [(CLOSES, roster_version(session))]
        assert session.scalar(sa.select(sa.func.count()).select_from(KeptScopePerson)) == 3
    assert keep_scopes(posted, exam="k1") == 0  # kept already: nothing to do
    assert [(r.group, r.required) for r in rates(posted, exam="k1", by="department")] == first


def test_roster_changes_are_followed(posted: Database, tmp_path: Path) -> None:
    _define(posted, tmp_path, "k1")
    assert people(posted, "k1") == [("S1", "D1", 1, 0), ("S2", "D11", 1, 0), ("S3", "D2", 1, 0)]
    before = version(posted)
    move_staff(posted, "S3", "D1", on="2026-11-15")  # before the close day: counts in D1
    assert version(posted) > before
    assert people(posted, "k1")[2] == ("S3", "D1", 1, 0)
    move_staff(posted, "S1", "D2", on="2026-12-03")  # after it: still D1 for this exam
    assert people(posted, "k1")[0] == ("S1", "D1", 1, 0)
    leave_staff(posted, "S2", on="2026-11-20")  # left before the close without sitting
    assert [p[0] for p in people(posted, "k1")] == ["S1", "S3"]
    add_staff(posted, "S4", "赵六", "D2", in_post_from="2026-11-10")
    assert people(posted, "k1")[-1] == ("S4", "D2", 1, 0)
    add_staff(posted, "S5", "钱七", "D2", in_post_from="2026-12-02")  # joined after the close
    assert "S5" not in [p[0] for p in people(posted, "k1")]


def test_an_exemption_is_written_into_the_kept_scope(posted: Database, tmp_path: Path) -> None:
    _define(posted, tmp_path, "k1")
    people(posted, "k1")
    before = version(posted)
    add_exemption(posted, "S1", "k1", reason="长期病假")
    assert people(posted, "k1")[0] == ("S1", "D1", 0, 1)
    remove_exemption(posted, "S1", "k1")
    assert people(posted, "k1")[0] == ("S1", "D1", 1, 0)
    assert version(posted) == before  # marked in place, not worked out again


def test_audiences_and_the_department_tree_are_followed(posted: Database, tmp_path: Path) -> None:
    _define(posted, tmp_path, "k1", ["D1"])
    required = lambda: [p[0] for p in people(posted, "k1") if p[2]]  # noqa: E731
    assert required() == ["S1", "S2"]  # D1 with its sub-department D11
    _define(posted, tmp_path, "k1", ["D2"])
    assert required() == ["S3"]
    _define(posted, tmp_path, "k1", [])  # the audience cleared: everyone
    assert required() == ["S1", "S2", "S3"]
    _define(posted, tmp_path, "k1", ["D1"])
    assert required() == ["S1", "S2"]
    with posted.session() as session:  # D2 now sits under D1
        d1 = session.scalar(sa.select(Department).where(Department.code == "D1"))
        d2 = session.scalar(sa.select(Department).where(Department.code == "D2"))
        d2.parent_id = d1.id
    assert required() == ["S1", "S2", "S3"]


def test_sign_in_failures_and_renames_keep_the_scope(posted: Database, tmp_path: Path) -> None:
    _define(posted, tmp_path, "k1")
    people(posted, "k1")
    before = version(posted)
    with posted.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "S1"))
        person.name = "张三丰"
        person.failed_logins = 2
    assert version(posted) == before
    assert people(posted, "k1")[0] == ("S1", "D1", 1, 0)


def test_a_database_that_refuses_the_write_is_counted_from_the_roster(
    posted: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studyhub.reports.kept_scope as kept_scope

    def refuse(*_args: Any) -> bool:
        raise sa.exc.OperationalError(
            "INSERT", {}, Exception("attempt to write a readonly database")
        )

    monkeypatch.setattr(kept_scope, "keep_scope", refuse)
    _define(posted, tmp_path, "k1")
    found = [(r.group, r.required) for r in rates(posted, exam="k1", by="department")]
    assert found == [("D1", 1), ("D11", 1), ("D2", 1)]
    with posted.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(KeptScope)) == 0


def test_db_check_finds_a_wrong_kept_scope_and_repair_drops_it(
    posted: Database, tmp_path: Path, db_url: str
) -> None:
    _define(posted, tmp_path, "k1")
    people(posted, "k1")
    runner = CliRunner()
    checked = runner.invoke(cli, ["--db", db_url, "db", "check"])
    assert checked.exit_code == 0 and "考试范围核对" in checked.stdout, checked.output
    with posted.session() as session:  # something wrote the table behind studyhub's back
        s3 = session.scalar(sa.select(Staff.id).where(Staff.staff_no == "S3"))
        session.execute(sa.update(KeptScopePerson).where(KeptScopePerson.staff_id == s3)
                        .values(candidate=0))  # fmt: skip
    checked = runner.invoke(cli, ["--db", db_url, "db", "check"])
    assert checked.exit_code == 1
    assert "1 人在保存的考试统计范围中的部门或应考情况与花名册不符（k1/2026-11-30/S3）" in (
        checked.stderr
    )
    assert "Traceback" not in checked.output
    repaired = runner.invoke(cli, ["--db", db_url, "db", "check", "--repair"])
    assert repaired.exit_code == 0, repaired.stderr
    with posted.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(KeptScope)) == 0
    assert people(posted, "k1")[2] == ("S3", "D2", 1, 0)  # kept again, from the roster


EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.sampled_from(["S1", "S2", "S3"]),
                  st.sampled_from(["D1", "D11", "D2"]), st.integers(-20, 10)),
        st.tuples(st.just("leave"), st.sampled_from(["S1", "S2", "S3"]), st.integers(-20, 10)),
        st.tuples(st.just("join"), st.integers(-20, 10)),
        st.tuples(st.just("exempt"), st.sampled_from(["S1", "S2", "S3"])),
        st.tuples(st.just("audience"), st.sampled_from([[], ["D1"], ["D11"], ["D2"]])),
        st.tuples(st.just("report"), st.integers(0, 0)),
    ),
    max_size=8,
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS)
def test_kept_scopes_equal_a_recomputation(
    posted: Database, tmp_path: Path, events: list[tuple[Any, ...]]
) -> None:
    """Random roster histories around the close day: after each event the scope the reports
    read (kept, or kept again) equals the one worked out from the roster."""
    key = f"p{next(KEYS)}"
    _define(posted, tmp_path, key)
    joined = itertools.count(1)
    for event in events:
        kind = event[0]
        day = lambda offset: (CLOSES + dt.timedelta(days=offset)).isoformat()  # noqa: E731
        with contextlib.suppress(StudyhubError):  # a move before the last one is refused
            if kind == "move":
                move_staff(posted, event[1], event[2], on=day(event[3]))
            elif kind == "leave":
                leave_staff(posted, event[1], on=day(event[2]))
            elif kind == "join":
                add_staff(posted, f"{key}-N{next(joined)}", "新人", "D2",
                          in_post_from=day(event[1]))  # fmt: skip
            elif kind == "exempt":
                try:
                    add_exemption(posted, event[1], key, reason="随机")
                except StudyhubError:
                    remove_exemption(posted, event[1], key)
            elif kind == "audience":
                _define(posted, tmp_path, key, event[1])
        people(posted, key)


def test_a_report_on_a_kept_scope_takes_no_write_lock(
    posted: Database, tmp_path: Path, db_url: str
) -> None:
    """On SQLite a takers' write holds the database's one write lock: a report whose scope
    is kept reads beside it instead of waiting for it."""
    import sqlite3
    import time

    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has no database-wide write lock")
    _define(posted, tmp_path, "k1")
    rates(posted, exam="k1", by="department")  # kept now
    writer = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        found = [(r.group, r.required) for r in rates(posted, exam="k1", by="department")]
        assert time.monotonic() - began < 5  # the busy timeout is 30 s
        assert found == [("D1", 1), ("D11", 1), ("D2", 1)]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_exam_counted_day_after_day_keeps_one_scope(posted: Database, tmp_path: Path) -> None:
    """Progress during the window counts on each day in turn: the scope of the day before
    goes when the next day's is kept (a province's exam would keep a million rows a day)."""
    path = tmp_path / "open.yaml"
    path.write_text("key: k9\ntitle: 无截止\nyear: 2026\nkind: external\nopens: 2026-11-01\n",
                    encoding="utf-8")  # fmt: skip
    create_exam(posted, load_spec(path))
    for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3)):
        assert keep_scopes(posted, exam="k9", today=day) == 1
        found = [(r.group, r.required) for r in rates(posted, exam="k9", by="department",
                                                      today=day)]  # fmt: skip
        assert found == [("D1", 1), ("D11", 1), ("D2", 1)]
    with posted.session() as session:
        assert session.execute(sa.select(KeptScope.close_day)).scalars().all() == [
            dt.date(2026, 12, 3)
        ]
        days = session.execute(sa.select(KeptScopePerson.close_day).distinct()).scalars().all()
        assert days == [dt.date(2026, 12, 3)]


@pytest.fixture
def refreshes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each keep brought a kept scope up to date (True) or worked it out whole
    (False, as the first keep of each always does)."""
    import studyhub.reports.kept_scope as kept_scope

    seen: list[bool] = []
    real = kept_scope._bring_up_to_date

    def spy(*args: Any) -> bool:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(kept_scope, "_bring_up_to_date", spy)
    return seen


def changes(database: Database, after: int = 0) -> list[tuple[Any, ...]]:
    """The logged roster changes of versions above ``after``: (version, staff no, exam id)."""
    from studyhub.models import RosterChange

    with database.session() as session:
        query = (
            sa.select(RosterChange.version, Staff.staff_no, RosterChange.exam_id)
            .outerjoin(Staff, Staff.id == RosterChange.staff_id)
            .where(RosterChange.version > after)
        )
        return sorted((tuple(row) for row in session.execute(query)), key=repr)


def test_a_change_about_a_few_people_works_out_only_them_again(
    posted: Database, tmp_path: Path, refreshes: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    import studyhub.reports.kept_scope as kept_scope

    monkeypatch.setattr(kept_scope, "LOG_KEPT_FOR", dt.timedelta(0))  # forgotten at once
    _define(posted, tmp_path, "k1")
    _define(posted, tmp_path, "k2")
    people(posted, "k1")
    people(posted, "k2")
    assert changes(posted) == []  # every kept scope is current: nothing logged is needed
    move_staff(posted, "S3", "D1", on="2026-11-15")
    assert changes(posted) == [(version(posted), "S3", None)]  # about S3 alone
    assert people(posted, "k1")[2] == ("S3", "D1", 1, 0)
    assert refreshes == [False, False, True]  # k1 brought up to date, S3's row only
    assert changes(posted) != []  # k2 still needs the change
    assert people(posted, "k2")[2] == ("S3", "D1", 1, 0)
    assert refreshes == [False, False, True, True]
    assert changes(posted) == []  # no kept scope needs it any more
    leave_staff(posted, "S2", on="2026-11-20")
    add_staff(posted, "S4", "赵六", "D2", in_post_from="2026-11-10")
    assert [p[0] for p in people(posted, "k1")] == ["S1", "S3", "S4"]
    assert refreshes[-1] is True


def test_a_person_removed_leaves_the_kept_scope(
    posted: Database, tmp_path: Path, refreshes: list[bool]
) -> None:
    _define(posted, tmp_path, "k1")
    assert [p[0] for p in people(posted, "k1")] == ["S1", "S2", "S3"]
    with posted.session() as session:
        session.delete(session.scalar(sa.select(Staff).where(Staff.staff_no == "S2")))
    assert [p[0] for p in people(posted, "k1")] == ["S1", "S3"]
    assert refreshes == [False, True]


def test_an_audience_or_the_tree_works_the_scope_out_whole(
    posted: Database, tmp_path: Path, refreshes: list[bool]
) -> None:
    _define(posted, tmp_path, "k1")
    _define(posted, tmp_path, "k2")
    people(posted, "k1")
    people(posted, "k2")
    _define(posted, tmp_path, "k1", ["D2"])  # k1's audience: k1 whole, k2 untouched
    assert [p[0] for p in people(posted, "k1") if p[2]] == ["S3"]
    assert people(posted, "k2") and refreshes == [False, False, False, True]
    before = version(posted)
    with posted.session() as session:  # a new department: nobody's scope changes
        d2 = session.scalar(sa.select(Department).where(Department.code == "D2"))
        session.add(Department(code="D21", name="新科室", parent_id=d2.id))
    assert version(posted) == before
    move_staff(posted, "S1", "D21", on="2026-11-15")  # moved into it: counted under D2
    assert [p[0] for p in people(posted, "k1") if p[2]] == ["S1", "S3"]
    assert refreshes[-1] is True
    with posted.session() as session:  # D2 under D1: the tree, everyone's scope
        d1 = session.scalar(sa.select(Department).where(Department.code == "D1"))
        session.scalar(sa.select(Department).where(Department.code == "D2")).parent_id = d1.id
    assert changes(posted)[-1][1:] == (None, None)
    people(posted, "k2")
    assert refreshes[-1] is False


def test_a_change_about_many_people_is_logged_as_one_about_everyone(
    posted: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refreshes: list[bool]
) -> None:
    import studyhub.org.roster_version as roster

    monkeypatch.setattr(roster, "MAX_LISTED", 1)
    _define(posted, tmp_path, "k1")
    people(posted, "k1")
    start = version(posted)
    with posted.session() as session:  # one transaction about two people
        for person in session.scalars(sa.select(Staff).where(Staff.staff_no.in_(["S1", "S2"]))):
            person.in_post_to = dt.date(2026, 11, 20)
    assert changes(posted, after=start) == [(version(posted), None, None)]
    assert [p[0] for p in people(posted, "k1") if p[2]] == ["S3"]
    assert refreshes == [False, False]


def test_a_change_is_kept_a_while_for_the_scopes_being_kept_meanwhile(
    posted: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL another report may be keeping a scope of an older version while this
    one forgets the changes no kept scope it sees needs: they stay for LOG_KEPT_FOR."""
    import studyhub.reports.kept_scope as kept_scope
    from studyhub.models import RosterChange

    _define(posted, tmp_path, "k1")
    people(posted, "k1")
    start = version(posted)
    move_staff(posted, "S3", "D1", on="2026-11-15")
    people(posted, "k1")  # k1 up to date: no kept scope needs the change any more
    assert changes(posted, after=start) == [(version(posted), "S3", None)]  # an hour young
    with posted.session() as session:  # an hour and a minute later
        session.execute(sa.update(RosterChange).values(
            logged_at=dt.datetime.now(dt.UTC) - kept_scope.LOG_KEPT_FOR
            - dt.timedelta(minutes=1)))  # fmt: skip
    move_staff(posted, "S1", "D2", on="2026-11-15")
    assert people(posted, "k1")[0] == ("S1", "D2", 1, 0)
    assert changes(posted) == [(version(posted), "S1", None)]  # the old ones forgotten
