"""The ``studyhub report`` group: registration, help, output options."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from studyhub.cli import COMMANDS, cli
from studyhub.errors import InputError


def test_report_is_registered_with_help() -> None:
    assert "report" in [name for name, _, _ in COMMANDS]
    for args in (["report"], ["report", "study"], ["report", "items"]):
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0 and "用法： " in result.stdout
        result = CliRunner().invoke(cli, ["--lang", "en", *args, "--help"])
        assert result.exit_code == 0 and "Usage: " in result.stdout
    result = CliRunner().invoke(cli, ["report", "study", "--help"])
    for option in ("--year", "--by", "--required-hours", "--format", "--output"):
        assert option in result.stdout


def test_xlsx_refuses_a_terminal(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from studyhub.cli import report_cmd

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    fake = io.TextIOWrapper(terminal)
    monkeypatch.setattr(report_cmd.sys, "stdout", fake)
    with pytest.raises(InputError, match="xlsx output is a binary file") as caught:
        report_cmd.emit([], "xlsx", None)
    assert "--output" in (caught.value.hint or "")
    assert terminal.getvalue() == b""
    report_cmd.emit([], "csv", None)
    fake.flush()
    assert terminal.getvalue() == "\ufeff".encode()


def test_xlsx_to_a_pipe(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "report", "study", "--year", "2026", "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"PK")
