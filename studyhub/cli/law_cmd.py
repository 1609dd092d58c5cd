"""``studyhub law``: the statutes that question citations point to."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t


@click.group()
def law() -> None:
    """Import statutes and look up their articles."""


@law.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def import_(app: AppContext, files: tuple[str, ...]) -> None:
    """Import statute FILES: Markdown with 第X条 articles, or the Word (.docx) files of the
    national law database (国家法律法规数据库) as downloaded; re-importing replaces them."""
    from studyhub.laws import import_law

    database = app.database()
    for path in files:
        summary = import_law(database, path, actor=app.actor())
        click.echo(
            t("law.imported", name=summary.short_name, title=summary.title,
              count=summary.articles, unit=summary.unit)
        )  # fmt: skip


@law.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def list_(app: AppContext, fmt: str) -> None:
    """List the stored statutes."""
    from studyhub.laws import law_list
    from studyhub.render import render_rows

    columns = [(k, t(f"col.{k}")) for k in
               ("short_name", "title", "articles", "adopted", "effective")]  # fmt: skip
    click.echo(render_rows(law_list(app.database()), columns, fmt))


@law.command("show")
@click.argument("citation")
@click.pass_obj
def show(app: AppContext, citation: str) -> None:
    """Show the article(s) a CITATION points to, e.g. "民法典 第188条"."""
    from studyhub.laws import cited_articles

    for heading, text in cited_articles(app.database(), citation):
        click.echo(heading)
        click.echo(text)
        click.echo("")
