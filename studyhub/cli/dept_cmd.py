"""``studyhub dept``: the departments of the organisation (a tree)."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def dept() -> None:
    """Import, add and list departments (a tree)."""


@dept.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def import_(app: AppContext, file: str) -> None:
    """Add or update the departments in FILE (CSV or XLSX: 部门编码/code, 部门名称/name,
    上级部门/parent as a code, empty for the root), all or nothing."""
    from studyhub.org.roster_import import import_departments

    summary = import_departments(app.database(), file, actor=app.actor())
    click.echo(
        t("dept.imported", added=summary.added, updated=summary.updated,
          unchanged=summary.unchanged)
    )  # fmt: skip


@dept.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", metavar="DEPT", help="The department above (code or name).")
@click.pass_obj
def add(app: AppContext, code: str, name: str, parent: str | None) -> None:
    """Add department CODE called NAME."""
    from studyhub.org.roster import add_department

    add_department(app.database(), code, name, parent, actor=app.actor())
    click.echo(t("dept.added", code=code.strip(), name=name.strip()))


@dept.command("list")
@click.option("--at", metavar="DATE", help="Count the staff in post on DATE (default today).")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_(app: AppContext, at: str | None, fmt: str) -> None:
    """List the departments as a tree, with the number of staff in post in each."""
    from studyhub.org.roster import department_list
    from studyhub.render import render_rows

    rows = department_list(app.database(), at=at)
    if fmt != "json":
        rows = [r | {"name": "  " * int(r["depth"]) + str(r["name"])} for r in rows]
    columns = [(k, t(f"roster.col.{k}")) for k in ("code", "name", "parent", "staff")]
    click.echo(render_rows(rows, columns, fmt))
