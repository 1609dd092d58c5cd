"""A shared terminal (``studyhub quiz --kiosk``): one person after another takes their exams.

The kiosk asks for a staff number (工号) and a PIN, finishes a first sign-in (a new PIN,
twice) when the PIN is an initial one, runs that person's exam menu, signs them out, clears
the screen and waits for the next person. Nothing is saved for the sign-in: the person is
known to this process for their turn only, and the sign-in kept by ``studyhub login`` on the
same account is neither used nor touched.

Ctrl-C during a person's quiz is the quiz's (leave the exam, keep the attempt open) and at
worst ends that person's turn; at the kiosk's own prompts it asks for an admin's staff number
and PIN, and only an admin closes the kiosk. The end of input on a live terminal (Ctrl-D) is
taken as Ctrl-C; a terminal that has gone (the SSH connection closed) ends the kiosk.

Its own prompts go through a :class:`Console` (hidden input for PINs); the quiz goes through
the :class:`~studyhub.quiz.prompter.Prompter` given, so tests script both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from studyhub.errors import StudyhubError
from studyhub.i18n import t

if TYPE_CHECKING:
    from studyhub.admin.auth import SignedIn
    from studyhub.db import Database
    from studyhub.quiz.prompter import Prompter
    from studyhub.quiz.session import QuizSession

__all__ = ["Console", "Kiosk"]


class Console(Protocol):
    """The kiosk's own prompts (a terminal, or a script in tests)."""

    def ask(self, prompt: str, *, secret: bool = False) -> str:
        """A line typed after ``prompt``, shown as it is (not echoed when ``secret``). Raises
        KeyboardInterrupt on Ctrl-C and EOFError at the end of input."""

    def show(self, text: str) -> None:
        """Show a line."""

    def clear(self) -> None:
        """Clear the screen (and what scrolled off it): the next person sees nothing of the
        last one."""

    def hung_up(self) -> bool:
        """Whether the terminal has gone (nobody is left to serve)."""


class Kiosk:
    """One shared terminal. :meth:`run` serves one person after another until an admin
    closes it (or the terminal goes away)."""

    def __init__(
        self,
        database: Database,
        console: Console,
        prompter: Prompter,
        *,
        exam: str | None = None,
        session: Callable[..., QuizSession] | None = None,
    ) -> None:
        self.database = database
        self.console = console
        self.prompter = prompter
        #: the exam everyone takes (None: each person's menu of open exams)
        self.exam = exam
        self._session = session

    def run(self) -> None:
        self.console.clear()
        while True:
            try:
                self.serve_one()
            except (KeyboardInterrupt, EOFError):
                if self.console.hung_up() or self.admin_closes():
                    return

    # --- one person -----------------------------------------------------------------------

    def serve_one(self) -> None:
        """Sign one person in, run their quiz, sign them out. A refused sign-in is said and
        the kiosk waits for the next try. KeyboardInterrupt and EOFError at the kiosk's own
        prompts propagate (to :meth:`run`)."""
        from studyhub.admin.auth import authenticate
        from studyhub.values import normalise_code

        self.console.show(t("kiosk.welcome"))
        number = normalise_code(self._ask(t("auth.staff_no")))
        if not number:
            return
        pin = self._secret(t("auth.pin"))
        try:
            person = authenticate(self.database, number, pin)
            if person.must_change_pin:
                from studyhub.quiz.signin import choose_pin

                person = choose_pin(self.database, person, pin, self._secret, self.console.show)
        except StudyhubError as err:
            self._refused(err)
            return
        try:
            self._take(person)
        finally:
            self._sign_out(person)

    def _ask(self, label: str) -> str:
        return self.console.ask(t("kiosk.field", label=label))

    def _secret(self, label: str) -> str:
        return self.console.ask(t("kiosk.field", label=label), secret=True)

    def _take(self, person: SignedIn) -> None:
        """The person's exam menu (or the kiosk's exam). Ctrl-C, the end of input or an
        error end this person's turn, not the kiosk."""
        from studyhub.quiz.prompter import InputEnded

        if self._session is not None:
            make = self._session
        else:
            from studyhub.quiz.session import QuizSession

            make = QuizSession
        try:
            make(self.database, self.prompter, staff_no=person.staff_no).run(self.exam)
        except (KeyboardInterrupt, InputEnded):
            pass
        except StudyhubError as err:
            self._error(err)

    def _sign_out(self, person: SignedIn) -> None:
        """Say the person is signed out, wait for Enter, and clear the screen."""
        self.console.show(t("kiosk.signed_out", name=person.name, staff_no=person.staff_no))
        try:
            self.console.ask(t("kiosk.press_enter"))
        except (KeyboardInterrupt, EOFError):
            pass
        finally:
            self.console.clear()

    def _refused(self, err: StudyhubError) -> None:
        """A sign-in refused: the screen is cleared first (a PIN typed into the staff number
        field by mistake was echoed there), then the reason is said."""
        self.console.clear()
        self._error(err)

    def _error(self, err: StudyhubError) -> None:
        self.console.show(t("cli.error", reason=err.shown()))
        hint = err.shown_hint()
        if hint:
            self.console.show(t("cli.hint", hint=hint))

    # --- closing --------------------------------------------------------------------------

    def admin_closes(self) -> bool:
        """After Ctrl-C at a kiosk prompt: True when an admin's staff number and PIN close the
        kiosk; an empty staff number, Ctrl-C, a refused PIN or a person who is not an admin
        go back to waiting for the next person."""
        from studyhub.admin.auth import authenticate
        from studyhub.values import normalise_code

        self.console.show("")
        self.console.show(t("kiosk.admin_only"))
        try:
            number = normalise_code(self._ask(t("kiosk.admin_staff_no")))
            if not number:
                return False
            person = authenticate(self.database, number, self._secret(t("auth.pin")))
        except (KeyboardInterrupt, EOFError):
            return self.console.hung_up()
        except StudyhubError as err:
            self._refused(err)
            return False
        if not person.may("admin"):
            self.console.show(t("kiosk.not_admin", staff_no=person.staff_no))
            return False
        self.console.show(t("kiosk.closed"))
        return True
