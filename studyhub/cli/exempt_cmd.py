"""``studyhub exempt``: exemptions (免考) from exams."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def exempt() -> None:
    """Record exemptions (免考): people excused from an exam."""


@exempt.command("add")
@click.argument("staff_no")
@click.option("--exam", required=True, metavar="KEY", help="The exam's key.")
@click.option("--reason", required=True, help="Why (病假, 产假, 借调...).")
@click.option("--approved-by", default="", metavar="NAME", help="Who approved it.")
@click.option("--on", metavar="DATE", help="Date of approval (default today).")
@click.pass_obj
def add(
    app: AppContext, staff_no: str, exam: str, reason: str, approved_by: str, on: str | None
) -> None:
    """Exempt STAFF_NO from an exam."""
    from studyhub.org.exemptions import add_exemption

    add_exemption(
        app.database(), staff_no, exam, reason=reason, approved_by=approved_by,
        approved_on=on, actor=app.actor(),
    )  # fmt: skip
    click.echo(t("exempt.added", staff_no=staff_no.strip(), exam=exam.strip()))


@exempt.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def import_(app: AppContext, file: str) -> None:
    """Add or update the exemptions in FILE (CSV or XLSX: 工号, 考试, 原因, 批准人, 批准日期),
    all or nothing."""
    from studyhub.org.exemptions import import_exemptions

    summary = import_exemptions(app.database(), file, actor=app.actor())
    click.echo(
        t("exempt.imported", added=summary.added, updated=summary.updated,
          unchanged=summary.unchanged)
    )  # fmt: skip


@exempt.command("list")
@click.option("--exam", metavar="KEY", help="Only this exam.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_(app: AppContext, exam: str | None, fmt: str) -> None:
    """List exemptions."""
    from dataclasses import asdict

    from studyhub.org.exemptions import exemption_list
    from studyhub.render import render_rows

    rows = [asdict(r) for r in exemption_list(app.database(), exam=exam)]
    keys = ("exam", "staff_no", "name", "department", "reason", "approved_by", "approved_on")
    click.echo(render_rows(rows, [(k, t(f"roster.col.{k}")) for k in keys], fmt))


@exempt.command("remove")
@click.argument("staff_no")
@click.option("--exam", required=True, metavar="KEY", help="The exam's key.")
@click.pass_obj
def remove(app: AppContext, staff_no: str, exam: str) -> None:
    """Withdraw STAFF_NO's exemption from an exam."""
    from studyhub.org.exemptions import remove_exemption

    remove_exemption(app.database(), staff_no, exam, actor=app.actor())
    click.echo(t("exempt.removed", staff_no=staff_no.strip(), exam=exam.strip()))
