"""``studyhub config``: where the database and the config file are."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t


@click.command()
@click.pass_obj
def config(app: AppContext) -> None:
    """Show the app dir, the config file and the database in use (password masked)."""
    settings = app.settings()
    state = t("config.exists") if settings.config_path.exists() else t("config.missing")
    rows = [
        (t("config.app_dir"), str(settings.app_dir)),
        (t("config.config_file"), f"{settings.config_path} ({state})"),
        (t("config.database"), settings.masked_db_url),
        (t("config.source"), t(f"source.{settings.db_source}")),
    ]
    from studyhub.render import key_value_lines

    for line in key_value_lines(rows):
        click.echo(line)
