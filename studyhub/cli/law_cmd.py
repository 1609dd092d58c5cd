"""``studyhub law``: the statutes that question citations point to, and their versions."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import N_, t


@click.group()
def law() -> None:
    """Import statutes and look up their articles."""


@law.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--version",
    "version",
    metavar="DATE",
    help="The date of this text (2024-12-25), for a file that gives none.",
)
@click.pass_obj
def import_(app: AppContext, files: tuple[str, ...], version: str | None) -> None:
    """Import statute FILES: Markdown with 第X条 articles, or the Word (.docx) files of the
    national law database (国家法律法规数据库) as downloaded. Another text of a stored law
    becomes a new version of it, dated by its last 修订/修正 date (or --version); the newest
    version by date is the current one, and the questions citing an article it changed,
    renumbered or removed await review (studyhub bank review)."""
    from studyhub.errors import InputError
    from studyhub.i18n import msg
    from studyhub.laws import import_law

    if version and len(files) > 1:
        raise InputError(msg("--version dates one file: import the files one by one"))
    database = app.database()
    for path in files:
        summary = import_law(database, path, version=version, actor=app.actor())
        dated = summary.dated or t("law.undated")
        key = {
            "new": N_("law.imported"),
            "version": N_("law.imported_version"),
            "corrected": N_("law.imported_corrected"),
            "unchanged": N_("law.imported_unchanged"),
        }
        click.echo(
            t(key[summary.outcome], name=summary.short_name, title=summary.title,
              count=summary.articles, unit=summary.unit, date=dated)
        )  # fmt: skip
        if summary.outcome != "unchanged" and summary.replaced and not summary.current:
            click.echo(t("law.not_current", name=summary.short_name, date=dated))
        if summary.queued:
            click.echo(t("law.queued", count=summary.queued))


@law.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def list_(app: AppContext, fmt: str) -> None:
    """List the stored statutes, each version on a line (the current one marked)."""
    from studyhub.laws import law_list
    from studyhub.render import render_rows

    rows = law_list(app.database())
    if fmt != "json":
        for row in rows:
            row["version"] = row["version"] or t("law.undated")
            row["current"] = t("law.current_mark") if row["current"] else ""
    columns = [(k, t(f"col.{k}")) for k in ("short_name", "title", "version")]
    columns.append(("current", t("col.current")))
    columns += [(k, t(f"col.{k}")) for k in ("articles", "adopted", "effective")]
    click.echo(render_rows(rows, columns, fmt))


@law.command("show")
@click.argument("citation")
@click.option(
    "--version",
    "version",
    metavar="DATE",
    help="Show the text of the version of this date (default: the current one).",
)
@click.pass_obj
def show(app: AppContext, citation: str, version: str | None) -> None:
    """Show the article(s) a CITATION points to, e.g. "民法典 第188条"."""
    from studyhub.laws import cited_articles

    for heading, text in cited_articles(app.database(), citation, version=version):
        click.echo(heading)
        click.echo(text)
        click.echo("")


@law.command("diff")
@click.argument("name", metavar="LAW")
@click.argument("old", required=False, metavar="[OLD]")
@click.argument("new", required=False, metavar="[NEW]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    help="text (the terminal), markdown or json.",
)
@click.pass_obj
def diff(app: AppContext, name: str, old: str | None, new: str | None, fmt: str) -> None:
    """What changed in LAW between the versions of dates OLD and NEW (default: the one
    before the current one, and the current one): articles added, removed, renumbered
    (matched by their text) and changed, with the changed words marked."""
    from studyhub.laws.compare import law_diff, render_diff

    click.echo(render_diff(law_diff(app.database(), name, old, new), fmt))
