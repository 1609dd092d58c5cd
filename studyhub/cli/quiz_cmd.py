"""``studyhub quiz``: take an exam or practice in the terminal (or in plain mode)."""

from __future__ import annotations

import os
import sys

import click

from studyhub.cli.context import AppContext


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
@click.pass_obj
def quiz(app: AppContext, exam: str | None, staff_no: str | None, plain: bool) -> None:
    """Take an exam or practice: questions one by one, go back, skip, flag, then submit.

    Without EXAM, a menu shows the exams open to you with attempts left and best score.
    Answers are saved as they are given; leaving (Ctrl-C) keeps the attempt open, and
    starting the exam again resumes it. Plain mode (also used when input or output is not a
    terminal) reads one line per question: ``B``, ``ACD``, ``对``/``错``, fill blanks
    separated by ``;``, ``<`` back, ``*`` flag, an empty line skips.
    """
    from studyhub.quiz.prompter import Prompter
    from studyhub.quiz.session import QuizSession

    if app.signed_in is not None:
        from studyhub.errors import PermissionDenied

        if staff_no is not None and staff_no != app.signed_in.staff_no:
            raise PermissionDenied(
                f"you are signed in as {app.signed_in.staff_no}; a quiz is taken as yourself"
            )
        staff_no = app.signed_in.staff_no
    prompter: Prompter
    if _plain_wanted(plain):
        from studyhub.quiz.plain import PlainPrompter

        prompter = PlainPrompter()
    else:
        from studyhub.quiz.terminal import TerminalPrompter

        prompter = TerminalPrompter()
    QuizSession(app.database(), prompter, staff_no=staff_no).run(exam)
