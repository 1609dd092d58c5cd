"""The ``studyhub`` command line: a thin layer over the library.

Command groups live one per module and are registered in :data:`COMMANDS`, the one visible
list; a group's module is imported only when that group runs, so ``studyhub --help`` stays
fast. Expected failures (:class:`~studyhub.errors.StudyhubError`) become one ``Error:`` line
here, in :meth:`StudyhubGroup.invoke`, and nowhere else.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from studyhub.cli.context import AppContext
from studyhub.cli.lang import WideContext, language_in_args, localize, use_language
from studyhub.errors import StudyhubError

#: (name, "module:attribute", one-line help): every command of studyhub
COMMANDS: list[tuple[str, str, str]] = [
    ("config", "studyhub.cli.config_cmd:config", "Show where the database and config file are."),
    ("init", "studyhub.cli.auth_cmd:init", "Create the first admin on an empty database."),
    ("login", "studyhub.cli.auth_cmd:login", "Sign in (kept for 8 hours)."),
    ("logout", "studyhub.cli.auth_cmd:logout", "Sign out."),
    ("passwd", "studyhub.cli.auth_cmd:passwd", "Change your own PIN."),
    ("db", "studyhub.cli.db_cmd:db", "Upgrade, downgrade or inspect the database schema."),
    ("bank", "studyhub.cli.bank_cmd:bank", "Import, export and browse question banks."),
    ("law", "studyhub.cli.law_cmd:law", "Import statutes and look up their articles."),
    ("exam", "studyhub.cli.exam_cmd:exam", "Define, list, update and close exams; import results."),
    ("audit", "studyhub.cli.audit_cmd:audit", "Read the audit trail."),
    ("quiz", "studyhub.cli.quiz_cmd:quiz", "Take an exam in the terminal."),
    (
        "practice",
        "studyhub.cli.practice_cmd:practice",
        "Practise with feedback; drill your wrong answers.",
    ),
    ("dept", "studyhub.cli.dept_cmd:dept", "Import, add and list departments (a tree)."),
    ("staff", "studyhub.cli.staff_cmd:staff", "Import and keep the staff roster with dated moves."),
    ("exempt", "studyhub.cli.exempt_cmd:exempt", "Record exemptions (免考) from exams."),
    ("study", "studyhub.cli.study_cmd:study", "Record study activities and attendance."),
    ("outreach", "studyhub.cli.outreach_cmd:outreach", "Record outreach events (普法宣传)."),
    ("report", "studyhub.cli.report_cmd:report", "Report the annual figures and export them."),
    ("record", "studyhub.cli.record_cmd:record", "A person's year of study and exams (学法档案)."),
]

DEBUG_ENV = "STUDYHUB_DEBUG"


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def report_error(err: StudyhubError) -> None:
    """Print an expected failure as one ``错误：`` / ``Error:`` line (and a hint line) on
    stderr, in the user's language."""
    from studyhub.i18n import t

    click.echo(t("cli.error", reason=err.shown()), err=True)
    hint = err.shown_hint()
    if hint:
        click.echo(t("cli.hint", hint=hint), err=True)


class StudyhubGroup(click.Group):
    """The root group: lazy subcommands from COMMANDS, the language, and the error
    boundary."""

    context_class = WideContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The language comes first, so that a parsing error is already in it.
        use_language(language_in_args(args))
        localize(self)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, _, _ in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from studyhub.cli.permissions import guard

        for name, target, _ in COMMANDS:
            if name == cmd_name:
                module_name, attr = target.split(":")
                command = getattr(importlib.import_module(module_name), attr)
                return localize(guard(command, name))
        return None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Use the registry's help text so that --help imports no command module.
        from studyhub.i18n import t

        rows = [(name, t(help_text)) for name, _, help_text in COMMANDS]
        with formatter.section(click.core._("Commands")):  # type: ignore[attr-defined]
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StudyhubError as err:
            if _debug():
                raise
            report_error(err)
            ctx.exit(1)
        except Exception as err:
            translated = _translate_driver_error(err)
            if translated is None or _debug():
                raise
            report_error(translated)
            ctx.exit(1)


def _translate_driver_error(err: Exception) -> StudyhubError | None:
    """A database driver failure that escaped a unit of work (server gone, disk full)."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy import exc

    if isinstance(err, exc.DBAPIError):
        from studyhub.dberrors import translate_driver_error

        return translate_driver_error(err, "(configured database)")
    return None


@click.group(cls=StudyhubGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Database URL (overrides STUDYHUB_DB and the config file).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="Language of the terminal UI (default: STUDYHUB_LANG, else zh).",
)
@click.version_option(package_name="studyhub", prog_name="studyhub")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, lang: str | None) -> None:
    """studyhub: legal study and exams (学法考法) for government bodies.

    Question banks, terminal quizzes, study records and the annual rule-of-law figures
    (参考率, 及格率), on SQLite by default or a shared PostgreSQL server.
    """
    use_language(lang)
    app = AppContext(db_url=db_url)
    ctx.obj = app
    ctx.call_on_close(app.close)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    from studyhub.gcpause import hold

    hold()
    cli.main(args=argv, prog_name="studyhub")
