"""``studyhub exam``: define exams, close them, import results sat elsewhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t, tn
from studyhub.labels import Word, label

if TYPE_CHECKING:
    from studyhub.exams.definitions import ExamInfo
    from studyhub.exams.spec import ExamSpec


@click.group()
def exam() -> None:
    """Define, list, update and close exams; import results sat elsewhere."""


def _when(value: dt.datetime | None) -> str:
    from studyhub.timeutil import to_local

    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def _show_lines(info: ExamInfo) -> list[tuple[str, str]]:
    kind = str(label(info.kind)) + (
        f" ({t('exam.makeup_of')} {info.makeup_of})" if info.makeup_of else ""
    )
    review = str(label(info.review)) + (
        f" ({t('exam.after_close')})" if info.review_after_close else ""
    )
    minutes = info.time_limit_minutes
    limit = tn("{n} min", "{n} min", minutes) if minutes else "-"
    return [
        (t("exam.key"), info.key),
        (t("exam.title"), info.title),
        (t("exam.year"), str(info.year)),
        (t("exam.kind"), kind),
        (t("exam.status"), label(info.status)),
        (t("exam.opens"), _when(info.opens)),
        (t("exam.closes"), _when(info.closes)),
        (t("exam.time_limit"), limit),
        (t("exam.attempts"), str(info.attempts)),
        (t("exam.grading"), label(info.grading)),
        (t("exam.pass_mark"), f"{info.pass_mark}%"),
        (t("exam.bands"), ", ".join(f"{n} ≥{m}%" for n, m in info.bands)),
        (t("exam.audience"), ", ".join(info.audience) or t("exam.everyone")),
        (t("exam.scoring"), label(info.scoring)),
        (t("exam.review"), review),
        (t("exam.paper"), t("exam.paper_line", questions=info.questions, points=info.total_points)),
        (t("exam.attempts_made"),
         t("exam.attempt_counts", submitted=info.submitted, open=info.in_progress)),
    ]  # fmt: skip


@exam.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.pass_obj
def create(app: AppContext, spec: str) -> None:
    """Create an exam from the YAML file SPEC (its paper must be drawable from the banks)."""
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec
    from studyhub.render import key_value_lines

    loaded = load_spec(spec)
    info = create_exam(app.database(), loaded, actor=app.actor())
    click.echo(t("exam.created", key=info.key))
    for line in key_value_lines(_show_lines(info)):
        click.echo(line)
    _warn_held_back(app, loaded)


def _warn_held_back(app: AppContext, spec: ExamSpec | None, key: str | None = None) -> None:
    """Say which paper rules draw from fewer questions because some await review after a
    law changed (and which questions of a fixed paper await it): of ``spec``, or of exam
    ``key`` as stored."""
    from studyhub.exams.definitions import exam_questions_in_review, questions_in_review

    if spec is not None:
        held, fixed = questions_in_review(app.database(), spec)
    else:
        held, fixed = exam_questions_in_review(app.database(), key or "")
    for index, rule, count in held:
        click.echo(t("exam.held_back", index=index, rule=rule.describe(), count=count), err=True)
    if fixed:
        click.echo(t("exam.fixed_in_review", ids="、".join(fixed)), err=True)


@exam.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.pass_obj
def update(app: AppContext, spec: str) -> None:
    """Change the exam named in SPEC to the fields SPEC gives (paper, grading and marks
    cannot change once anyone has attempted it)."""
    from studyhub.exams.definitions import update_exam
    from studyhub.exams.spec import load_spec

    info = update_exam(app.database(), load_spec(spec), actor=app.actor())
    click.echo(t("exam.updated", key=info.key))
    _warn_held_back(app, None, info.key)


@exam.command("list")
@click.option("--year", type=int, help="Only exams of this year.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def list_(app: AppContext, year: int | None, fmt: str) -> None:
    """List exams with their window and attempts."""
    from studyhub.exams.definitions import list_exams
    from studyhub.render import render_rows
    from studyhub.timeutil import to_local

    rows = [
        {"key": i.key, "title": i.title, "year": i.year, "kind": i.kind, "status": i.status,
         "opens": to_local(i.opens).strftime("%Y-%m-%d %H:%M") if i.opens else None,
         "closes": to_local(i.closes).strftime("%Y-%m-%d %H:%M") if i.closes else None,
         "questions": i.questions, "points": str(i.total_points), "submitted": i.submitted}
        for i in list_exams(app.database(), year=year)
    ]  # fmt: skip
    keys = ("key", "title", "year", "kind", "status", "opens", "closes", "questions", "points",
            "submitted")  # fmt: skip
    click.echo(render_rows(rows, [(k, t(f"exam.col.{k}")) for k in keys], fmt))


@exam.command()
@click.argument("key")
@click.pass_obj
def show(app: AppContext, key: str) -> None:
    """Show exam KEY: its settings and paper."""
    from studyhub.exams.definitions import get_exam
    from studyhub.render import key_value_lines

    info = get_exam(app.database(), key)
    for line in key_value_lines(_show_lines(info)):
        click.echo(line)
    for n, rule in enumerate(info.rules, start=1):
        click.echo("  " + _rule_line(n, rule))


def _rule_line(number: int, rule: dict[str, Any]) -> str:
    """One rule of the paper: ``1. law single × 4 × 10`` (and its difficulty and tags)."""
    values = {"number": number, "topic": rule["topic"], "type": Word(rule["type"]),
              "count": rule["count"], "points": rule["points"]}  # fmt: skip
    difficulty = rule.get("difficulty")
    tags = "+".join(rule.get("tags") or [])
    if difficulty and tags:
        return t("{number}. {topic} {type} × {count} × {points} difficulty {low}-{high} "
                 "tags {tags}", low=difficulty[0], high=difficulty[1], tags=tags,
                 **values)  # fmt: skip
    if difficulty:
        return t("{number}. {topic} {type} × {count} × {points} difficulty {low}-{high}",
                 low=difficulty[0], high=difficulty[1], **values)  # fmt: skip
    if tags:
        return t("{number}. {topic} {type} × {count} × {points} tags {tags}", tags=tags,
                 **values)  # fmt: skip
    return t("{number}. {topic} {type} × {count} × {points}", **values)


@exam.command()
@click.argument("key")
@click.pass_obj
def close(app: AppContext, key: str) -> None:
    """Close exam KEY: open attempts are graded on the answers they saved."""
    from studyhub.exams.definitions import close_exam

    closed = close_exam(app.database(), key, actor=app.actor())
    click.echo(t("exam.closed", key=key, count=closed.submitted))
    if closed.empty:
        click.echo(t("exam.closed_empty", count=closed.empty))


@exam.command("override")
@click.argument("key")
@click.argument("staff_no", required=False, metavar="[NO]")
@click.option("--dept", metavar="D", help="A department (with its sub-departments) instead of NO.")
@click.option("--opens", metavar="DT", help="Their own opening time (2026-12-01 08:00).")
@click.option("--closes", metavar="DT", help="Their own close (a bare date: the whole day).")
@click.option("--attempts", metavar="N", help="Attempts they may make (1 to 100).")
@click.option("--time-limit", metavar="DURATION", help="Their own time limit (120m, 2h).")
@click.option("--reason", metavar="TEXT", help="Why (出差, 病假...); required to set one.")
@click.option("--remove", is_flag=True, help="Withdraw the override.")
@click.pass_obj
def override(
    app: AppContext, key: str, staff_no: str | None, dept: str | None, opens: str | None,
    closes: str | None, attempts: str | None, time_limit: str | None, reason: str | None,
    remove: bool,
) -> None:  # fmt: skip
    """Give one person NO (or a department, --dept) their own window, attempts or time
    limit for exam KEY; what is not given stays as before. --remove withdraws it."""
    from studyhub.errors import InputError
    from studyhub.exams.definitions import get_exam
    from studyhub.exams.overrides import remove_override, set_override
    from studyhub.i18n import msg
    from studyhub.render import key_value_lines

    database = app.database()
    if remove:
        if any(v is not None for v in (opens, closes, attempts, time_limit)):
            raise InputError(msg("--remove takes no --opens, --closes, --attempts or --time-limit"))
        remove_override(database, key, staff_no, department=dept, reason=reason,
                        actor=app.actor())  # fmt: skip
        click.echo(t("exam.override.removed", who=(staff_no or dept or "").strip(), key=key))
        return
    row = set_override(
        database, key, staff_no, department=dept, opens=opens, closes=closes,
        attempts=attempts, time_limit=time_limit, reason=reason or "", actor=app.actor(),
    )  # fmt: skip
    info = get_exam(database, row.exam)
    if row.staff_no:
        who = f"{row.staff_no} {row.name}"
    else:
        who = f"{row.department} {row.department_name}"
    click.echo(t("exam.override.set", who=who, key=row.exam))

    def limit_text(minutes: int | None) -> str:
        return tn("{n} min", "{n} min", minutes) if minutes else "-"

    def own(value: str | None, exam_value: str) -> str:
        return value if value is not None else t("exam.override.same", value=exam_value)

    lines = [
        (t("exam.opens"), own(_when(row.opens) if row.opens else None, _when(info.opens))),
        (t("exam.closes"), own(_when(row.closes) if row.closes else None, _when(info.closes))),
        (t("exam.attempts"),
         own(str(row.attempts) if row.attempts else None, str(info.attempts))),
        (t("exam.time_limit"),
         own(limit_text(row.time_limit_minutes) if row.time_limit_minutes else None,
             limit_text(info.time_limit_minutes))),
        (t("exam.override.reason"), row.reason),
    ]  # fmt: skip
    for line in key_value_lines(lines):
        click.echo("  " + line)


@exam.command("overrides")
@click.argument("key")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def overrides(app: AppContext, key: str, fmt: str) -> None:
    """List the overrides of exam KEY: who has their own window, attempts or time limit."""
    from studyhub.exams.overrides import list_overrides
    from studyhub.render import render_rows

    found = list_overrides(app.database(), key)
    if fmt == "json":
        click.echo(render_rows([r.as_json() for r in found], [], fmt))
        return
    rows = [
        {"staff_no": r.staff_no or "-", "name": r.name or "-",
         "department": f"{r.department} {r.department_name}" if r.department else "-",
         "opens": _when(r.opens), "closes": _when(r.closes),
         "attempts": str(r.attempts) if r.attempts else "-",
         "time_limit": tn("{n} min", "{n} min", r.time_limit_minutes)
         if r.time_limit_minutes else "-",
         "reason": r.reason, "set_by": r.set_by}
        for r in found
    ]  # fmt: skip
    columns = [
        ("staff_no", t("exam.override.col.staff_no")), ("name", t("exam.override.col.name")),
        ("department", t("exam.override.col.department")),
        ("opens", t("exam.override.col.opens")), ("closes", t("exam.override.col.closes")),
        ("attempts", t("exam.override.col.attempts")),
        ("time_limit", t("exam.override.col.time_limit")),
        ("reason", t("exam.override.col.reason")), ("set_by", t("exam.override.col.set_by")),
    ]  # fmt: skip
    if not rows and fmt == "table":
        click.echo(t("exam.override.none", key=key))
        return
    click.echo(render_rows(rows, columns, fmt))


@exam.command("import-results")
@click.argument("key")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--max-score", type=Decimal, help="Scores are points out of this (default: percent).")
@click.pass_obj
def import_results(app: AppContext, key: str, file: str, max_score: Decimal | None) -> None:
    """Record results of exam KEY sat elsewhere (e.g. 法宣在线) from a CSV/XLSX FILE."""
    from studyhub.cli.progress import rows_bar
    from studyhub.exams.results import import_results as run

    with rows_bar() as bar:
        summary = run(
            app.database(), key, file, max_score=max_score, actor=app.actor(), progress=bar
        )
    click.echo(t("exam.results", key=key, added=summary.added, unchanged=summary.unchanged))


def _certificate_commands() -> None:
    from studyhub.cli.certificate_cmd import certificates, revoke_certificate, verify

    for command in (certificates, verify, revoke_certificate):
        exam.add_command(command)


_certificate_commands()
