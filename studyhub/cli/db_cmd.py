"""``studyhub db``: the database schema (Alembic migrations shipped with studyhub)."""

from __future__ import annotations

import sys

import click

from studyhub.cli.context import AppContext
from studyhub.errors import InputError
from studyhub.i18n import t


@click.group()
def db() -> None:
    """Upgrade, downgrade or inspect the database schema.

    Every command that uses the database upgrades it by itself; these commands are for
    administrators who want to do it explicitly.
    """


@db.command()
@click.argument("revision", default="head")
@click.pass_obj
def upgrade(app: AppContext, revision: str) -> None:
    """Upgrade the schema to REVISION (default: the newest)."""
    from studyhub import migrate

    database = app.database(upgrade=False)
    migrate.upgrade(database, revision)
    click.echo(t("db.upgraded", rev=migrate.current_revision(database) or "base"))


@db.command()
@click.argument("revision")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def downgrade(app: AppContext, revision: str, yes: bool) -> None:
    """Downgrade the schema to REVISION (``base`` drops every table and its data)."""
    from studyhub import migrate

    database = app.database(upgrade=False)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                "a downgrade drops tables and their data; confirm with --yes",
                hint=f"studyhub db downgrade {revision} --yes",
            )
        click.confirm(t("db.confirm_downgrade", url=database.url, rev=revision), abort=True)
    migrate.downgrade(database, revision)
    click.echo(t("db.downgraded", rev=migrate.current_revision(database) or "base"))


@db.command()
@click.pass_obj
def current(app: AppContext) -> None:
    """Show the schema revision of the database and the newest one studyhub has."""
    from studyhub import migrate
    from studyhub.render import key_value_lines

    database = app.database(upgrade=False)
    revision = migrate.current_revision(database)
    rows = [
        (t("config.database"), database.url),
        (t("db.current"), revision or t("db.blank")),
        (t("db.head"), migrate.head_revision()),
    ]
    for line in key_value_lines(rows):
        click.echo(line)


@db.command()
@click.argument("role")
@click.option("--apply", "apply_", is_flag=True, help="Run the statements (else print them).")
@click.pass_obj
def grant(app: AppContext, role: str, apply_: bool) -> None:
    """Print (or --apply) the PostgreSQL grants for an application ROLE: everything studyhub
    needs, but no UPDATE, DELETE or TRUNCATE on the audit table."""
    from studyhub.audit import grant_statements
    from studyhub.errors import InputError

    database = app.database()
    if database.dialect != "postgresql":
        raise InputError(
            "db grant is for PostgreSQL; a SQLite file is protected by its permissions"
        )
    statements = grant_statements(role, database.engine.url.database or "")
    if not apply_:
        for statement in statements:
            click.echo(statement + ";")
        return
    with database.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    click.echo(t("db.granted", role=role))
