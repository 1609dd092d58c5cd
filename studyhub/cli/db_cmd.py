"""``studyhub db``: the database schema (Alembic migrations shipped with studyhub)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from studyhub.cli.context import AppContext
from studyhub.cli.options import OUTPUT_FILE
from studyhub.errors import DatabaseError, InputError
from studyhub.i18n import msg, t


@click.group()
def db() -> None:
    """Upgrade, downgrade, inspect, check, back up and restore the database.

    Every command that uses the database upgrades it by itself; upgrade and downgrade are for
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
                msg("a downgrade drops tables and their data; confirm with --yes"),
                hint=msg("studyhub db downgrade {revision} --yes", revision=revision),
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
    from studyhub.admin.audit import grant_statements
    from studyhub.errors import InputError

    database = app.database()
    if database.dialect != "postgresql":
        raise InputError(
            msg("db grant is for PostgreSQL; a SQLite file is protected by its permissions")
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


def _check_lines(report: object) -> list[str]:
    from studyhub.admin.backup import COUNTED_TABLES, CheckReport
    from studyhub.render import key_value_lines

    assert isinstance(report, CheckReport)
    rows = [
        (t("db.file"), report.location),
        (t("db.integrity"), _integrity(report.integrity)),
        (t("db.foreign_keys"), len(report.foreign_key_problems)),
        (t("db.current"), report.revision or t("db.blank")),
        (t("db.head"), report.head),
    ]
    rows += [(table, report.counts[table]) for table in COUNTED_TABLES if table in report.counts]
    if report.revision == report.head:
        rows.append((t("db.results"), t("db.results_ok") if not report.result_mismatches
                     else len(report.result_mismatches)))  # fmt: skip
        rows.append((t("db.scopes"), t("db.results_ok") if not report.scope_mismatches
                     else len(report.scope_mismatches)))  # fmt: skip
    return key_value_lines(rows)


@db.command()
@click.argument("file", type=OUTPUT_FILE)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def backup(app: AppContext, file: str, force: bool) -> None:
    """Copy the SQLite database into FILE while it stays in use (one consistent snapshot,
    checked before it takes FILE's name). PostgreSQL: use pg_dump."""
    from studyhub.admin import backup as backups

    report = backups.backup(app.database(), Path(file), overwrite=force)
    for line in _check_lines(report):
        click.echo(line)
    click.echo(t("db.backed_up", file=report.location))


@db.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Overwrite a database that holds data (kept as FILE.before-restore-TIME); "
    "only while no one else is using it.",
)
@click.pass_obj
def restore(app: AppContext, file: Path, replace: bool) -> None:
    """Restore the backup FILE into the configured SQLite database (a new file, e.g.
    --db sqlite:///restored.db), then run the checks of db check on it."""
    from studyhub.admin import backup as backups

    report = backups.restore(app.database(upgrade=False), file, replace=replace)
    for line in _check_lines(report):
        click.echo(line)
    if report.kept is not None:
        click.echo(t("db.kept", file=str(report.kept)))
    if report.upgraded_from is not None:
        click.echo(t("db.restore_upgraded", old=report.upgraded_from, rev=report.head))
    if not report.sound:
        raise DatabaseError(report.summary())
    click.echo(t("db.restored", file=report.location))


@db.command()
@click.option(
    "--repair", is_flag=True,
    help="First work every kept exam result out afresh from the attempts (and drop the "
    "kept exam scopes, which the reports then keep again).",
)  # fmt: skip
@click.pass_obj
def check(app: AppContext, repair: bool) -> None:
    """Check the database: integrity and foreign keys (SQLite), schema revision, row counts,
    that each person's kept exam result equals what their attempts give, and that the kept
    exam scopes equal the roster. Exits 1 when something is wrong."""
    from studyhub.admin import backup as backups

    if repair:
        click.echo(t("db.results_repaired", rows=backups.repair_results(app.database())))
    report = backups.check(app.database(upgrade=False))
    for line in _check_lines(report):
        click.echo(line)
    if not report.ok:
        raise DatabaseError(report.summary())
    click.echo(t("db.check_ok"))


def _integrity(found: str | None) -> str:
    """SQLite's "ok" in words; the problems it found as they are."""
    if found is None:
        return t("db.not_applicable")
    return t("db.integrity_ok") if found == "ok" else found
