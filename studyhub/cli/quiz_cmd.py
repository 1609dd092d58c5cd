"""``studyhub quiz``: take an exam or practice in the terminal (or in plain mode)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from studyhub.cli.context import AppContext

if TYPE_CHECKING:
    from studyhub.quiz.prompter import Prompter


def _plain_wanted(plain: bool) -> bool:
    """Plain mode when asked for, or when either end is not a terminal (scripts, pipes)."""
    if plain:
        return True
    if os.environ.get("TERM") == "dumb":
        return True
    return not (sys.stdin.isatty() and sys.stdout.isatty())


@click.command()
@click.argument("exam", required=False)
@click.option("--staff", "staff_no", metavar="NO", help="Your staff number (asked if not given).")
@click.option(
    "--plain", is_flag=True,
    help="Read answers as lines (B, ACD, 对, blanks separated by ;) and print plain text.",
)  # fmt: skip
@click.option(
    "--pin-stdin", is_flag=True,
    help="Read the PIN from the first line of standard input (with --staff NO), for scripts.",
)  # fmt: skip
@click.pass_obj
def quiz(
    app: AppContext, exam: str | None, staff_no: str | None, plain: bool, pin_stdin: bool
) -> None:
    """Take an exam or practice: questions one by one, go back, skip, flag, then submit.

    Without EXAM, a menu shows the exams open to you with attempts left and best score.
    Answers are saved as they are given; leaving (Ctrl-C) keeps the attempt open, and
    starting the exam again resumes it. Plain mode (also used when input or output is not a
    terminal) reads one line per question: ``B``, ``ACD``, ``对``/``错``, fill blanks
    separated by ``;``, ``<`` back, ``*`` flag, an empty line skips.
    """
    from studyhub.quiz.session import QuizSession

    QuizSession(app.database(), make_prompter(plain), staff_no=_as_signed_in(app, staff_no)).run(
        exam
    )


def _as_signed_in(app: AppContext, staff_no: str | None) -> str | None:
    """The signed-in person's number (taking part as someone else is refused)."""
    if app.signed_in is None:
        return staff_no
    from studyhub.errors import PermissionDenied
    from studyhub.i18n import msg

    if staff_no is not None and staff_no != app.signed_in.staff_no:
        raise PermissionDenied(
            msg(
                "you are signed in as {staff_no}; a quiz is taken as yourself",
                staff_no=app.signed_in.staff_no,
            )
        )
    return app.signed_in.staff_no


def make_prompter(plain: bool) -> Prompter:
    """The plain prompter when asked for (or when not on a terminal), else questionary."""
    if _plain_wanted(plain):
        from studyhub.quiz.plain import PlainPrompter

        return PlainPrompter()
    from studyhub.quiz.terminal import TerminalPrompter

    return TerminalPrompter()


def taker(app: AppContext, prompter: Prompter, staff_no: str | None) -> str:
    """Who is practising or taking a quiz: the signed-in person, else the staff number
    given or asked for (setup mode, before any admin exists)."""
    from studyhub.quiz.signin import sign_in

    number = _as_signed_in(app, staff_no)
    return sign_in(app.database(), prompter, number).staff_no
