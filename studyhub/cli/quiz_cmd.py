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
@click.option(
    "--staff", "staff_no", metavar="NO",
    help="Take it as NO, for this run alone: NO's PIN is asked unless NO is the one signed in, "
    "and any other sign-in stays (for a shared terminal).",
)  # fmt: skip
@click.option(
    "--plain", is_flag=True,
    help="Read answers as lines (B, ACD, 对, blanks separated by ;) and print plain text.",
)  # fmt: skip
@click.option(
    "--pin-stdin", is_flag=True,
    help="Read the PIN from the first line of standard input (with --staff NO), for scripts.",
)  # fmt: skip
@click.option(
    "--kiosk", is_flag=True,
    help="A shared terminal: ask each person's staff number and PIN, run their exams, sign "
    "them out and wait for the next person; only an admin's PIN closes it.",
)  # fmt: skip
@click.pass_obj
def quiz(app: AppContext, exam: str | None, staff_no: str | None, plain: bool,
         pin_stdin: bool, kiosk: bool) -> None:  # fmt: skip
    """Take an exam or practice: questions one by one, go back, skip, flag, then submit.

    Without EXAM, a menu shows the exams open to you with attempts left and best score.
    Choosing one (or naming EXAM) shows its start page: questions and points, time limit,
    window, attempts used and left, grading, pass mark and what happens when time is up; it
    then asks whether to start attempt N, and No is the default, so a stray Enter starts
    nothing. At each question the footer lists the keys (← back, → next, f flag, g the
    answer card) and the time left, counting down every second. Answers are saved as they
    are given; leaving (Ctrl-C) keeps the attempt open, and starting the exam again resumes
    it. After submitting, the result and the review are paged (← →, g, q). Plain mode (also
    used when input or output is not a terminal) reads one line per question: ``B``,
    ``ACD``, ``对``/``错``, fill blanks separated by ``;``, ``<`` back, ``>`` next, ``*``
    flag, ``#`` the answer card, an empty line skips; a start page takes ``y``.

    Signing in: the staff number (工号) and PIN are asked once; with an initial PIN you
    choose your own at once (new PIN twice) and go on to the menu. The sign-in is kept for
    8 hours, so starting again asks nothing. On a shared terminal, --staff NO asks for NO's
    PIN and runs this quiz alone as NO, leaving any other sign-in as it is; --kiosk serves
    one person after another and signs each out at the end.
    """
    if kiosk:
        run_kiosk(app, exam, staff_no=staff_no, plain=plain, pin_stdin=pin_stdin)
        return
    from studyhub.quiz.session import QuizSession

    QuizSession(app.database(), make_prompter(plain), staff_no=_as_signed_in(app, staff_no)).run(
        exam
    )


def _as_signed_in(app: AppContext, staff_no: str | None) -> str | None:
    """The signed-in person's number (the sign-in has made it the one asked for, if any),
    else the staff number given (setup mode)."""
    if app.signed_in is None:
        return staff_no
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


def run_kiosk(app: AppContext, exam: str | None, *, staff_no: str | None, plain: bool,
              pin_stdin: bool) -> None:  # fmt: skip
    """``quiz --kiosk``: the shared terminal loop of :class:`~studyhub.quiz.kiosk.Kiosk`,
    with Ctrl-\\ and Ctrl-Z ignored so that only an admin's PIN ends it."""
    import signal

    from studyhub.errors import InputError, PermissionDenied
    from studyhub.i18n import msg
    from studyhub.quiz.kiosk import Kiosk

    if staff_no is not None or pin_stdin:
        raise InputError(
            msg("a kiosk asks each person for their staff number and PIN; it takes no "
                "--staff or --pin-stdin")
        )  # fmt: skip
    if not app.secured():
        raise PermissionDenied(
            msg("a kiosk signs people in with their PINs, and nobody has a PIN yet"),
            hint=msg("studyhub init --admin NO, then studyhub staff set-pin NO"),
        )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(msg("a kiosk needs a terminal"))
    for name in ("SIGQUIT", "SIGTSTP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    Kiosk(app.database(), TerminalConsole(), make_prompter(plain), exam=exam).run()


class TerminalConsole:
    """The kiosk's prompts on the terminal: input() for the staff number, getpass for PINs
    (never echoed), an escape sequence to clear the screen and its scrollback, and poll() to
    tell a terminal that has gone (POLLHUP) from a Ctrl-D."""

    def ask(self, prompt: str, *, secret: bool = False) -> str:
        if secret:
            import getpass

            return getpass.getpass(prompt)
        return input(prompt)

    def show(self, text: str) -> None:
        click.echo(text)

    def clear(self) -> None:
        sys.stdout.write("\x1b[H\x1b[2J\x1b[3J")
        sys.stdout.flush()

    def hung_up(self) -> bool:
        import select

        if not hasattr(select, "poll"):
            return not sys.stdin.isatty()
        poller = select.poll()
        poller.register(sys.stdin.fileno(), select.POLLIN)
        return any(event & (select.POLLHUP | select.POLLERR) for _, event in poller.poll(0))
