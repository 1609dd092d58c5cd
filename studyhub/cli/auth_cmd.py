"""``studyhub init``, ``login``, ``logout``, ``passwd``: who is acting.

A PIN is never taken as a command-line argument: it is typed at a hidden prompt, or read
from standard input with ``--pin-stdin`` (as ``docker login --password-stdin`` does).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import msg, t

if TYPE_CHECKING:
    from studyhub.db import Database


def _read_pin(pin_stdin: bool, prompt: str, *, confirm: bool = False) -> str:
    from studyhub.errors import InputError

    if pin_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InputError(msg("no PIN on standard input"))
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError(
            msg("no terminal to type a PIN in"), hint=msg("use --pin-stdin in scripts")
        )
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True))


def _ask_department(database: Database) -> str | None:
    """The admin's department, chosen from those there are (None when there is none yet)."""
    from studyhub.org.roster import department_list

    codes = [str(row["code"]) for row in department_list(database)]
    if not codes:
        return None
    return str(click.prompt(t("auth.ask_dept"), type=click.Choice(codes), err=True))


@click.command()
@click.option(
    "--admin", "staff_no", required=True, metavar="NO", help="Staff number of the first admin."
)
@click.option("--name", help="The admin's name (default: Admin; 管理员 in Chinese).")
@click.option(
    "--dept", "department", metavar="D",
    help="The admin's department (asked on a terminal when departments exist; otherwise the "
    "first roster import that lists the admin gives it).",
)  # fmt: skip
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input.")
@click.pass_obj
def init(app: AppContext, staff_no: str, name: str, department: str | None,
         pin_stdin: bool) -> None:  # fmt: skip
    """Create the first admin, on a database without staff (a demo person is retired)."""
    from studyhub.admin.auth import init_admin

    database = app.database()
    if department is None and not pin_stdin and sys.stdin.isatty():
        department = _ask_department(database)
    pin = _read_pin(pin_stdin, t("auth.new_pin"), confirm=not pin_stdin)
    name = name or t("auth.default_admin_name")
    init_admin(database, staff_no, pin, name=name, department=department)
    click.echo(t("auth.initialised", staff_no=staff_no))


@click.command()
@click.option("--staff", "staff_no", metavar="NO", help="Your staff number (工号).")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input.")
@click.pass_obj
def login(app: AppContext, staff_no: str | None, pin_stdin: bool) -> None:
    """Sign in and keep the session for 8 hours (in the app dir, readable by you only).

    With an initial PIN, typed at a terminal, you choose your own at once (new PIN twice)."""
    from studyhub.admin.auth import authenticate, issue_token
    from studyhub.errors import InputError
    from studyhub.labels import Word

    if staff_no is None:
        if pin_stdin or not sys.stdin.isatty():
            raise InputError(msg("give --staff NO"))
        staff_no = str(click.prompt(t("auth.staff_no"), err=True)).strip()
    pin = _read_pin(pin_stdin, t("auth.pin"))
    database = app.database()
    person = authenticate(database, staff_no, pin)
    if person.must_change_pin and not pin_stdin:  # a first sign-in: one's own PIN at once
        from studyhub.quiz.signin import choose_pin

        def ask(prompt: str) -> str:
            return _read_pin(False, prompt)

        person = choose_pin(database, person, pin, ask, lambda text: click.echo(text, err=True))
    app.save_token(issue_token(database, person), person.staff_no)
    click.echo(
        t("auth.signed_in", staff_no=person.staff_no, name=person.name, role=Word(person.role))
    )
    if person.must_change_pin:
        click.echo(t("auth.change_first"), err=True)


@click.command()
@click.pass_obj
def logout(app: AppContext) -> None:
    """Sign out: the saved session is revoked and forgotten."""
    from studyhub.admin.auth import logout as revoke

    token = app.saved_token()
    if token is not None:
        revoke(app.database(), token)
    app.forget_token()
    click.echo(t("auth.signed_out"))


@click.command()
@click.option("--pin-stdin", is_flag=True, help="Read the old and the new PIN as two lines.")
@click.pass_obj
def passwd(app: AppContext, pin_stdin: bool) -> None:
    """Change your own PIN (signs you out everywhere)."""
    from studyhub.admin.auth import change_pin
    from studyhub.errors import PermissionDenied

    person = app.signed_in
    if person is None:
        raise PermissionDenied(msg("sign in first"), hint=msg("studyhub login"))
    # signed in just now at a prompt: that PIN was the old one, so it is not asked again
    old = app.typed_pin or _read_pin(pin_stdin, t("auth.old_pin"))
    new = _read_pin(pin_stdin, t("auth.new_pin"), confirm=not pin_stdin)
    change_pin(app.database(), person.staff_no, old, new)
    app.forget_token()
    click.echo(t("auth.pin_changed"))
