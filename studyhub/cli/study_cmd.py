"""``studyhub study``: study activities, attendance, online courses and the laws studied."""

from __future__ import annotations

from typing import Any

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import get_language, t

FORMATS = click.Choice(["table", "csv", "json"])


@click.group()
def study() -> None:
    """Record study activities and attendance; list the laws studied."""


def _kind_name(kind: str) -> str:
    from studyhub.models.enums import STUDY_KINDS

    return STUDY_KINDS.get(kind, kind) if get_language() == "zh" else kind


def _many(values: tuple[str, ...]) -> list[str]:
    from studyhub.values import split_list

    return [item for value in values for item in split_list(value)]


@study.command("add")
@click.option("--kind", required=True, help="党组会学习/party_group, 专题研讨/seminar, ...")
@click.option("--date", "held_on", required=True, metavar="DATE", help="Date held.")
@click.option("--title", required=True, help="Title.")
@click.option("--hours", required=True, help="Hours (each attendee is credited these).")
@click.option("--topic", "topics", multiple=True, metavar="KEY", help="Topic key (repeatable).")
@click.option("--law", "laws", multiple=True, metavar="TITLE", help="Law covered (repeatable).")
@click.option("--organiser", default="", help="Who organised it.")
@click.option("--place", default="", help="Where.")
@click.option(
    "--attendee",
    "attendees",
    multiple=True,
    metavar="NO",
    help="Staff number of an attendee (repeatable; or a list: 0001,0002).",
)
@click.option(
    "--dept",
    "departments",
    multiple=True,
    metavar="DEPT",
    help="Everyone in post in DEPT (and below) that day attended (repeatable).",
)
@click.pass_obj
def add(
    app: AppContext, kind: str, held_on: str, title: str, hours: str, topics: tuple[str, ...],
    laws: tuple[str, ...], organiser: str, place: str, attendees: tuple[str, ...],
    departments: tuple[str, ...],
) -> None:  # fmt: skip
    """Record a study activity with its topics, laws and attendees."""
    from studyhub.study.activities import add_activity
    from studyhub.values import split_numbers

    result = add_activity(
        app.database(), kind=kind, held_on=held_on, title=title, hours=hours,
        topics=_many(topics), laws=_many(laws), organiser=organiser, place=place,
        attendees=[n for value in attendees for n in split_numbers(value)],
        departments=list(departments), actor=app.actor(),
    )  # fmt: skip
    click.echo(t("study.added", id=result.activity_id, count=result.attendance_added))


def _import_line(summary: Any) -> str:
    return t(
        "study.imported", added=summary.activities_added, merged=summary.activities_merged,
        attendance=summary.attendance_added, updated=summary.attendance_updated,
    )  # fmt: skip


@study.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def import_(app: AppContext, file: str) -> None:
    """Record the activities in FILE (CSV or XLSX), all or nothing.

    Columns: 日期, 形式, 标题, 专题, 法律法规, 学时, 组织者, 地点, 参加人员, 参加部门, 工号,
    个人学时, 备注. One row per activity, or one row per attendance: rows with the same
    date, title and kind are one activity."""
    from studyhub.cli.progress import rows_bar
    from studyhub.study.imports import import_activities

    with rows_bar() as bar:
        summary = import_activities(app.database(), file, actor=app.actor(), progress=bar)
    click.echo(_import_line(summary))


@study.command("import-online")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def import_online(app: AppContext, file: str) -> None:
    """Record online-course completions in FILE (工号, 课程, 学时, 完成时间): one activity
    per course and year, one attendance per completion."""
    from studyhub.cli.progress import rows_bar
    from studyhub.study.imports import import_online as run

    with rows_bar() as bar:
        summary = run(app.database(), file, actor=app.actor(), progress=bar)
    click.echo(_import_line(summary))


@study.command("list")
@click.option("--year", type=int, help="Only this year.")
@click.option("--kind", help="Only this kind (key or Chinese name).")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_(app: AppContext, year: int | None, kind: str | None, fmt: str) -> None:
    """List study activities with their hours and number of attendees."""
    from studyhub.render import render_rows
    from studyhub.study.activities import activity_list

    rows = activity_list(app.database(), year=year, kind=kind)
    if fmt != "json":
        rows = [r | {"kind": _kind_name(r["kind"])} for r in rows]
    keys = ("id", "date", "kind", "title", "hours", "attendees", "topics", "laws")
    click.echo(render_rows(rows, [(k, t(f"study.col.{k}")) for k in keys], fmt))


@study.command("show")
@click.argument("activity_id", metavar="ID", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def show(app: AppContext, activity_id: int, fmt: str) -> None:
    """Show activity ID with its topics, laws and attendance."""
    from studyhub.render import key_value_lines, render_rows
    from studyhub.study.activities import activity_detail

    detail = activity_detail(app.database(), activity_id)
    if fmt == "json":
        import json

        click.echo(json.dumps(detail, ensure_ascii=False, indent=2, default=str))
        return
    pairs = [
        (t(f"study.col.{k}"), _kind_name(detail[k]) if k == "kind" else detail[k])
        for k in ("id", "date", "kind", "title", "hours", "organiser", "place")
    ]
    pairs += [(t("study.col.topics"), ", ".join(detail["topics"])),
              (t("study.col.laws"), "、".join(detail["laws"])),
              (t("study.col.attendees"), len(detail["attendance"]))]  # fmt: skip
    for line in key_value_lines(pairs):
        click.echo(line)
    if detail["attendance"]:
        click.echo("")
        keys = ("staff_no", "name", "hours", "completed_on")
        columns = [(k, t(f"study.col.{k}")) for k in keys]
        click.echo(render_rows(detail["attendance"], columns))


@study.command("laws")
@click.option("--year", type=int, help="Only this year.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def laws(app: AppContext, year: int | None, fmt: str) -> None:
    """List the distinct laws and regulations studied, with the activities and dates."""
    from studyhub.render import render_rows
    from studyhub.study.activities import law_titles

    rows = law_titles(app.database(), year=year)
    columns = [(k, t(f"study.col.{k}")) for k in ("law", "activities", "dates")]
    click.echo(render_rows(rows, columns, fmt))
    if fmt == "table":
        click.echo(t("study.law_total", count=len(rows)))
