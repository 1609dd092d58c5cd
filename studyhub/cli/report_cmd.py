"""``studyhub report``: the annual figures as tables, CSV, Excel, Markdown or JSON.

Every subcommand is thin: it calls one library function returning
:class:`~studyhub.reports.table.ReportTable` objects and hands them to :func:`emit`, which
writes them in ``--format`` to ``--output`` (or stdout). Add subcommands below the group with
the :func:`output_options` decorator (and :func:`chart_option` where rates are shown).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t

if TYPE_CHECKING:
    from studyhub.reports.table import ReportTable

F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FORMATS = ("table", "csv", "xlsx", "md", "json")


@click.group()
def report() -> None:
    """Report the annual figures: rates, study totals, item analysis (exportable)."""


# --- shared by every report command ------------------------------------------------------------


def output_options(func: F) -> F:
    """``--format`` and ``--output FILE`` for a report command (``fmt`` and ``output``)."""
    func = click.option(
        "--output", "-o", "output", metavar="FILE", type=click.Path(dir_okay=False),
        help="Write to FILE (atomically) instead of stdout; needed for xlsx on a terminal.",
    )(func)  # fmt: skip
    func = click.option(
        "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="table", show_default=True,
        help="table (aligned text), csv (UTF-8 with BOM, for Excel), xlsx, md or json.",
    )(func)  # fmt: skip
    return func


def chart_option(func: F) -> F:
    """``--chart FILE.png`` (``chart``): draw the rates with matplotlib (studyhub[chart])."""
    return click.option(  # type: ignore[no-any-return]
        "--chart", "chart", metavar="FILE.png", type=click.Path(dir_okay=False),
        help="Also draw participation and pass rates by group as a PNG chart.",
    )(func)  # fmt: skip


def emit(tables: Sequence[ReportTable], fmt: str, output: str | None) -> None:
    """Write ``tables`` in ``fmt`` to ``output`` (or stdout; xlsx refuses a terminal)."""
    from studyhub.errors import InputError
    from studyhub.reports.export import write_tables

    if output:
        write_tables(list(tables), fmt, output)
        click.echo(t("report.written", path=output))
        return
    if fmt == "xlsx" and sys.stdout.isatty():
        raise InputError(
            "xlsx output is a binary file and stdout is a terminal",
            hint="give --output FILE.xlsx (or redirect stdout to a file)",
        )
    sys.stdout.flush()
    write_tables(list(tables), fmt, sys.stdout.buffer)


def draw_chart(rows: Sequence[dict[str, Any]], chart: str | None) -> None:
    """Draw ``rows`` (group, participation_rate, pass_rate) to ``chart`` when given."""
    if not chart:
        return
    from studyhub.reports.chart import draw_rates_chart

    draw_rates_chart(rows, chart)
    click.echo(t("report.chart.written", path=chart), err=True)


# --- study totals and item analysis ------------------------------------------------------------


@report.command("study")
@click.option("--year", type=int, required=True, help="Calendar year (Asia/Shanghai).")
@click.option(
    "--by", "by", type=click.Choice(["department"]), help="Hours per person per department."
)
@click.option("--required-hours", metavar="H", help="List everyone below H hours in the year.")
@output_options
@click.pass_obj
def study(
    app: AppContext, year: int, by: str | None, required_hours: str | None, fmt: str,
    output: str | None,
) -> None:  # fmt: skip
    """Study totals of a year: activities by kind, hours per person, attendance rates, the
    laws studied, seminars per topic and outreach."""
    from studyhub.reports.study import study_report

    tables = study_report(
        app.database(), year, by_department=by == "department", required_hours=required_hours
    )
    emit(tables, fmt, output)


@report.command("items")
@click.argument("key")
@click.option(
    "--all-attempts", is_flag=True, help="Use every submitted attempt (default: first attempts)."
)
@output_options
@click.pass_obj
def items(app: AppContext, key: str, all_attempts: bool, fmt: str, output: str | None) -> None:
    """Item analysis of exam KEY: facility, discrimination and discriminative efficiency
    per question (Moodle's definitions); mean, SD and Cronbach's alpha of the paper."""
    from studyhub.reports.items import item_report

    emit(item_report(app.database(), key, all_attempts=all_attempts), fmt, output)
