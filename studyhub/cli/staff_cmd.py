"""``studyhub staff``: the roster, with dated department postings."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.cli.options import Vocabulary
from studyhub.i18n import t

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def staff() -> None:
    """Import and keep the staff roster: joins, moves and leavers with dates."""


@staff.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--on", metavar="DATE",
    help="Date of the department changes in FILE, and start of new postings without 在岗起 "
    "(default today, Asia/Shanghai).",
)  # fmt: skip
@click.pass_obj
def import_(app: AppContext, file: str, on: str | None) -> None:
    """Add or update the people in roster FILE (CSV or XLSX: 工号, 姓名, 部门, 角色, 在岗起,
    在岗止), matched by staff number, all or nothing. People in post who are missing from
    FILE are listed, not deleted."""
    from studyhub.cli.progress import rows_bar
    from studyhub.org.roster_import import import_staff

    with rows_bar() as bar:
        summary = import_staff(app.database(), file, on=on, actor=app.actor(), progress=bar)
    click.echo(
        t("staff.imported", added=summary.added, updated=summary.updated, moved=summary.moved,
          left=summary.left, unchanged=summary.unchanged)
    )  # fmt: skip
    if summary.missing:
        click.echo(t("staff.missing", count=len(summary.missing)))
        for staff_no, name, department in summary.missing:
            click.echo(f"  {staff_no} {name} ({department})")


@staff.command("add")
@click.argument("staff_no")
@click.argument("name")
@click.option("--dept", "department", required=True, metavar="DEPT", help="Department.")
@click.option(
    "--role",
    type=Vocabulary(("employee", "admin", "reporter")),
    default="employee",
    help="Role: employee (the default), admin or reporter.",
)
@click.option("--from", "in_post_from", metavar="DATE", help="First day in post (default today).")
@click.option("--to", "in_post_to", metavar="DATE", help="Last day in post.")
@click.pass_obj
def add(
    app: AppContext, staff_no: str, name: str, department: str, role: str,
    in_post_from: str | None, in_post_to: str | None,
) -> None:  # fmt: skip
    """Add person STAFF_NO called NAME."""
    from studyhub.org.roster import add_staff

    add_staff(
        app.database(), staff_no, name, department, role=role, in_post_from=in_post_from,
        in_post_to=in_post_to, actor=app.actor(),
    )  # fmt: skip
    click.echo(t("staff.added", staff_no=staff_no.strip(), name=name.strip()))


@staff.command("list")
@click.option("--dept", "department", metavar="DEPT", help="Only this department and below.")
@click.option("--at", metavar="DATE", help="Who was in post on DATE (default today).")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_(app: AppContext, department: str | None, at: str | None, fmt: str) -> None:
    """List the staff in post on a date, with the department they were in that day."""
    from dataclasses import asdict

    from studyhub.org.roster import staff_list
    from studyhub.render import render_rows

    rows = [asdict(r) for r in staff_list(app.database(), department=department, at=at)]
    keys = ("staff_no", "name", "department", "department_name", "role", "in_post_from",
            "in_post_to")  # fmt: skip
    click.echo(render_rows(rows, [(k, t(f"roster.col.{k}")) for k in keys], fmt))


@staff.command("leave")
@click.argument("staff_no")
@click.option("--on", metavar="DATE", help="The last day in post (default today).")
@click.pass_obj
def leave(app: AppContext, staff_no: str, on: str | None) -> None:
    """Record that STAFF_NO leaves: DATE is their last day in post."""
    from studyhub.org.roster import leave_staff

    day = leave_staff(app.database(), staff_no, on=on, actor=app.actor())
    click.echo(t("staff.left", staff_no=staff_no.strip(), date=day.isoformat()))


@staff.command("move")
@click.argument("staff_no")
@click.option("--to", "department", required=True, metavar="DEPT", help="New department.")
@click.option("--on", metavar="DATE", help="First day in the new department (default today).")
@click.pass_obj
def move(app: AppContext, staff_no: str, department: str, on: str | None) -> None:
    """Move STAFF_NO to another department from a date."""
    from studyhub.org.roster import move_staff
    from studyhub.values import date_arg

    day = date_arg(on)
    old, new = move_staff(app.database(), staff_no, department, on=day, actor=app.actor())
    click.echo(t("staff.moved", staff_no=staff_no.strip(), old=old, new=new, date=day))


@staff.command("set-pin")
@click.argument("staff_no")
@click.option("--pin-stdin", is_flag=True, help="Read the initial PIN from standard input.")
@click.pass_obj
def set_pin(app: AppContext, staff_no: str, pin_stdin: bool) -> None:
    """Set STAFF_NO's initial PIN; they must choose their own at first sign-in."""
    from studyhub.admin.auth import set_pin as store
    from studyhub.cli.auth_cmd import _read_pin

    pin = _read_pin(pin_stdin, t("auth.new_pin"), confirm=not pin_stdin)
    store(app.database(), staff_no, pin, actor=app.actor())
    click.echo(t("auth.pin_set", staff_no=staff_no))
