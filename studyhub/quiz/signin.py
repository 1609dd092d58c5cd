"""Sign-in for the quiz: who is taking it, and a first sign-in's own PIN.

:func:`sign_in` names the taker by staff number (asked if not given): the command line has
checked the PIN before the quiz starts, and a database in setup mode has no PINs.
:func:`choose_pin` is the rest of a first sign-in: someone who has just typed an initial PIN
chooses their own (new PIN twice) and goes on, signed in, without typing a PIN again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg, t

if TYPE_CHECKING:
    from studyhub.admin import auth
    from studyhub.db import Database
    from studyhub.quiz.prompter import Prompter

__all__ = ["SignedIn", "choose_pin", "sign_in"]

#: how many unknown staff numbers an interactive sign-in accepts before giving up
TRIES = 3
#: how many times a first sign-in may choose a new PIN that is refused (too short, the two
#: entries differ, the same as the initial one) before it gives up
PIN_TRIES = 3


@dataclass(frozen=True)
class SignedIn:
    staff_no: str
    name: str


def _lookup(database: Database, staff_no: str) -> SignedIn | None:
    import sqlalchemy as sa

    from studyhub.models import Staff

    with database.session(readonly=True) as session:
        name = session.scalar(sa.select(Staff.name).where(Staff.staff_no == staff_no))
    return None if name is None else SignedIn(staff_no, name)


def sign_in(database: Database, prompter: Prompter, staff_no: str | None = None) -> SignedIn:
    """The person taking the quiz: ``staff_no`` if given (it must exist), else asked for."""
    if staff_no is not None:
        person = _lookup(database, staff_no)
        if person is None:
            raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
        return person
    for _ in range(TRIES):
        answer = prompter.ask_text(t("quiz.ask_staff_no"))
        typed = answer.strip() if isinstance(answer, str) else ""
        if not typed:
            continue
        person = _lookup(database, typed)
        if person is not None:
            return person
        prompter.show(t("quiz.unknown_staff", staff_no=typed))
    raise NotFoundError(
        msg("no valid staff number given"), hint=msg("check your staff number (工号)")
    )


def choose_pin(
    database: Database,
    person: auth.SignedIn,
    old_pin: str,
    ask_pin: Callable[[str], str],
    show: Callable[[str], None],
) -> auth.SignedIn:
    """A first sign-in, finished: ``person`` has just signed in with the initial PIN
    ``old_pin`` and chooses their own, typed twice at hidden prompts (``ask_pin``). A PIN
    the policy refuses, two entries that differ or the initial PIN again are said (``show``)
    and asked again, up to PIN_TRIES times. Returns the person, signed in with no PIN left to
    change; their other sessions are revoked (as by any PIN change). The PINs are never
    shown, kept or logged."""
    import dataclasses

    from studyhub.admin.auth import change_pin, check_pin_policy

    show(t("auth.first_pin"))
    for _ in range(PIN_TRIES):
        new = ask_pin(t("auth.new_pin"))
        try:
            check_pin_policy(new)
            if new == old_pin:
                raise InputError(msg("the new PIN is the same as the old one"))
        except InputError as err:
            show(t("auth.pin_again", reason=err.shown()))
            continue
        if ask_pin(t("auth.repeat_pin")) != new:
            show(t("auth.pins_differ"))
            continue
        change_pin(database, person.staff_no, old_pin, new)
        show(t("auth.pin_chosen"))
        return dataclasses.replace(person, must_change_pin=False)
    raise InputError(
        msg("no new PIN was chosen; the initial PIN stays"),
        hint=msg("sign in again and choose a PIN of 6 or more digits, typed the same twice"),
    )
