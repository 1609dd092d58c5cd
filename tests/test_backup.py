"""studyhub db backup / restore / check: a backup restored into a new file gives identical
reports; a backup taken while others write is one consistent snapshot; bad input is refused
with one line and touches nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub import migrate
from studyhub.admin import backup as backups
from studyhub.admin.auth import set_pin
from studyhub.cli import cli
from studyhub.db import Database, create_engine, open_database
from studyhub.errors import InputError
from tests.conftest import BACKEND
from tests.test_scenario_bureau import build_bureau, cli_ok

REPORTS = [
    ("report", "rates", "--year", "2026"),
    ("report", "rates", "--year", "2026", "--by", "department", "--format", "json"),
    ("report", "scores", "fxzx-2026", "--format", "csv"),
    ("report", "absentees", "fxzx-2026"),
    ("report", "ranking", "--year", "2026"),
    ("report", "study", "--year", "2026", "--format", "json"),
    ("report", "annual", "--year", "2026", "--format", "json"),
    ("staff", "list"),
]


def cli_run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def bureau_with_results(tmp_path: Path) -> str:
    """The 60-person bureau with a year of study and an exam's results, in a SQLite file."""
    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    people = build_bureau(url, tmp_path)
    exam = tmp_path / "fxzx.yaml"
    exam.write_text("key: fxzx-2026\ntitle: 2026年度法宣在线学法考试\nyear: 2026\nkind: external\n"
                    "opens: 2026-11-01\ncloses: 2026-11-30\n", encoding="utf-8")  # fmt: skip
    cli_ok(url, "exam", "create", str(exam))
    lines = ["工号,成绩,提交时间"] + [
        f"{no},{55 + n % 40},2026-11-2{n % 9} 10:00"
        for n, (no, _, _) in enumerate(people)
        if no not in ("0058", "0057")
    ]
    results = tmp_path / "fxzx.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli_ok(url, "exam", "import-results", "fxzx-2026", str(results))
    cli_ok(url, "exempt", "add", "0059", "--exam", "fxzx-2026", "--reason", "长期病假")
    return url


def reports_of(url: str, args: tuple[str, ...]) -> str:
    """A report, without the line naming the database it comes from."""
    return "\n".join(line for line in cli_ok(url, *args).splitlines() if "Source: " not in line)


def reports(url: str) -> list[str]:
    return [reports_of(url, args) for args in REPORTS]


def test_backup_then_restore_gives_identical_reports(tmp_path: Path) -> None:
    url = bureau_with_results(tmp_path)
    before = reports(url)
    assert "2026年度法宣在线学法考试" in before[0] and "0057" in before[3]  # with content
    copy = tmp_path / "backup" / "bureau-2026.db"
    copy.parent.mkdir()
    out = cli_ok(url, "db", "backup", str(copy))
    assert f"Backup written to {copy}" in out and "Integrity check:" in out
    assert copy.read_bytes()[:16] == b"SQLite format 3\x00"

    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    out = cli_ok(restored, "db", "restore", str(copy))
    assert "Restored into" in out and "all checks passed" in out
    assert "attempts:" in out and "staff:" in out
    assert reports(restored) == before
    out = cli_ok(restored, "db", "check")
    assert "All checks passed" in out and "Foreign key problems: 0" in out
    # the backup is a single file: no journal beside it
    assert not Path(f"{copy}-wal").exists()


