"""Files are private: the database and its companions, backups, exports 0600; the app dir
0700, whatever the user's umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_default_database_and_app_dir_are_private(app_home: Path, open_umask: None) -> None:
    result = CliRunner().invoke(cli, ["bank", "list"])
    assert result.exit_code == 0, result.output
    assert mode(app_home) == 0o700
    database = app_home / "studyhub.db"
    assert mode(database) == 0o600
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{database}{suffix}")
        if companion.exists():
            assert mode(companion) == 0o600, suffix


def test_backups_and_exports_are_private(tmp_path: Path, open_umask: None) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", url, "bank", "list"]).exit_code == 0
    assert mode(tmp_path / "live.db") == 0o600
    result = runner.invoke(cli, ["--db", url, "db", "backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "copy.db") == 0o600
    result = runner.invoke(
        cli, ["--db", url, "report", "study", "--year", "2026", "--format", "csv",
              "-o", str(tmp_path / "study.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "study.csv") == 0o600
