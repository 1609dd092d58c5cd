"""Sign-in for the quiz: who is taking it.

For now a staff number identifies the taker (asked if not given). PINs come later: they
replace :func:`sign_in` and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.errors import NotFoundError
from studyhub.i18n import msg, t

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.quiz.prompter import Prompter

__all__ = ["SignedIn", "sign_in"]

#: how many unknown staff numbers an interactive sign-in accepts before giving up
TRIES = 3


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
