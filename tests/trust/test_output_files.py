"""No output file may be the database, its companion files, or the app dir's session and
config files (issue: an export once overwrote the live database)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.config import SESSION_FILE_NAME
from studyhub.errors import InputError
from studyhub.fileio import atomic_output, check_output

#: these tests compare the English wording (the stable one, for scripts)
pytestmark = pytest.mark.usefixtures("english")


def sqlite_file(db_url: str) -> Path | None:
    return Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite") else None


def run(db_url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", db_url, *args])


@pytest.fixture
def bank(db_url: str, tmp_path: Path) -> str:
    path = tmp_path / "b.yaml"
    path.write_text(
        "bank: {key: demo}\nquestions:\n  - {id: q1, type: judge, stem: 一, answer: true}\n",
        encoding="utf-8",
    )
    assert run(db_url, "bank", "import", str(path)).exit_code == 0
    return "demo"


def targets(db_url: str, app_home: Path) -> list[Path]:
    found = [app_home / SESSION_FILE_NAME, app_home / "config.toml"]
    database = sqlite_file(db_url)
    if database is not None:
        found += [Path(f"{database}{s}") for s in ("", "-wal", "-shm", "-journal")]
    return found


def test_report_and_export_refuse_every_protected_file(
    db_url: str, bank: str, app_home: Path
) -> None:
    app_home.mkdir(parents=True, exist_ok=True)
    (app_home / SESSION_FILE_NAME).write_text("{}", encoding="utf-8")
    database = sqlite_file(db_url)
    before = database.read_bytes() if database else None
    for target in targets(db_url, app_home):
        for args in (
            ["report", "rates", "--year", "2026", "--format", "csv", "-o", str(target)],
            ["bank", "export", bank, "-o", str(target)],
        ):
            result = run(db_url, *args)
            assert result.exit_code == 1, (args, result.output)
            assert "give another output file" in result.stderr, result.stderr
            assert "Traceback" not in result.output
    if database is not None:
        assert database.read_bytes()[:100] == before[:100]  # type: ignore[index]
        assert run(db_url, "bank", "list").exit_code == 0  # still a working database
    session = app_home / SESSION_FILE_NAME
    assert not session.exists() or session.read_text(encoding="utf-8") == "{}"


def test_the_database_under_another_name(db_url: str, bank: str, tmp_path: Path) -> None:
    database = sqlite_file(db_url)
    if database is None:
        pytest.skip("a SQLite file")
    link = tmp_path / "link.db"
    link.symlink_to(database)
    relative = os.path.relpath(database, Path.cwd())
    hard = tmp_path / "hard.db"
    os.link(database, hard)
    for name in (str(link), relative, str(hard)):
        result = run(db_url, "bank", "export", bank, "-o", name)
        assert result.exit_code == 1 and "is the database" in result.stderr, name


def test_backup_refuses_the_session_file(db_url: str, app_home: Path) -> None:
    if sqlite_file(db_url) is None:
        pytest.skip("db backup copies a SQLite file")
    result = run(db_url, "db", "backup", str(app_home / SESSION_FILE_NAME))
    assert result.exit_code == 1 and "session file" in result.stderr
    result = run(db_url, "db", "backup", str(sqlite_file(db_url)) + "-wal", "--force")
    assert result.exit_code == 1 and "wal file" in result.stderr


def test_chart_refuses_the_database(db_url: str, bank: str) -> None:
    database = sqlite_file(db_url)
    if database is None:
        pytest.skip("a SQLite file")
    result = run(db_url, "report", "rates", "--year", "2026", "--chart", str(database))
    assert result.exit_code == 1 and "is the database" in result.stderr


def test_the_helper_through_the_library(db_url: str, app_home: Path, tmp_path: Path) -> None:
    from studyhub.db import open_database

    open_database(db_url)
    for target in targets(db_url, app_home):
        with pytest.raises(InputError, match="give another output file"):
            check_output(target)
        with pytest.raises(InputError), atomic_output(target) as stream:
            stream.write(b"x")
    assert check_output(tmp_path / "fine.csv") == (tmp_path / "fine.csv").resolve()