def test_backup_while_a_writer_holds_a_transaction(database_file: Database) -> None:
    """The online backup does not wait for writers and copies only what is committed."""
    path = Path(database_file.engine.url.database or "")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO departments (code, name) VALUES ('UNCOMMITTED', 'x')")
    try:
        report = backups.backup(database_file, path.with_name("snap.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert report.ok and report.counts["departments"] == 1
    with sqlite3.connect(path.with_name("snap.db")) as copy:
        codes = [r[0] for r in copy.execute("SELECT code FROM departments")]
    assert codes == ["D1"]


@pytest.fixture
def database_file(tmp_path: Path) -> Database:
    database = open_database(f"sqlite:///{tmp_path / 'live.db'}")
    with database.transaction() as connection:
        connection.exec_driver_sql("INSERT INTO departments (code, name) VALUES ('D1', '办公室')")
    return database


def test_backup_refuses_to_overwrite_and_to_copy_onto_itself(
    database_file: Database, tmp_path: Path
) -> None:
    url = database_file.engine.url.render_as_string()
    target = tmp_path / "taken.db"
    target.write_bytes(b"keep me")
    code, _, err = cli_run(url, "db", "backup", str(target))
    assert code != 0 and "taken.db exists" in err and "Traceback" not in err
    assert target.read_bytes() == b"keep me"
    assert cli_run(url, "db", "backup", str(target), "--force")[0] == 0
    assert target.read_bytes()[:6] == b"SQLite"
    code, _, err = cli_run(url, "db", "backup", str(tmp_path / "live.db"))
    assert code != 0 and "is the database;" in err
    code, _, err = cli_run(url, "db", "backup", str(tmp_path / "no" / "dir.db"))
    assert code != 0 and "does not exist" in err
    assert not list(tmp_path.glob(".*backup*"))  # no scratch file left behind


def test_restore_into_a_database_with_data_needs_replace_and_keeps_it(
    database_file: Database, tmp_path: Path
) -> None:
    backups.backup(database_file, tmp_path / "one.db")
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    with other.transaction() as connection:
        connection.exec_driver_sql("INSERT INTO departments (code, name) VALUES ('X9', '其他')")
    other.dispose()
    url = f"sqlite:///{tmp_path / 'other.db'}"
    code, _, err = cli_run(url, "db", "restore", str(tmp_path / "one.db"))
    assert code != 0 and "already holds a database" in err and "--replace" in err
    out = cli_ok(url, "db", "restore", str(tmp_path / "one.db"), "--replace")
    [kept] = tmp_path.glob("other.db.before-restore-*")
    assert str(kept) in out
    with sqlite3.connect(kept) as old, sqlite3.connect(tmp_path / "other.db") as new:
        assert [r[0] for r in old.execute("SELECT code FROM departments")] == ["X9"]
        assert [r[0] for r in new.execute("SELECT code FROM departments")] == ["D1"]
    with sqlite3.connect(tmp_path / "other.db") as new:
        assert new.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_what_is_not_a_good_backup(tmp_path: Path, database_file: Database) -> None:
    target = f"sqlite:///{tmp_path / 'new.db'}"
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    code, _, err = cli_run(target, "db", "restore", str(text))
    assert code != 0 and "notes.txt is not a SQLite database file" in err
    code, _, err = cli_run(target, "db", "restore", str(tmp_path / "missing.db"))
    assert code != 0 and "no backup file" in err

    good = tmp_path / "good.db"
    backups.backup(database_file, good)
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page + 16, len(data), page):  # garble every page after the first
        data[offset : offset + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    code, _, err = cli_run(target, "db", "restore", str(damaged))
    assert code != 0 and "damaged.db" in err and "Traceback" not in err

    unknown = tmp_path / "future.db"
    backups.backup(database_file, unknown)
    with sqlite3.connect(unknown) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    code, _, err = cli_run(target, "db", "restore", str(unknown))
    assert code != 0 and "schema revision 9999" in err
    with sqlite3.connect(tmp_path / "new.db") as connection:  # nothing was restored
        tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        assert tables.fetchone()[0] == 0


def test_an_older_backup_is_upgraded_on_restore(tmp_path: Path) -> None:
    old = open_database(f"sqlite:///{tmp_path / 'old.db'}", upgrade=False)
    migrate.upgrade(old, "0004")
    backups.backup(old, tmp_path / "old-backup.db")
    old.dispose()
    target = open_database(f"sqlite:///{tmp_path / 'new.db'}", upgrade=False)
    report = backups.restore(target, tmp_path / "old-backup.db")
    assert report.upgraded_from == "0004" and report.revision == migrate.head_revision()
    assert report.ok


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    database = Database(create_engine("postgresql+psycopg://u@127.0.0.1:1/x"))
    with pytest.raises(InputError) as info:
        backups.backup(database, tmp_path / "x.db")
    assert "SQLite file" in info.value.reason and "pg_dump" in (info.value.hint or "")


def test_check_finds_a_broken_foreign_key(database_file: Database) -> None:
    path = Path(database_file.engine.url.database or "")
    with sqlite3.connect(path) as connection:  # foreign keys are off in a bare connection
        connection.execute(
            "INSERT INTO staff (staff_no, name, role, department_id) "
            "VALUES ('Z1', '某', 'employee', 99)"
        )
    report = backups.check(database_file)
    assert not report.ok and "refers to a missing row of departments" in str(report.problems()[0])
    url = database_file.engine.url.render_as_string()
    code, out, err = cli_run(url, "db", "check")
    assert code == 1 and "Foreign key problems: 1" in out and "missing row" in err


@pytest.mark.skipif(BACKEND != "postgresql", reason="a PostgreSQL read replica")
def test_reports_run_on_a_read_only_replica(db_url: str, tmp_path: Path) -> None:
    """Reports only read, so they can run on a hot standby (default_transaction_read_only
    stands in for one here) and give the primary's figures."""
    import sqlalchemy as sa

    build_bureau(db_url, tmp_path)
    database = open_database(db_url)
    with database.session() as session:  # 0001 becomes the admin, with a PIN
        session.execute(sa.text("UPDATE staff SET role = 'admin' WHERE staff_no = '0001'"))
    set_pin(database, "0001", "246810", actor="test", must_change=False)
    database.dispose()
    result = CliRunner().invoke(
        cli, ["--db", db_url, "login", "--staff", "0001", "--pin-stdin"], input="246810\n"
    )
    assert result.exit_code == 0, result.stderr
    before = [cli_ok(db_url, *args) for args in REPORTS if "fxzx-2026" not in args]
    engine = create_engine(db_url).execution_options(isolation_level="AUTOCOMMIT")
    name = engine.url.database
    with engine.connect() as connection:
        connection.execute(
            sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        )
    engine.dispose()
    try:
        code, _, err = cli_run(db_url, "dept", "add", "ZZ", "只读")
        assert code != 0 and "read-only" in err  # it really is read-only
        # signed in on the primary: the saved session is valid on the replica too
        assert [cli_ok(db_url, *args) for args in REPORTS if "fxzx-2026" not in args] == before
    finally:
        engine = create_engine(db_url).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("SET default_transaction_read_only = off"))
            connection.execute(
                sa.text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
            )
        engine.dispose()


def test_check_reports_revision_and_counts_on_either_backend(database: Database) -> None:
    report = backups.check(database)
    assert report.ok and report.revision == migrate.head_revision()
    assert report.integrity == ("ok" if database.dialect == "sqlite" else None)
    assert report.counts["staff"] == 0 and "attempts" in report.counts


@pytest.mark.skipif(BACKEND != "postgresql", reason="pg_dump and pg_restore")
def test_pg_dump_and_pg_restore_give_identical_reports(db_url: str, tmp_path: Path) -> None:
    """The PostgreSQL backup docs/deployment.md describes, end to end."""
    import subprocess

    import sqlalchemy as sa

    from tests.faults.cluster import find_pg_bindir

    bindir = find_pg_bindir()
    assert bindir is not None, "PostgreSQL's client programs are needed"
    build_bureau(db_url, tmp_path)
    before = [reports_of(db_url, args) for args in REPORTS if "fxzx-2026" not in args]
    url = sa.engine.make_url(db_url)
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "studyhub.dump"
    subprocess.run([bindir / "pg_dump", "-Fc", "-f", dump, "-d", libpq], check=True)
    restored = f"{url.database}_restored"
    admin = create_engine(db_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{restored}"'))
    try:
        target = url.set(database=restored)
        subprocess.run(
            [bindir / "pg_restore", "--no-owner", "-d",
             target.set(drivername="postgresql").render_as_string(hide_password=False), dump],
            check=True,
        )  # fmt: skip
        restored_url = target.render_as_string(hide_password=False)
        assert "All checks passed" in cli_ok(restored_url, "db", "check")
        assert [
            reports_of(restored_url, args) for args in REPORTS if "fxzx-2026" not in args
        ] == before
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'))
        admin.dispose()
