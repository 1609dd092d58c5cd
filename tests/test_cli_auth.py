"""Sign-in through the CLI: init, login, logout, passwd, set-pin, and every command's role."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from studyhub.admin import auth
from studyhub.cli import cli
from studyhub.cli.permissions import COMMAND_ROLES, role_for
from studyhub.db import Database
from studyhub.models import Staff

ROLE_ORDER = ["employee", "reporter", "admin"]


def run(db_url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def secured(database: Database, db_url: str) -> str:
    """A database with an admin A1, a reporter R1 and an employee E1 (PINs set, changed)."""
    code, out, err = run(db_url, "init", "--admin", "A1", "--pin-stdin", input="246810\n")
    assert (code, out.strip()) == (0, "Created the admin A1"), err
    with database.session() as session:
        session.add_all([Staff(staff_no="R1", name="报表员", role="reporter"),
                         Staff(staff_no="E1", name="张三")])  # fmt: skip
    for number in ("R1", "E1"):
        auth.set_pin(database, number, "111111")
        auth.change_pin(database, number, "111111", "222222")
    return db_url


def login(db_url: str, staff_no: str, pin: str) -> tuple[int, str, str]:
    return run(db_url, "login", "--staff", staff_no, "--pin-stdin", input=pin + "\n")


def test_setup_mode_until_an_admin_exists(db_url: str) -> None:
    code, out, _ = run(db_url, "bank", "list", "--format", "json")
    assert (code, out.strip()) == (0, "[]")


def test_commands_need_a_sign_in_once_secured(secured: str) -> None:
    code, out, err = run(secured, "bank", "list")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "Error: sign in first",
        "Hint: studyhub login, or give --staff NO --pin-stdin with the PIN as the first "
        "line of standard input",
    ]


def test_login_saves_a_private_token_and_logout_revokes_it(secured: str, app_home: Path) -> None:
    code, out, _ = login(secured, "A1", "246810")
    assert (code, out.strip()) == (0, "Signed in: A1 Admin (admin)")  # the English default name
    session_file = app_home / "session.json"
    assert stat.S_IMODE(os.stat(session_file).st_mode) == 0o600
    assert "246810" not in session_file.read_text(encoding="utf-8")
    assert run(secured, "bank", "list")[0] == 0
    saved = session_file.read_text(encoding="utf-8")
    code, out, _ = run(secured, "logout")
    assert (code, out.strip()) == (0, "Signed out")
    session_file.write_text(saved, encoding="utf-8")  # a copy of the token is revoked too
    code, _, err = run(secured, "bank", "list")
    assert code == 1 and "signed out" in err


def test_wrong_pin_is_one_line(secured: str) -> None:
    code, out, err = login(secured, "A1", "000000")
    assert (code, out) == (1, "")
    assert err.strip() == "Error: wrong staff number or PIN"


def test_roles_are_refused_with_the_role_named(secured: str) -> None:
    login(secured, "E1", "222222")
    code, _, err = run(secured, "bank", "list")
    assert code == 1
    assert err.strip() == "Error: studyhub bank list needs the reporter role; E1 is employee"
    login(secured, "R1", "222222")
    assert run(secured, "bank", "list")[0] == 0
    code, _, err = run(secured, "bank", "import", "x.yaml")
    assert err.strip() == "Error: studyhub bank import needs the admin role; R1 is reporter"


def test_initial_pin_must_be_changed_first(secured: str, database: Database) -> None:
    auth.set_pin(database, "E1", "333333", actor="A1")
    login(secured, "E1", "333333")
    code, _, err = run(secured, "law", "list")
    assert code == 1 and "choose your own first" in err
    code, out, err = run(secured, "passwd", "--pin-stdin", input="333333\n444444\n")
    assert (code, out.strip()) == (0, "PIN changed; sign in again"), err
    assert login(secured, "E1", "444444")[0] == 0
    assert run(secured, "law", "list")[0] == 0


def test_admin_sets_a_pin(secured: str) -> None:
    login(secured, "A1", "246810")
    code, out, _ = run(secured, "staff", "set-pin", "E1", "--pin-stdin", input="555555\n")
    assert (code, out.strip()) == (0, "Initial PIN set for E1 (to be changed at first sign-in)")


def test_init_refuses_a_database_with_staff(secured: str) -> None:
    code, _, err = run(secured, "init", "--admin", "A9", "--pin-stdin", input="246810\n")
    assert code == 1 and "only on a database without staff" in err


def test_pin_is_never_a_command_line_argument() -> None:
    for name in ("init", "login", "passwd"):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        assert not any("pin" in p.name and not p.name.endswith("stdin") for p in command.params)


def leaf_commands() -> list[str]:
    paths = []
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths.extend(f"{name} {sub}" for sub in command.list_commands(ctx))
        else:
            paths.append(name)
    return paths


def test_every_command_has_a_declared_role_and_a_guard() -> None:
    ctx = click.Context(cli)
    for path in leaf_commands():
        words = path.split()
        assert path in COMMAND_ROLES or words[0] in COMMAND_ROLES, f"no role declared for {path}"
        command = cli.get_command(ctx, words[0])
        if len(words) > 1:
            command = command.get_command(ctx, words[1])  # type: ignore[union-attr]
        assert getattr(command, "_studyhub_guarded", False), path


@pytest.mark.parametrize("path", leaf_commands())
def test_each_role_is_refused_where_it_must_be(path: str) -> None:
    needed = role_for(path)
    for role in ROLE_ORDER:
        person = auth.SignedIn(1, "X1", "某人", role)
        allowed = needed == "public" or person.may(needed)
        assert allowed == (ROLE_ORDER.index(role) >= ROLE_ORDER.index(needed)
                           if needed != "public" else True)  # fmt: skip
        if not allowed:
            with pytest.raises(auth.PermissionDenied, match=f"needs the {needed} role"):
                auth.require_role(person, needed, f"studyhub {path}")
    # the admin-only commands: anything that changes data or shows answer keys
    if path.split()[0] in ("bank", "exam") and path.split()[1] in (
        "import", "export", "create", "update", "close", "import-results", "check-citations",
        "flagged",
    ):  # fmt: skip
        assert needed == "admin"
