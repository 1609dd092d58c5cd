"""The command line: registry, help, error boundary, config and db commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from studyhub.cli import COMMANDS, cli
from studyhub.migrations import HEAD


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None, name
        found.append((name, command))
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                found.append((f"{name} {sub}", command.get_command(ctx, sub)))  # type: ignore[arg-type]
    return found


def test_every_registered_command_loads_and_has_help(english: None) -> None:
    for name, command in all_commands():
        assert command.help, f"studyhub {name} has no help"
        code, out, _ = run(*name.split(), "--help")
        assert code == 0
        assert "Usage: " in out


def test_root_help_lists_the_registry(english: None) -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name, _, help_text in COMMANDS:
        assert name in out
        assert help_text.split()[0] in out


def test_registry_help_matches_the_commands(english: None) -> None:
    ctx = click.Context(cli)
    for name, _, help_text in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        first = (command.help or "").strip().splitlines()[0].rstrip(".")
        assert help_text.rstrip(".").split()[0] == first.split()[0], name


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from studyhub.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = ('sqlalchemy', 'alembic', 'questionary', 'openpyxl', 'yaml', 'tabulate')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_python_dash_m(english: None) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "studyhub", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: " in out.stdout and "db" in out.stdout


def test_config_shows_paths_and_source(app_home: Path) -> None:
    code, out, _ = run("--lang", "en", "config")
    assert code == 0
    assert f"App dir:       {app_home}" in out
    assert f"Database:      sqlite:///{app_home / 'studyhub.db'}" in out
    assert "default" in out
    assert "not found" in out


def test_config_masks_password_and_names_flag() -> None:
    code, out, _ = run("--db", "postgresql://u:topsecret@h/d", "config")
    assert code == 0
    assert "topsecret" not in out
    assert "postgresql://u:***@h/d" in out
    assert "--db 参数" in out  # Chinese by default


def test_config_from_environment() -> None:
    code, out, _ = run("--lang", "en", "config", env={"STUDYHUB_DB": "sqlite:////tmp/env.db"})
    assert code == 0
    assert "sqlite:////tmp/env.db" in out
    assert "STUDYHUB_DB environment variable" in out


def test_db_upgrade_current_downgrade(db_url: str, blank_db_url: str) -> None:
    code, out, _ = run("--db", blank_db_url, "--lang", "en", "db", "current")
    assert code == 0 and "(blank database)" in out
    code, out, _ = run("--db", blank_db_url, "--lang", "en", "db", "upgrade")
    assert (code, out.strip()) == (0, f"Database upgraded to revision {HEAD}")
    code, out, _ = run("--db", blank_db_url, "--lang", "en", "db", "current")
    assert f"Current revision: {HEAD}" in out
    code, out, _ = run("--db", blank_db_url, "--lang", "en", "db", "downgrade", "base", "--yes")
    assert (code, out.strip()) == (0, "Database downgraded to revision base")
    code, out, _ = run("--db", blank_db_url, "--lang", "en", "db", "upgrade")
    assert code == 0


def test_downgrade_without_terminal_needs_yes(db_url: str, english: None) -> None:
    code, _, err = run("--db", db_url, "db", "downgrade", "base")
    assert code == 1
    assert err.splitlines() == [
        "Error: a downgrade drops tables and their data; confirm with --yes",
        "Hint: studyhub db downgrade base --yes",
    ]


@pytest.mark.parametrize(
    ("url", "line"),
    [
        (
            "sqlite:////nonexistent/dir/x.db",
            "Error: cannot open database sqlite:////nonexistent/dir/x.db: "
            "directory /nonexistent/dir does not exist",
        ),
        (
            "postgresql+psycopg://u:secret@127.0.0.1:1/x",
            "Error: cannot open database postgresql+psycopg://u:***@127.0.0.1:1/x: "
            "connection failed:",
        ),
        (
            "sqlite:////proc/studyhub-test.db",
            "Error: cannot open database sqlite:////proc/studyhub-test.db: "
            "unable to open database file",
        ),
    ],
)
def test_unopenable_database_is_one_error_line(url: str, line: str, english: None) -> None:
    code, out, err = run("--db", url, "db", "upgrade")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(line)
    assert "secret" not in err
    assert "Traceback" not in err


def test_error_boundary_in_a_real_process(english: None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STUDYHUB_DEBUG"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyhub",
            "--db",
            "postgresql+psycopg://u:secret@127.0.0.1:1/x",
            "db",
            "upgrade",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: ")
    assert "secret" not in proc.stderr


def test_errors_are_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    """The same failure: one 错误： line by default, one Error: line with --lang en or
    STUDYHUB_LANG=en, with the same exit code."""
    url = f"sqlite:///{tmp_path}/missing/dir/x.db"
    runs = {
        "zh": CliRunner().invoke(cli, ["--db", url, "bank", "list"]),
        "en": CliRunner().invoke(cli, ["--lang", "en", "--db", url, "bank", "list"]),
        "env": CliRunner(env={"STUDYHUB_LANG": "en"}).invoke(cli, ["--db", url, "bank", "list"]),
    }
    assert {name: r.exit_code for name, r in runs.items()} == {"zh": 1, "en": 1, "env": 1}
    assert runs["zh"].stderr.startswith("错误：无法打开数据库 ")
    assert runs["zh"].stderr.count("\n") == 1
    assert runs["en"].stderr.startswith("Error: cannot open database ")
    assert runs["env"].stderr == runs["en"].stderr
    usage = CliRunner().invoke(cli, ["nosuch"])
    assert usage.exit_code == 2 and "错误：没有 'nosuch' 这个命令。" in usage.output


def test_debug_shows_the_traceback() -> None:
    env = dict(os.environ, STUDYHUB_DEBUG="1")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyhub",
            "--db",
            "sqlite:////nonexistent/dir/x.db",
            "db",
            "upgrade",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "DatabaseError" in proc.stderr


def test_unknown_command_is_a_usage_error(english: None) -> None:
    code, _, err = run("nosuch")
    assert code == 2
    assert "No such command" in err


def test_readme_covers_every_command() -> None:
    """Every command (and every subcommand) is documented in README.md."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    ctx = click.Context(cli)
    missing = []
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        if f"studyhub {name}" not in readme:
            missing.append(name)
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                if not re.search(rf"(studyhub {name}|`{name}) {re.escape(sub)}\b", readme):
                    missing.append(f"{name} {sub}")
    assert missing == []
