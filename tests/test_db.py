from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database, db_now, open_database
from studyhub.errors import DatabaseError
from studyhub.models import Department, StudyActivity
from tests.conftest import BACKEND

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite pragmas")


@sqlite_only
def test_sqlite_pragmas(database: Database) -> None:
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


@sqlite_only
def test_sqlite_write_transactions_take_the_lock_at_begin(database: Database) -> None:
    # BEGIN IMMEDIATE: once a unit of work has begun, no other writer can start one.
    import sqlite3

    path = database.engine.url.database
    with database.engine.connect() as first:
        first.begin()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        first.rollback()
    # a read-only unit of work does not hold the write lock
    with database.engine.connect().execution_options(readonly=True) as reader:
        reader.begin()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), database.session() as session:
        session.add(Department(code="X", name="x", parent_id=999))
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Department)) == 0


def test_db_now_is_aware_utc_and_close_to_clock(database: Database) -> None:
    with database.session() as session:
        now = db_now(session)
    assert now.tzinfo is dt.UTC
    assert abs((dt.datetime.now(dt.UTC) - now).total_seconds()) < 5


def test_hundredths_and_utc_datetimes_round_trip(database: Database) -> None:
    with database.session() as session:
        session.add(
            StudyActivity(
                kind="seminar",
                title="民法典专题研讨",
                held_on=dt.date(2026, 3, 5),
                hours=Decimal("1.5"),
            )
        )
        session.add(Department(code="A", name="办公室"))
    with database.session() as session:
        activity = session.scalars(sa.select(StudyActivity)).one()
        assert activity.hours == Decimal("1.50")
        stored = session.execute(sa.text("SELECT hours FROM study_activities")).scalar()
        assert stored == 150
        department = session.scalars(sa.select(Department)).one()
        assert department.created_at.tzinfo is dt.UTC


def test_json_columns_store_chinese_as_written(database: Database) -> None:
    """JSON columns (options, answers, audit details) hold Chinese as UTF-8 text, not as
    \\uXXXX escapes (half the bytes), and read it back the same."""
    from studyhub.models import AuditEvent

    with database.session() as session:
        session.add(
            AuditEvent(
                at=db_now(session), actor="0001", action="test", details={"选项": "《史记》"}
            )
        )
    with database.session() as session:
        stored = session.execute(sa.text("SELECT CAST(details AS TEXT) FROM audit_events")).scalar()
        event = session.scalars(sa.select(AuditEvent)).one()
    assert "《史记》" in stored and "\\u" not in stored
    assert event.details == {"选项": "《史记》"}


def test_naive_datetime_is_refused(database: Database) -> None:
    from studyhub.models import Staff

    with pytest.raises(sa.exc.StatementError, match="naive datetime"), database.session() as s:
        s.add(Staff(staff_no="1", name="张三", locked_until=dt.datetime(2026, 1, 1)))


def test_missing_directory_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as info:
        open_database(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    assert info.value.reason == (
        f"cannot open database sqlite:///{tmp_path}/no/such/dir/x.db: "
        f"directory {tmp_path}/no/such/dir does not exist"
    )


def test_default_database_creates_app_dir(app_home: Path) -> None:
    assert not app_home.exists()
    database = open_database()
    try:
        assert (app_home / "studyhub.db").exists()
    finally:
        database.dispose()


def test_unwritable_location_is_a_database_error() -> None:
    # /proc accepts no new files, not even from root
    with pytest.raises(DatabaseError) as info:
        open_database("sqlite:////proc/studyhub-test.db")
    assert info.value.reason == (
        "cannot open database sqlite:////proc/studyhub-test.db: unable to open database file"
    )


def test_unreachable_postgres_hides_password() -> None:
    with pytest.raises(DatabaseError) as info:
        open_database("postgresql+psycopg://u:s3cr3t-pw@127.0.0.1:1/x")
    assert "s3cr3t-pw" not in info.value.reason
    assert info.value.reason.startswith(
        "cannot open database postgresql+psycopg://u:***@127.0.0.1:1/x: "
    )
    assert "\n" not in info.value.reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("nonsense", "invalid database URL nonsense"),
        ("mysql://a:pw@h/d", "unsupported database mysql://a:***@h/d"),
    ],
)
def test_bad_urls(url: str, reason: str) -> None:
    with pytest.raises(DatabaseError) as info:
        open_database(url)
    assert info.value.reason == reason


def test_postgres_scheme_is_routed_to_psycopg3() -> None:
    from studyhub.db import normalise_url

    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"


def test_session_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.session() as session:
        session.add(Department(code="A", name="办公室"))
        session.flush()
        raise RuntimeError("boom")
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Department)) == 0


def test_prepare_threshold_in_the_url_is_checked() -> None:
    from studyhub.db import create_engine

    with pytest.raises(DatabaseError) as info:
        create_engine("postgresql://u:pw@h/d?prepare_threshold=soon")
    assert info.value.reason == (
        "invalid database URL postgresql+psycopg://u:***@h/d?prepare_threshold=soon: "
        "prepare_threshold must be a number or none"
    )
    engine = create_engine("postgresql://u@h/d?prepare_threshold=none&application_name=x")
    assert "prepare_threshold" not in str(engine.url)  # psycopg gets it as an argument
    assert engine.url.query == {"application_name": "x"}


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL prepared statements")
def test_prepare_threshold_none_prepares_nothing_on_the_server(db_url: str) -> None:
    """For PgBouncer in transaction mode (before 1.21): no server-side prepared statements."""
    from studyhub.db import create_engine

    for query, expected in (("", True), ("?prepare_threshold=none", False)):
        engine = create_engine(db_url + query)
        with engine.connect() as connection:
            for _ in range(8):  # psycopg prepares a statement from its 6th execution
                connection.execute(sa.text("SELECT count(*) FROM departments"))
            prepared = connection.execute(
                sa.text("SELECT count(*) FROM pg_prepared_statements")
            ).scalar_one()
        engine.dispose()
        assert bool(prepared) is expected, query
