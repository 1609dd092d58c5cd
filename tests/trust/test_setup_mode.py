"""Setup mode cannot come back: the first PIN goes to an admin, and the last admin who can
sign in is never demoted or let go by a roster change."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.admin import auth
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import PermissionDenied
from studyhub.models import Department, Staff


def run(db_url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def admin(database: Database, db_url: str) -> str:
    code, _, err = run(db_url, "init", "--admin", "A1", "--pin-stdin", input="246810\n")
    assert code == 0, err
    with database.session() as session:
        session.add(Department(code="D01", name="办公室"))
    code, _, err = run(db_url, "login", "--staff", "A1", "--pin-stdin", input="246810\n")
    assert code == 0, err
    return db_url


def roster(tmp_path: Path, role: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(
        f"工号,姓名,部门,角色\nA1,管理员,D01,{role}\nE1,张三,D01,职工\n", encoding="utf-8"
    )
    return path


def test_a_roster_import_cannot_demote_the_last_admin(
    admin: str, database: Database, tmp_path: Path
) -> None:
    code, _, err = run(admin, "staff", "import", str(roster(tmp_path, "职工")))
    assert code == 1
    assert "leave no admin who can sign in (A1 is the last one)" in err
    with database.session() as session:
        assert session.query(Staff).filter_by(staff_no="A1").one().role == "admin"
        assert session.query(Staff).filter_by(staff_no="E1").count() == 0  # all or nothing
    code, _, err = run(admin, "staff", "import", str(roster(tmp_path, "管理员")))
    assert code == 0, err


def test_the_last_admin_cannot_leave(admin: str, database: Database, tmp_path: Path) -> None:
    assert run(admin, "staff", "import", str(roster(tmp_path, "管理员")))[0] == 0
    code, _, err = run(admin, "staff", "leave", "A1", "--on", "2099-12-31")
    assert code == 1 and "A1 is the last one" in err
    # with a second admin who can sign in, the first may go
    auth.set_pin(database, "E1", "135792", must_change=False)
    with database.session() as session:
        session.query(Staff).filter_by(staff_no="E1").one().role = "admin"
    code, _, err = run(admin, "staff", "leave", "A1", "--on", "2099-12-31")
    assert code == 0, err


def test_setup_mode_does_not_come_back(admin: str, database: Database) -> None:
    """Even with no admin at all left (changed behind studyhub's back), commands still need
    a sign-in: setup mode ends with the first PIN."""
    with database.session() as session:
        session.query(Staff).filter_by(staff_no="A1").one().role = "employee"
    run(admin, "logout")
    code, _, err = run(admin, "bank", "list")
    assert code == 1 and "sign in first" in err


def test_the_first_pin_goes_to_an_admin(database: Database) -> None:
    with database.session() as session:
        session.add(Staff(staff_no="E1", name="张三"))
    with pytest.raises(PermissionDenied, match="the first PIN goes to an admin"):
        auth.set_pin(database, "E1", "135792")


def test_init_after_practising_as_the_demo_person(db_url: str, database: Database) -> None:
    """README's order: practice first (a demo person), then init; the demo person and their
    practice history are retired."""
    import sqlalchemy as sa

    from studyhub.models import PracticeAnswer

    practice = ["practice", "--plain", "--yes", "--count", "1", "--type", "single"]
    result = CliRunner().invoke(cli, ["--db", db_url, *practice], input="A\n")
    assert result.exit_code == 0, result.output
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 1
    code, _, err = run(db_url, "init", "--admin", "0001", "--pin-stdin", input="246810\n")
    assert code == 0, err
    with database.session() as session:
        assert [s.staff_no for s in session.scalars(sa.select(Staff))] == ["0001"]
        assert session.scalar(sa.select(sa.func.count()).select_from(PracticeAnswer)) == 0


def test_init_with_a_department_and_the_roster_placing_the_admin(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    with database.session() as session:
        session.add(Department(code="D01", name="办公室"))
    code, _, err = run(
        db_url, "init", "--admin", "A1", "--dept", "D01", "--pin-stdin", input="246810\n"
    )
    assert code == 0, err
    with database.session() as session:
        assert session.query(Staff).filter_by(staff_no="A1").one().department_id is not None


def test_a_roster_import_places_an_admin_without_a_department(
    admin: str, database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        assert session.query(Staff).filter_by(staff_no="A1").one().department_id is None
    assert run(admin, "staff", "import", str(roster(tmp_path, "管理员")))[0] == 0
    code, out, err = run(admin, "staff", "list", "--format", "json")
    assert code == 0, err
    assert '"D01"' in out and '"A1"' in out
    code, _, err = run(admin, "staff", "move", "E1", "--to", "D01", "--on", "2026-12-31")
    assert code == 1 and "already in D01" in err  # the usual rules from here on


def test_db_check_finds_people_without_a_department(admin: str, tmp_path: Path) -> None:
    code, _, err = run(admin, "db", "check")
    assert code == 1 and "1 staff without a department (A1)" in err
    assert run(admin, "staff", "import", str(roster(tmp_path, "管理员")))[0] == 0
    code, _, err = run(admin, "db", "check")
    assert code == 0, err


def test_a_roster_that_places_the_admin_with_a_last_day_before_on(
    admin: str, database: Database, tmp_path: Path
) -> None:
    """Found in review: the admin made by init (never posted), listed with 在岗止 before
    --on, raised a bare ValueError."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "工号,姓名,部门,角色,在岗止\nA1,管理员,D01,管理员,2026-01-31\nE1,张三,D01,职工,\n",
        encoding="utf-8",
    )
    code, _, err = run(admin, "staff", "import", str(path), "--on", "2026-06-01")
    assert code == 1 and "field 在岗止" in err and "give 在岗起" in err
    assert "Traceback" not in err
