"""``studyhub audit``: who changed what, and when."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t


@click.group()
def audit() -> None:
    """Read the audit trail (every admin change, sign-in failure, lock and submission)."""


@audit.command("list")
@click.option("--since", metavar="DATE", help="From this date or time (Asia/Shanghai).")
@click.option("--actor", help="Only what this staff number (or os:user) did.")
@click.option("--action", help="Only this action, or a prefix ending in '.' (bank.).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def list_(app: AppContext, since: str | None, actor: str | None, action: str | None,
          limit: int, fmt: str) -> None:  # fmt: skip
    """List audit events, newest first."""
    from studyhub.admin.audit import list_events
    from studyhub.errors import InputError
    from studyhub.i18n import msg
    from studyhub.render import render_rows
    from studyhub.timeutil import parse_datetime, to_local
    from studyhub.values import reason_of

    moment = None
    if since:
        try:
            moment = parse_datetime(since)
        except ValueError as err:
            raise InputError(msg("--since: {detail}", detail=reason_of(err))) from None
    rows = list_events(app.database(), since=moment, actor=actor, action=action, limit=limit)
    for row in rows:
        row["at"] = to_local(row["at"]).strftime("%Y-%m-%d %H:%M:%S")
        if fmt != "json":
            import json

            if row["actor"] == "system":  # studyhub itself (first use, shipped banks)
                row["actor"] = t("audit.system")
            row["details"] = (
                json.dumps(row["details"], ensure_ascii=False) if row["details"] else ""
            )
    columns = [(k, t(f"audit.col.{k}")) for k in ("at", "actor", "action", "object", "details")]
    click.echo(render_rows(rows, columns, fmt))
