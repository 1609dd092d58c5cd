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
from studyhub.cli.options import OUTPUT_FILE
from studyhub.i18n import msg, t

if TYPE_CHECKING:
    from studyhub.reports.table import ReportMeta, ReportTable

F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FORMATS = ("table", "csv", "xlsx", "md", "json", "docx")


@click.group()
def report() -> None:
    """Report the annual figures: rates, study totals, item analysis (exportable)."""


# --- shared by every report command ------------------------------------------------------------


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Keep an output option for :func:`emit` (the command does not take it)."""
    ctx.meta[f"report.{param.name}"] = value


def output_options(func: F) -> F:
    """``--format`` and ``--output FILE`` for a report command (``fmt`` and ``output``),
    and ``--wide`` and ``--with-definitions``, which :func:`emit` reads itself."""
    func = click.option(
        "--with-definitions", is_flag=True, expose_value=False, callback=_remember,
        help="CSV: end with the definitions of the figures as comment lines (# ...).",
    )(func)  # fmt: skip
    func = click.option(
        "--wide", is_flag=True, expose_value=False, callback=_remember,
        help="Table: show every column (by default those a report needs; exports have all).",
    )(func)  # fmt: skip
    func = click.option(
        "--output", "-o", "output", metavar="FILE", type=OUTPUT_FILE,
        help="Write to FILE (atomically) instead of stdout; needed for xlsx/docx on a terminal.",
    )(func)  # fmt: skip
    func = click.option(
        "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="table", show_default=True,
        help="table (aligned text), csv (UTF-8 with BOM, for Excel), xlsx, md, json or docx.",
    )(func)  # fmt: skip
    return func


def chart_option(func: F) -> F:
    """``--chart FILE.png`` (``chart``): draw the rates with matplotlib (studyhub[chart])."""
    return click.option(  # type: ignore[no-any-return]
        "--chart", "chart", metavar="FILE.png", type=OUTPUT_FILE,
        help="Also draw participation and pass rates by group as a PNG chart.",
    )(func)  # fmt: skip


def emit(tables: Sequence[ReportTable], fmt: str, output: str | None,
         meta: ReportMeta | None = None, *, chart: str | None = None) -> None:  # fmt: skip
    """Write ``tables`` (and what ``meta`` says about them) in ``fmt`` to ``output`` (or
    stdout; xlsx and docx refuse a terminal). A text table is wrapped to the terminal's
    width; the PNG ``chart`` drawn before goes into an xlsx or docx."""
    import shutil
    from pathlib import Path

    from studyhub.errors import InputError
    from studyhub.reports.export import TEXT_WIDTH, write_tables

    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta if ctx is not None else {}
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() and not output else 0
    options = {
        "wide": bool(chosen.get("report.wide")),
        "with_definitions": bool(chosen.get("report.with_definitions")),
        "width": min(width, 160) or TEXT_WIDTH,
        "chart_png": Path(chart).read_bytes() if chart and fmt in ("xlsx", "docx") else None,
    }
    if output:
        write_tables(list(tables), fmt, output, meta, **options)
        click.echo(t("report.written", path=output))
        return
    if fmt in ("xlsx", "docx") and sys.stdout.isatty():
        raise InputError(
            msg("{fmt} output is a binary file and stdout is a terminal", fmt=fmt),
            hint=msg("give --output FILE.{fmt} (or redirect stdout to a file)", fmt=fmt),
        )
    sys.stdout.flush()
    write_tables(list(tables), fmt, sys.stdout.buffer, meta, **options)


def draw_chart(rows: Sequence[Any], chart: str | None, *, by: str = "department") -> None:
    """Draw the rates of ``rows`` (RateRow objects of ``by``) to ``chart`` when given: a panel
    per exam titled with the exam and its year, or one panel of the exams (``by`` none)."""
    if not chart:
        return
    from studyhub.reports.chart import draw_rates_chart

    by_label = t("report.chart.by_topic") if by == "topic" else t("report.chart.by_department")
    points = []
    for row in rows:
        name = row.title or row.exam
        if by == "none":
            group, panel = name, t("report.chart.title.exams", year=row.year)
        else:
            group = row.group_name or row.group
            panel = t("report.chart.title.exam", exam=name, year=row.year, by=by_label)
        points.append({"group": group, "panel": panel, "participation_rate":
                       row.participation_rate, "pass_rate": row.pass_rate})  # fmt: skip
    draw_rates_chart(points, chart)
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
    from studyhub.reports.meta import report_meta

    emit(tables, fmt, output, report_meta(app.database()))


@report.command("items")
@click.argument("key")
@click.option(
    "--attempts", "attempts", type=click.Choice(["first", "highest", "last", "all"]),
    help="Which attempts: each person's first, highest-scoring or last, or all of them "
    "(default: by the exam's grading method; average grading: all).",
)  # fmt: skip
@click.option("--all-attempts", is_flag=True, hidden=True, help="The same as --attempts all.")
@output_options
@click.pass_obj
def items(app: AppContext, key: str, attempts: str | None, all_attempts: bool, fmt: str,
          output: str | None) -> None:  # fmt: skip
    """Item analysis of exam KEY, as Moodle's statistics report: the paper's mean, median,
    SD, skewness, kurtosis, CIC (Cronbach's alpha), error ratio and standard error; per
    question facility, SD, weights, discrimination index and efficiency; the options chosen;
    the questions to review and why."""
    from studyhub.errors import InputError
    from studyhub.reports.items import item_report
    from studyhub.reports.meta import exam_meta

    if all_attempts and attempts not in (None, "all"):
        raise InputError(
            msg("--all-attempts and --attempts {attempts} contradict each other",
                attempts=attempts),
            hint=msg("give one of them"),
        )  # fmt: skip
    database = app.database()
    tables = item_report(database, key, attempts=attempts, all_attempts=all_attempts)
    emit(tables, fmt, output, exam_meta(database, key))


# --- the annual figures and the people behind them ----------------------------------------------


@report.command()
@click.option("--year", type=int, help="Every exam of this year.")
@click.option("--exam", "exam_key", metavar="KEY", help="One exam (its 补考 folded in).")
@click.option(
    "--by",
    type=click.Choice(["department", "topic", "none"]),
    default="none",
    show_default=True,
    help="Group by the department on the close date, by the paper's topics (the pass mark "
    "applied to each topic's questions), or one line per exam.",
)
@click.option(
    "--include-subdepartments", is_flag=True, help="Count each department with its sub-departments."
)
@output_options
@chart_option
@click.pass_obj
def rates(app: AppContext, year: int | None, exam_key: str | None, by: str,
          include_subdepartments: bool, fmt: str, output: str | None,
          chart: str | None) -> None:  # fmt: skip
    """参考率 and 及格率 per exam and group, exactly as DESIGN.md §4 defines them: by
    department or topic, one table per exam ending with its 合计 (the exam's whole figures).
    The terminal shows the columns a report needs (--wide: all; exports always have all)."""
    from studyhub.errors import InputError
    from studyhub.reports.rates_report import rates_report

    if year is None and exam_key is None:
        raise InputError(msg("give --year Y or --exam KEY"))
    found = rates_report(app.database(), year=year, exam=exam_key, by=by,
                         include_subdepartments=include_subdepartments)  # fmt: skip
    draw_chart(found.rows, chart, by=by)
    emit(found.tables, fmt, output, found.meta, chart=chart)


def _people(kind: str) -> Callable[..., None]:
    @click.argument("exam_key", metavar="KEY")
    @click.option("--dept", "department", metavar="CODE", help="Only this department (and below).")
    @output_options
    @click.pass_obj
    def command(app: AppContext, exam_key: str, department: str | None, fmt: str,
                output: str | None) -> None:  # fmt: skip
        from studyhub.reports.meta import exam_meta
        from studyhub.reports.people import people
        from studyhub.reports.views import people_table

        database = app.database()
        rows = people(database, exam_key, kind, department=department)
        emit([people_table(kind, exam_key, rows)], fmt, output, exam_meta(database, exam_key))

    return command


report.command("absentees", help="Who was required for exam KEY but did not sit.")(
    _people("absentees"))  # fmt: skip
report.command("failed", help="Who sat exam KEY but did not pass.")(_people("failed"))
report.command("exempt", help="Who was exempt (免考) from exam KEY, and why.")(_people("exempt"))
report.command("scores", help="Each required person's counted score, attempts and band.")(
    _people("scores"))  # fmt: skip


#: the people ``report progress`` lists of each kind unless told otherwise (a bureau's
#: lists whole; a province's hundred thousand absentees are its export's, with --all)
PROGRESS_LIMIT = 500


@report.command()
@click.argument("exam_key", metavar="KEY")
@click.option(
    "--limit",
    type=click.IntRange(1, 1_000_000),
    default=PROGRESS_LIMIT,
    show_default=True,
    metavar="N",
    help="List at most N people of each list (by department and staff number).",
)
@click.option("--all", "everyone", is_flag=True, help="List everyone (no --limit).")
@output_options
@click.pass_obj
def progress(app: AppContext, exam_key: str, limit: int, everyone: bool, fmt: str,
             output: str | None) -> None:  # fmt: skip
    """Exam KEY so far: participation by department, and who has not sat or not passed yet
    (the first --limit people of each list; --all for everyone)."""
    from studyhub.db import db_now
    from studyhub.reports.people import first_lists, people_lists
    from studyhub.reports.rates import total_row
    from studyhub.reports.rates_report import rates_report
    from studyhub.reports.views import people_table
    from studyhub.timeutil import local_date

    database = app.database()
    with database.session(readonly=True) as session:
        today = local_date(db_now(session))
    title = t("rates.progress", exam=exam_key, day=today.isoformat())
    found = rates_report(database, exam=exam_key, by="department", today=today, as_of=today,
                         title=title)  # fmt: skip
    cap = None if everyone else limit
    kinds = ["absentees", "not_passed"]
    if cap is None:
        lists = people_lists(database, exam_key, kinds, as_of=today)
    else:  # the rates by department say which departments hold each list's first people
        lists = first_lists(database, exam_key, kinds, found.rows, limit=cap, as_of=today)
    whole = total_row(found.rows) if found.rows else None
    totals = {
        "absentees": whole.required - whole.participants if whole else 0,
        "not_passed": whole.required - whole.passed if whole else 0,
    }
    tables = [people_table(kind, exam_key, lists[kind], totals[kind]) for kind in lists]
    emit([*found.tables, *tables], fmt, output, found.meta)
    if cap is not None and any(totals[kind] > len(lists[kind]) for kind in lists):
        click.echo(t("rates.list.more", n=cap), err=True)


@report.command()
@click.argument("exam_key", metavar="KEY")
@click.argument("staff_no", metavar="NO")
@click.option(
    "--attempt", "number", type=click.IntRange(min=1), metavar="N",
    help="Which attempt (default: the latest submitted).",
)  # fmt: skip
@output_options
@click.pass_obj
def review(app: AppContext, exam_key: str, staff_no: str, number: int | None, fmt: str,
           output: str | None) -> None:  # fmt: skip
    """Export person NO's review of exam KEY: each question as shown, their answer, the key,
    points and the 解析 (option letters as shown), as far as the exam's review setting allows."""
    from studyhub.exams.history import person_review
    from studyhub.reports.review import review_table

    result = person_review(app.database(), exam_key, staff_no, number)
    from studyhub.reports.meta import exam_meta

    emit([review_table(result, staff_no)], fmt, output, exam_meta(app.database(), exam_key))


@report.command()
@click.option("--year", type=int, required=True)
@click.option("--include-subdepartments", is_flag=True)
@output_options
@click.pass_obj
def ranking(app: AppContext, year: int, include_subdepartments: bool, fmt: str,
            output: str | None) -> None:  # fmt: skip
    """Departments ranked by 参考率, 合格率 and 优秀率 over the year's exams, ties explained."""
    from studyhub.reports.ranking import ranking as compute
    from studyhub.reports.views import ranking_table

    rows = compute(app.database(), year=year, include_subdepartments=include_subdepartments)
    from studyhub.reports.meta import report_meta

    emit([ranking_table(year, rows)], fmt, output, report_meta(app.database()))


@report.command()
@click.option("--year", type=int, required=True)
@click.option(
    "--approximate", is_flag=True,
    help="Round study and outreach numbers of 20 or more down to two leading digits, marked "
    "as more than that (56 -> over 50); exam head counts and rates stay exact.",
)  # fmt: skip
@click.option(
    "--next-steps", "next_steps", is_flag=True,
    help="Also draft the next steps from the gaps the figures show (absentees, failures, "
    "people below --required-hours, tested topics nobody studied, rates that fell).",
)  # fmt: skip
@click.option(
    "--required-hours", metavar="H",
    help="With --next-steps: the study hours each person should have in the year.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json", "docx"]), default="md", show_default=True
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write to FILE (needed for docx).",
)
@click.pass_obj
def annual(app: AppContext, year: int, approximate: bool, next_steps: bool,
           required_hours: str | None, fmt: str, output: str | None) -> None:  # fmt: skip
    """The year on one page: study totals, each exam's rates, the change on last year, and a
    draft paragraph for the annual report with every number taken from those figures (parts
    with no figures left out)."""
    from studyhub.errors import InputError
    from studyhub.reports.annual import annual_summary, render_annual

    if fmt == "docx" and not output:
        raise InputError(msg("a .docx report needs --output FILE.docx"))
    if required_hours is not None and not next_steps:
        raise InputError(msg("--required-hours is used by --next-steps: give both"))
    from studyhub.reports.meta import rates_meta

    database = app.database()
    summary = annual_summary(database, year, approximate=approximate,
                             next_steps=next_steps, required_hours=required_hours)  # fmt: skip
    data = render_annual(summary, fmt, rates_meta(database, summary.exams, year=year))
    if output:
        from studyhub.fileio import atomic_output

        with atomic_output(output) as stream:
            stream.write(data)
        click.echo(t("report.written", path=output))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
