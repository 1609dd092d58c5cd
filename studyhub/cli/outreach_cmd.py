"""``studyhub outreach``: 普法宣传 events for the public."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def outreach() -> None:
    """Record outreach events (普法宣传): materials, consultations, partners."""


@outreach.command("add")
@click.option("--date", "held_on", required=True, metavar="DATE", help="Date held.")
@click.option("--title", required=True, help="Title.")
@click.option("--place", default="", help="Where.")
@click.option("--materials", default="0", show_default=True, help="Materials handed out.")
@click.option("--consultations", default="0", show_default=True, help="Consultations received.")
@click.option("--participants", default=None, help="People reached (optional).")
@click.option("--partners", default="", help="Partner organisations.")
@click.option("--notes", default="", help="Notes.")
@click.pass_obj
def add(
    app: AppContext, held_on: str, title: str, place: str, materials: str, consultations: str,
    participants: str | None, partners: str, notes: str,
) -> None:  # fmt: skip
    """Record an outreach event."""
    from studyhub.study.outreach import add_outreach

    event_id = add_outreach(
        app.database(), held_on=held_on, title=title, place=place, materials=materials,
        consultations=consultations, participants=participants, partners=partners, notes=notes,
        actor=app.actor(),
    )  # fmt: skip
    click.echo(t("outreach.added", id=event_id))


@outreach.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def import_(app: AppContext, file: str) -> None:
    """Add or update the events in FILE (CSV or XLSX: 日期, 标题, 地点, 发放资料, 接受咨询,
    参与人数, 合作单位, 备注), all or nothing."""
    from studyhub.study.outreach import import_outreach

    summary = import_outreach(app.database(), file, actor=app.actor())
    click.echo(
        t("outreach.imported", added=summary.added, updated=summary.updated,
          unchanged=summary.unchanged)
    )  # fmt: skip


@outreach.command("list")
@click.option("--year", type=int, help="Only this year.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_(app: AppContext, year: int | None, fmt: str) -> None:
    """List outreach events."""
    from studyhub.render import render_rows
    from studyhub.study.outreach import outreach_list

    rows = outreach_list(app.database(), year=year)
    keys = ("id", "date", "title", "place", "materials", "consultations", "participants",
            "partners")  # fmt: skip
    click.echo(render_rows(rows, [(k, t(f"outreach.col.{k}")) for k in keys], fmt))
